// A workshop's page (workshop.html?id=...): its story as an editor wrote it (a title, the city,
// the dates, the partners, a few paragraphs) and the films the young people made there.
import { isNotFound, publicGet, visitorMessage } from "./api.js";
import { countryName, filmCard, workshopName } from "./cards.js";
import { el, query, retryButton, say } from "./dom.js";

const story = document.getElementById("story");
const status = document.getElementById("status");
const section = document.getElementById("films-section");
const list = document.getElementById("films");
const more = document.getElementById("more");
const FIRST_EAGER = 4;

function dates(from, to) {
  const format = (value, options) => new Date(`${value}T12:00:00Z`).toLocaleDateString("en-GB",
    { timeZone: "UTC", ...options });
  if (from === to) return format(from, { day: "numeric", month: "long", year: "numeric" });
  const sameMonth = from.slice(0, 7) === to.slice(0, 7);
  return `${format(from, sameMonth ? { day: "numeric" } : { day: "numeric", month: "long" })} to `
    + format(to, { day: "numeric", month: "long", year: "numeric" });
}

function storyParts(slug, written, films) {
  if (!written) {
    return [el("h1", {}, `Workshop ${workshopName(slug)}`),
      el("p", { class: "place" }, `${films} film${films === 1 ? "" : "s"} made in this workshop.`)];
  }
  return [
    el("h1", {}, written.title),
    el("p", { class: "place" }, `${written.city}, ${countryName(written.country)} · ${dates(written.starts_on, written.ends_on)}`),
    ...written.paragraphs.map((text) => el("p", {}, text)),
    written.partners.length ? el("p", { class: "film-meta" }, `With ${written.partners.join(", ")}.`) : null,
  ];
}

let path = "";
let nextPage = null;

async function load(cursor) {
  const page = await publicGet(cursor ? `${path}?cursor=${encodeURIComponent(cursor)}` : path);
  list.append(...page.items.map((film, index) => filmCard(film, { lazy: Boolean(cursor) || index >= FIRST_EAGER })));
  nextPage = page.next_cursor;
  more.hidden = !nextPage;
  return page;
}

async function show() {
  const slug = query("id");
  if (!slug) {
    say(status, "No workshop was chosen. See the latest films instead.", "error");
    return;
  }
  path = `/workshops/${encodeURIComponent(slug)}`;
  try {
    const page = await load(null);
    document.title = `${page.story?.title || `Workshop ${workshopName(slug)}`} · OneMinutesJr`;
    story.replaceChildren(...storyParts(slug, page.story, page.films).filter(Boolean));
    section.hidden = false;
    say(status, "");
  } catch (error) {
    say(status, visitorMessage(error, "this workshop"), "error");
    const latest = el("p", {}, el("a", { href: "index.html" }, "See the latest films"));
    status.after(latest);
    if (!isNotFound(error)) latest.prepend(retryButton(() => { latest.remove(); show(); }), " ");
  }
}

more.addEventListener("click", async () => {
  try {
    await load(nextPage);
  } catch (error) {
    say(status, visitorMessage(error, "more films"), "error");
  }
});

show();
