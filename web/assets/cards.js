// How the pages show films: a film as a card in a gallery (the whole poster, portrait posters not
// cropped; the title in its language and in English; the child's first name and age; only fields of
// the public API), its length, and human names for what the API gives as codes (topics, countries,
// workshops, languages). One module rather than two: each file is one more round trip on a slow phone.
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
