// The gallery: latest films, highlights, by country, by topic, a workshop's films (index.html).
import { ApiError, publicGet } from "./api.js";
import { filmCard } from "./cards.js";
import { el, query, say } from "./dom.js";

const list = document.getElementById("films");
const heading = document.getElementById("view-title");
const status = document.getElementById("status");
const more = document.getElementById("more");
const countryNames = {};
let nextPage = null;

function currentView() {
  const choices = [
    ["country", (code) => [`/videos?country=${encodeURIComponent(code)}`, `Films from ${countryNames[code] || code}`]],
    ["topic", (topic) => [`/videos?topic=${encodeURIComponent(topic)}`, `Films about ${topic}`]],
    ["workshop", (slug) => [`/workshops/${encodeURIComponent(slug)}`, `Films from the workshop ${slug}`]],
  ];
  for (const [name, build] of choices) {
    const value = query(name);
    if (value) return build(value);
  }
  if (query("highlight") === "true") return ["/videos?highlight=true", "Highlights"];
  return ["/videos", "Latest films"];
}

async function fillChoices() {
  const [countries, topics, workshops] = await Promise.all(
    ["/countries", "/topics", "/workshops"].map((path) => publicGet(path).catch(() => ({ items: [] }))),
  );
  for (const item of countries.items) countryNames[item.country] = item.name;
  fill("country", countries.items.map((c) => [c.country, `${c.name} (${c.films})`]));
  fill("topic", topics.items.filter((t) => t.films > 0).map((t) => [t.topic, `${t.topic} (${t.films})`]));
  fill("workshop", workshops.items.map((w) => [w.workshop, `${w.workshop} (${w.films})`]));
}

function fill(name, options) {
  const select = document.querySelector(`select[name=${name}]`);
  for (const [value, label] of options) select.append(el("option", { value, selected: value === query(name) }, label));
}

async function load(path) {
  say(status, "Loading films…");
  more.hidden = true;
  try {
    const page = await publicGet(path);
    list.append(...page.items.map((film) => filmCard(film, countryNames)));
    nextPage = page.next_cursor;
    more.hidden = !nextPage;
    const count = list.children.length;
    say(status, count ? `${count} film${count === 1 ? "" : "s"} shown.` : "No published films here yet.");
  } catch (error) {
    const notFound = error instanceof ApiError && error.status === 404;
    say(status, notFound ? "No published films here yet." : error.message, notFound ? "info" : "error");
  }
}

await fillChoices();
const [path, title] = currentView();
heading.textContent = title;
document.title = `${title} · OneMinutesJr`;
more.addEventListener("click", () => {
  const separator = path.includes("?") ? "&" : "?";
  load(`${path}${separator}cursor=${encodeURIComponent(nextPage)}`);
});
await load(path);
