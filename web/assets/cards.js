// A film as a card in a gallery: the whole poster (portrait posters are not cropped), the title in
// its language and in English, the child's first name and age. Only fields of the public API are used.
import { el } from "./dom.js";
import { countryName } from "./names.js";

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
