// A workshop's page (workshop.html?id=...): its story as an editor wrote it (a title, the city,
// the dates, the partners, a few paragraphs) and the films the young people made there.
import { isNotFound, publicGet, visitorMessage } from "./api.js";
import { filmCard, storyParts, workshopName } from "./cards.js";
import { el, query, retryButton, say } from "./dom.js";

const story = document.getElementById("story");
const status = document.getElementById("status");
const section = document.getElementById("films-section");
const list = document.getElementById("films");
const more = document.getElementById("more");
const FIRST_EAGER = 4;

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
