// A film's page (film.html?id=...): the player with its renditions, poster and subtitles, the
// storyboard, share links, the next film of its workshop (or the latest films) and related films.
import { ApiError, isNotFound, publicGet, visitorMessage } from "./api.js";
import { countryName, duration, filmCard, languageName, topicName, workshopName } from "./cards.js";
import { el, query, retryButton, say } from "./dom.js";
import { parseStoryboard, storyboardStrip } from "./storyboard.js";
import { playStream } from "./stream.js";

const main = document.getElementById("film");
// In the page from its first paint, at the player's shape (16:9; a film of another shape is letterboxed), so
// nothing moves when the film arrives.
const box = document.getElementById("player-box");
const after = document.getElementById("after-film");
const status = document.getElementById("status");
// Without HLS (a film made before it, or a browser that cannot stream), a narrow screen gets the smallest
// rendition first; the browser plays the first source it can.
const NARROW_SCREEN_PX = 700;
const RELATED = 4;

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

function details(film) {
  const author = film.author?.first_name ? `By ${film.author.first_name}, ${film.author.age}` : null;
  const topics = film.topics.map((topic) => el("li", {},
    el("a", { href: `index.html?topic=${encodeURIComponent(topic)}` }, topicName(topic))));
  return [
    el("h1", { lang: film.language }, film.title),
    film.title_en && film.title_en !== film.title ? el("p", { class: "title-en", lang: "en" }, film.title_en) : null,
    el("p", { class: "film-meta" }, [author, duration(film.duration_s)].filter(Boolean).join(" · ")),
    el("p", { class: "film-meta" },
      el("a", { href: `index.html?country=${encodeURIComponent(film.country)}` },
        `More films from ${countryName(film.country)}`),
      film.workshop ? " · " : null,
      film.workshop
        ? el("a", { href: `workshop.html?id=${encodeURIComponent(film.workshop)}` },
          `The workshop ${workshopName(film.workshop)}`)
        : null),
    topics.length ? el("ul", { class: "tags", "aria-label": "Topics" }, topics) : null,
    film.description ? el("p", { class: "description", lang: film.language }, film.description) : null,
    share(film),
  ];
}

// A large button on the poster: one tap plays the film (on a phone, a tap on the picture only shows the
// controls). Gone once the film plays.
function playButton(video) {
  const button = el("button", { type: "button", class: "play-big", "aria-label": "Play the film" });
  button.addEventListener("click", () => { video.play().catch(() => {}); });
  video.addEventListener("play", () => { button.hidden = true; });
  return button;
}

// The system's share sheet where there is one (phones), else a button that copies the link; and plain links
// to share the page (no script of another site is loaded).
function share(film) {
  const url = location.href.split("#")[0];
  const text = `${film.title_en || film.title}: a one-minute film by ${film.author?.first_name || "a young filmmaker"}`;
  const encoded = { url: encodeURIComponent(url), text: encodeURIComponent(text) };
  const copied = el("span", { class: "status", role: "status", "aria-live": "polite" });
  const sheet = typeof navigator.share === "function";
  const copy = el("button", { type: "button" }, sheet ? "Share…" : "Copy the link");
  copy.addEventListener("click", async () => {
    if (sheet) {
      try {
        await navigator.share({ title: film.title, text, url });
      } catch {
        // Closed without sharing: nothing to say.
      }
      return;
    }
    try {
      await navigator.clipboard.writeText(url);
      say(copied, "Link copied.", "success");
    } catch {
      say(copied, `Copy this link: ${url}`);
    }
  });
  const links = [
    ["Email", `mailto:?subject=${encoded.text}&body=${encoded.url}`],
    ["WhatsApp", `https://wa.me/?text=${encoded.text}%20${encoded.url}`],
    ["Facebook", `https://www.facebook.com/sharer/sharer.php?u=${encoded.url}`],
    ["X", `https://x.com/intent/post?text=${encoded.text}&url=${encoded.url}`],
  ];
  return el("section", { "aria-labelledby": "share-title" },
    el("h2", { id: "share-title" }, "Share this film"),
    el("ul", { class: "share" },
      el("li", {}, copy),
      links.map(([name, href]) => el("li", {}, el("a", { class: "button", href, rel: "noopener",
        target: name === "Email" ? null : "_blank", "aria-label": `Share on ${name}` }, name)))),
    copied);
}

// The storyboard's tiles are this wide (chalicelib/domain/ladder.py), and as tall as the film's shape makes them.
const SCENE_TILE_WIDTH = 160;

