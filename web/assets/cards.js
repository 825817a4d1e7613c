// How the pages show films: a film as a card in a gallery (the whole poster, portrait posters not
// cropped; the title in its language and in English; the child's first name and age; only fields of
// the public API), its length, a workshop's story as its page tells it (also the editors' preview of it),
// and human names for what the API gives as codes (topics, countries, workshops, languages). One module
// rather than two: each file is one more round trip on a slow phone.
import { el } from "./dom.js";

export function filmCard(film, { lazy = true } = {}) {
  const author = film.author && film.author.first_name ? `${film.author.first_name}, ${film.author.age}` : null;
  return el("li", { class: "card" },
    el("a", { href: `film.html?id=${encodeURIComponent(film.video_id)}`, class: "card-link" },
      film.poster_url
        ? el("img", { src: film.poster_url, alt: "", loading: lazy ? "lazy" : null, decoding: "async",
          width: 320, height: 180 })
        : el("span", { class: "no-poster", "aria-hidden": "true" }),
      el("span", { class: "card-title", lang: film.language }, film.title),
      film.title_en && film.title_en !== film.title
        ? el("span", { class: "card-title-en", lang: "en" }, film.title_en)
        : null,
    ),
    el("p", { class: "card-meta" },
      [author, countryName(film.country), duration(film.duration_s)].filter(Boolean).join(" · ")),
  );
}

export function duration(seconds) {
  if (typeof seconds !== "number") return null;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

// Topics the programme has always had keep their own names; a new slug reads as words.
const TOPIC_NAMES = {
  "juvenile-justice": "Juvenile justice",
  "hiv-aids": "HIV and AIDS",
  "roma-children": "Roma children",
  "violence": "Violence",
  "leave-no-child-out": "“Leave No Child Out”",
};

export function topicName(slug) {
  if (TOPIC_NAMES[slug]) return TOPIC_NAMES[slug];
  const words = String(slug).replaceAll("-", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// "KG" -> "Kyrgyzstan", by the browser's own names (no list to keep up to date). A code the browser does not
// know (a typed `?country=ZZ`) is shown as written, never as "Unknown Region".
export function countryName(code) {
  try {
    const name = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" }).of(code);
    return name && name !== "Unknown Region" ? name : code;
  } catch {
    return code;
  }
}

// "baku-2012" -> "Baku 2012": a workshop's slug as words, until its story gives it a title.
export function workshopName(slug) {
  const words = String(slug).replaceAll("-", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function languageName(code) {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(code) || code;
  } catch {
    return code;
  }
}

// "3 to 7 March 2014": a workshop's days.
function dates(from, to) {
  const format = (value, options) => new Date(`${value}T12:00:00Z`).toLocaleDateString("en-GB",
    { timeZone: "UTC", ...options });
  if (from === to) return format(from, { day: "numeric", month: "long", year: "numeric" });
  const sameMonth = from.slice(0, 7) === to.slice(0, 7);
  return `${format(from, sameMonth ? { day: "numeric" } : { day: "numeric", month: "long" })} to `
    + format(to, { day: "numeric", month: "long", year: "numeric" });
}

// A workshop's story as the top of its page tells it (or, with none written, its name and how many films it
// has); `heading`: the title's element, h1 on the workshop's page, lower in the editors' preview of it.
export function storyParts(slug, written, films, heading = "h1") {
  if (!written) {
    return [el(heading, {}, `Workshop ${workshopName(slug)}`),
      el("p", { class: "place" }, `${films} film${films === 1 ? "" : "s"} made in this workshop.`)];
  }
  return [
    el(heading, { class: "story-title" }, written.title),
    el("p", { class: "place" }, `${written.city}, ${countryName(written.country)} · ${dates(written.starts_on, written.ends_on)}`),
    ...written.paragraphs.map((text) => el("p", {}, text)),
    written.partners.length ? el("p", { class: "film-meta" }, `With ${written.partners.join(", ")}.`) : null,
  ];
}
