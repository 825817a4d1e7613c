// A film's page (film.html?id=...): the player with its renditions, poster, subtitles and storyboard.
import { ApiError, publicGet } from "./api.js";
import { duration } from "./cards.js";
import { el, query, say } from "./dom.js";
import { parseStoryboard, storyboardStrip } from "./storyboard.js";

const main = document.getElementById("film");
const status = document.getElementById("status");
// A narrow screen gets the smallest rendition first; the browser plays the first source it can.
const NARROW_SCREEN_PX = 700;

// "KG" -> "Kyrgyzstan", by the browser's own names (no list to keep up to date).
function countryName(code) {
  try {
    return new Intl.DisplayNames(["en"], { type: "region" }).of(code) || code;
  } catch {
    return code;
  }
}

function player(film) {
  const renditions = [...film.renditions].sort((a, b) => b.height * b.width - a.height * a.width);
  if (window.innerWidth < NARROW_SCREEN_PX) renditions.reverse();
  return el("video", { controls: true, preload: "metadata", playsinline: true, crossorigin: "anonymous",
    poster: film.poster_url, id: "player", "aria-label": `Film: ${film.title}` },
    renditions.map((r) => el("source", { src: r.url, type: "video/mp4", "data-rendition": r.name })),
    film.subtitles.map((s, index) => el("track", { kind: "subtitles", src: s.url, srclang: s.language,
      label: languageName(s.language), default: index === 0 })),
    el("p", {}, "This browser cannot play the film. ",
      el("a", { href: renditions[0]?.url }, "Download it")),
  );
}

function languageName(code) {
  try {
    return new Intl.DisplayNames([navigator.language || "en"], { type: "language" }).of(code) || code;
  } catch {
    return code;
  }
}

function details(film) {
  const author = film.author?.first_name ? `By ${film.author.first_name}, ${film.author.age}` : null;
  const topics = film.topics.map((topic) => el("li", {},
    el("a", { href: `index.html?topic=${encodeURIComponent(topic)}` }, topic)));
  return [
    el("h1", { lang: film.language }, film.title),
    film.title_en && film.title_en !== film.title ? el("p", { class: "title-en", lang: "en" }, film.title_en) : null,
    el("p", { class: "film-meta" }, [author, duration(film.duration_s)].filter(Boolean).join(" · ")),
    el("p", { class: "film-meta" },
      el("a", { href: `index.html?country=${encodeURIComponent(film.country)}` }, `More films from ${countryName(film.country)}`),
      film.workshop ? " · " : null,
      film.workshop
        ? el("a", { href: `index.html?workshop=${encodeURIComponent(film.workshop)}` }, `Workshop ${film.workshop}`)
        : null),
    topics.length ? el("ul", { class: "tags", "aria-label": "Topics" }, topics) : null,
    film.description ? el("p", { class: "description", lang: film.language }, film.description) : null,
  ];
}

async function addStoryboard(film, video) {
  if (!film.storyboard_url) return;
  try {
    const response = await fetch(film.storyboard_url);
    if (!response.ok) return;
    const cues = parseStoryboard(await response.text(), film.storyboard_url);
    if (cues.length) {
      video.closest(".player").after(el("section", { "aria-labelledby": "scenes-title" },
        el("h2", { id: "scenes-title" }, "Scenes"), storyboardStrip(cues, video)));
    }
  } catch {
    // The storyboard is a convenience: the film plays without it.
  }
}

async function show() {
  const id = query("id");
  if (!id) {
    say(status, "No film chosen. Pick one in the gallery.", "error");
    return;
  }
  try {
    const film = await publicGet(`/videos/${encodeURIComponent(id)}`);
    document.title = `${film.title} · OneMinutesJr`;
    const video = player(film);
    main.replaceChildren(el("div", { class: "player" }, video), ...details(film).filter(Boolean));
    say(status, "");
    await addStoryboard(film, video);
  } catch (error) {
    const gone = error instanceof ApiError && error.status === 404;
    say(status, gone ? "This film is not available." : error.message, "error");
  }
}

show();