// The "Scenes" section under the player, at its final height before its storyboard is read (the strip's height
// follows its tiles': site.css), so that the title under it never moves; null for a film without one.
function scenesSlot(film) {
  if (!film.storyboard_url || !film.renditions.length) return null;
  const { width, height } = film.renditions[0];
  const strip = el("ol", { class: "storyboard", "aria-hidden": "true" });
  strip.style.setProperty("--tile-height", `${Math.round((SCENE_TILE_WIDTH * height) / width)}px`);
  return el("section", { "aria-labelledby": "scenes-title", "aria-busy": "true" },
    el("h2", { id: "scenes-title" }, "Scenes"), strip);
}

// The scene buttons put in their slot; the slot goes when there are none. The storyboard is a convenience:
// the film plays without it.
async function fillScenes(slot, film, video) {
  if (!slot) return;
  try {
    const response = await fetch(film.storyboard_url);
    const cues = response.ok ? parseStoryboard(await response.text(), film.storyboard_url) : [];
    if (!cues.length) throw new Error("no scenes");
    const placeholder = slot.querySelector(".storyboard");
    const strip = storyboardStrip(cues, video);
    strip.style.setProperty("--tile-height", `${cues[0].height}px`);
    placeholder.replaceWith(strip);
    slot.removeAttribute("aria-busy");
  } catch {
    slot.remove();
  }
}

// The next film: the one after this in its workshop's list, else in the latest films; and films
// on the same topic. Both are conveniences: the page stands without them.
async function nextAndRelated(film) {
  try {
    const around = await publicGet(film.workshop
      ? `/videos?workshop=${encodeURIComponent(film.workshop)}&limit=50` : "/videos?limit=50");
    const others = around.items.filter((item) => item.video_id !== film.video_id);
    const position = around.items.findIndex((item) => item.video_id === film.video_id);
    let next = around.items[position + 1] || others[0];
    if (!next && film.workshop) {  // the only film of its workshop: the latest film is next
      next = (await publicGet("/videos?limit=2")).items.find((item) => item.video_id !== film.video_id);
    }
    const topic = film.topics[0];
    const related = topic
      ? (await publicGet(`/videos?topic=${encodeURIComponent(topic)}&limit=${RELATED + 1}`)).items
        .filter((item) => item.video_id !== film.video_id && item.video_id !== next?.video_id).slice(0, RELATED)
      : [];
    const parts = [];
    if (next) {
      parts.push(el("section", { class: "next-film", "aria-labelledby": "next-title" },
        el("h2", { id: "next-title" }, film.workshop ? "Next film from this workshop" : "Next film"),
        el("ul", { class: "grid" }, filmCard(next))));
    }
    if (related.length) {
      parts.push(el("section", { "aria-labelledby": "related-title" },
        el("h2", { id: "related-title" }, `More on ${topicName(topic)}`),
        el("ul", { class: "grid" }, related.map((item) => filmCard(item)))));
    }
    return parts;
  } catch {
    return [];  // only the suggestions are missing
  }
}

async function show() {
  const id = query("id");
  if (!id) {
    say(status, "No film was chosen. Pick one among the latest films.", "error");
    status.after(el("p", {}, el("a", { href: "index.html" }, "See the latest films")));
    return;
  }
  try {
    const film = await publicGet(`/videos/${encodeURIComponent(id)}`);
    document.title = `${film.title} · OneMinutesJr`;
    const video = player(film);
    if (film.streaming?.hls) playStream(video, film.streaming.hls);
    else video.dataset.streaming = "mp4";
    box.replaceChildren(video, playButton(video));
    const slot = scenesSlot(film);
    main.replaceChildren(...[box, slot, ...details(film)].filter(Boolean));
    say(status, "");
    const suggestions = nextAndRelated(film).then((parts) => after.replaceChildren(...parts));
    await Promise.all([fillScenes(slot, film, video), suggestions]);
  } catch (error) {
    box.hidden = true;
    say(status, visitorMessage(error, "this film"), "error");
    const latest = el("p", {}, el("a", { href: "index.html" }, "See the latest films"));
    status.after(latest);
    if (!isNotFound(error)) latest.prepend(retryButton(() => { latest.remove(); box.hidden = false; show(); }), " ");
    if (error instanceof ApiError && error.status === 410) after.replaceChildren(...await latestFilms());
  }
}

// A film that is no longer available: what a visitor can watch instead, on the same page.
async function latestFilms() {
  try {
    const { items } = await publicGet("/videos?limit=6");
    return items.length ? [el("section", { "aria-labelledby": "latest-title" },
      el("h2", { id: "latest-title" }, "Latest films"),
      el("ul", { class: "grid" }, items.map((item) => filmCard(item))))] : [];
  } catch {
    return [];  // the link to the latest films is there all the same
  }
}

show();
