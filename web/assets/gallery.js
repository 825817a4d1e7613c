// The home page (index.html): a line about the programme, highlights, the latest films, a section
// per topic, the workshops (each leading to its story) and the films by country, each film shown once
// (in the first section that has it; on a phone each section is one row that scrolls sideways); with filters (country, topic, workshop, highlights, in any
// combination) it becomes the list of the films that match all of them, page by page.
import { publicGet, visitorMessage } from "./api.js";
import { countryName, filmCard, topicName, workshopName } from "./cards.js";
import { el, retryButton, say } from "./dom.js";

const FILTERS = ["country", "topic", "workshop", "highlight"];
const HOME_LATEST = 8;
const HOME_SECTION = 4;
// Asked for beyond a section's own films, to fill it with films no section above shows.
const HOME_SPARE = HOME_LATEST + HOME_SECTION;
// Films shown before a filtered list waits for "More": the API's default page.
const SCREENFUL = 20;
const WIDE_SCREEN = "(min-width: 40rem)";

const list = document.getElementById("films");
const home = document.getElementById("home");
const heading = document.getElementById("view-title");
const lede = document.getElementById("lede");
const status = document.getElementById("status");
const more = document.getElementById("more");
const filters = document.getElementById("filters");
const chosen = document.getElementById("chosen");

function chosenFilters() {
  const params = new URLSearchParams(location.search);
  const picked = {};
  for (const name of FILTERS) {
    const value = (params.get(name) || "").trim();
    if (value) picked[name] = value;
  }
  return picked;
}

function apiPath(picked, extra = {}) {
  const query = new URLSearchParams({ ...picked, ...extra });
  return `/videos?${query}`;
}

function describe(picked) {
  let title = picked.highlight ? "Highlighted films" : "Films";
  if (picked.topic) title += ` on ${topicName(picked.topic)}`;
  if (picked.country) title += ` from ${countryName(picked.country)}`;
  if (picked.workshop) title += `, workshop ${workshopName(picked.workshop)}`;
  return title;
}

async function fillChoices(picked) {
  const [countries, topics, workshops] = await Promise.all(
    ["/countries", "/topics", "/workshops"].map((path) => publicGet(path).catch(() => ({ items: [] }))),
  );
  fill("country", countries.items.map((c) => [c.country, `${countryName(c.country)} (${c.films})`]), picked);
  fill("topic", topics.items.filter((t) => t.films > 0).map((t) => [t.topic, `${topicName(t.topic)} (${t.films})`]),
    picked);
  fill("workshop", workshops.items.map((w) => [w.workshop, `${workshopName(w.workshop)} (${w.films})`]), picked);
  document.getElementById("highlight").checked = picked.highlight === "true";
  return { countries: countries.items, topics: topics.items, workshops: workshops.items };
}

function fill(name, options, picked) {
  const select = document.querySelector(`select[name=${name}]`);
  const values = new Set(options.map(([value]) => value));
  // A link may name a choice with no films today: keep it chosen rather than silently drop it.
  if (picked[name] && !values.has(picked[name])) options.push([picked[name], labelOf(name, picked[name])]);
  for (const [value, label] of options) select.append(el("option", { value, selected: value === picked[name] }, label));
}

function labelOf(name, value) {
  return { country: countryName, topic: topicName, workshop: workshopName, highlight: () => "Highlights" }[name](value);
}

function showChosen(picked) {
  const names = Object.keys(picked);
  document.getElementById("chosen-count").textContent = names.length ? `(${names.length} chosen)` : "";
  chosen.replaceChildren(...names.map((name) => {
    const rest = Object.fromEntries(Object.entries(picked).filter(([other]) => other !== name));
    const href = Object.keys(rest).length ? `index.html?${new URLSearchParams(rest)}` : "index.html";
    return el("li", {}, el("a", { href, "aria-label": `Remove the filter ${labelOf(name, picked[name])}` },
      `${labelOf(name, picked[name])} ✕`));
  }));
}

// A home section's films: at most `count` of `films` that no section above shows (`shown` remembers them).
function unseen(films, shown, count) {
  const fresh = films.filter((film) => !shown.has(film.video_id)).slice(0, count);
  fresh.forEach((film) => shown.add(film.video_id));
  return fresh;
}

function section(title, id, films, link) {
  const row = films.length
    ? el("ul", { class: "grid home-row" }, films.map((film, index) => filmCard(film, { lazy: index >= HOME_SECTION })))
    : el("p", { class: "hint" }, "Its films are shown above.");
  return el("section", { "aria-labelledby": id }, el("div", { class: "section-head" }, el("h2", { id }, title), link), row);
}

function workshopsSection(workshops) {
  return el("section", { "aria-labelledby": "workshops-title" },
    el("h2", { id: "workshops-title" }, "Workshops"),
    el("p", {}, "Where the films were made: each workshop's story and all its films."),
    el("ul", { class: "countries" }, workshops.map((w) => el("li", {},
      el("a", { href: `workshop.html?id=${encodeURIComponent(w.workshop)}` },
        `${workshopName(w.workshop)} (${w.films === 1 ? "1 film" : `${w.films} films`})`)))));
}

// The first films are asked for at once, beside the lists of countries and topics, and shown as soon
// as they arrive; the topic sections follow: on a slow connection every round trip before the first
// poster counts.
async function showHome(choicesLoading) {
  say(status, "Loading films…");
  const [highlights, latest] = await Promise.all([
    publicGet(`/videos?highlight=true&limit=${HOME_SECTION}`).catch(() => ({ items: [] })),
    publicGet(`/videos?limit=${HOME_LATEST + HOME_SECTION}`),
  ]);
  const shown = new Set();
  const first = [];
  if (highlights.items.length) {
    first.push(section("Highlights", "highlights-title", unseen(highlights.items, shown, HOME_SECTION),
      el("a", { href: "index.html?highlight=true" }, "All highlights")));
  }
  const newest = unseen(latest.items, shown, HOME_LATEST);
  if (latest.items.length) first.push(section("Latest films", "latest-title", newest, null));
  home.replaceChildren(...first);
  say(status, latest.items.length ? "" : "No films are published yet. Come back soon.");

  const choices = await choicesLoading;
  const published = choices.topics.filter((t) => t.films > 0);
  const byTopic = await Promise.all(published.map((t) =>
    publicGet(`/videos?topic=${encodeURIComponent(t.topic)}&limit=${HOME_SECTION + HOME_SPARE}`)
      .catch(() => ({ items: [] }))));
  const rest = published.map((topic, index) => section(`OneMinutesJr on ${topicName(topic.topic)}`,
    `topic-${topic.topic}`, unseen(byTopic[index].items, shown, HOME_SECTION),
    el("a", { href: `index.html?topic=${encodeURIComponent(topic.topic)}` },
      topic.films === 1 ? `The one film on ${topicName(topic.topic)}` : `All ${topic.films} films on ${topicName(topic.topic)}`)));
  if (choices.workshops.length) rest.push(workshopsSection(choices.workshops));
  if (choices.countries.length) {
    rest.push(el("section", { "aria-labelledby": "countries-title" },
      el("h2", { id: "countries-title" }, "Films by country"),
      el("ul", { class: "countries" }, choices.countries.map((c) => el("li", {},
        el("a", { href: `index.html?country=${encodeURIComponent(c.country)}` },
          `${countryName(c.country)} (${c.films})`))))));
  }
  home.append(...rest);
}

let nextPage = null;

// A combined filter's page may hold fewer films than asked for, none even, while next_cursor says
// more may follow (the API bounds what one page reads): read on until a screenful has come or the
// listing ends, so a visitor never sees an empty list with a "More" button.
async function showFiltered(picked, cursor) {
  say(status, "Loading films…");
  more.hidden = true;
  let after = cursor;
  let added = 0;
  do {
    const page = await publicGet(apiPath(picked, after ? { cursor: after } : {}));
    list.append(...page.items.map((film, index) =>
      filmCard(film, { lazy: Boolean(cursor) || added + index >= HOME_SECTION })));
    added += page.items.length;
    after = page.next_cursor;
  } while (after && added < SCREENFUL);
  nextPage = after;
  more.hidden = !nextPage;
  const count = list.children.length;
  say(status, count ? `${count} film${count === 1 ? "" : "s"} shown.`
    : "No published films match all of these filters yet. Remove one to see more.");
}

async function start() {
  const picked = chosenFilters();
  filters.open = window.matchMedia(WIDE_SCREEN).matches;
  showChosen(picked);
  const filtered = Object.keys(picked).length > 0;
  if (filtered) {
    const title = describe(picked);
    heading.textContent = title;
    lede.hidden = true;
    document.title = `${title} · OneMinutesJr`;
    if (picked.workshop) {
      lede.after(el("p", {}, el("a", { href: `workshop.html?id=${encodeURIComponent(picked.workshop)}` },
        `The story of the workshop ${workshopName(picked.workshop)}`)));
    }
  }
  const choices = fillChoices(picked);
  try {
    if (filtered) await Promise.all([showFiltered(picked), choices]);
    else await showHome(choices);
  } catch (error) {
    say(status, visitorMessage(error), "error");
    status.after(retryButton(() => { list.replaceChildren(); start(); }));
  }
}

// A clean address: only the filters chosen, so the link is short enough to share.
document.getElementById("filter-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const picked = {};
  for (const name of FILTERS) {
    const value = form.get(name);
    if (value) picked[name] = value;
  }
  location.assign(Object.keys(picked).length ? `index.html?${new URLSearchParams(picked)}` : "index.html");
});

more.addEventListener("click", async () => {
  try {
    await showFiltered(chosenFilters(), nextPage);
  } catch (error) {
    say(status, visitorMessage(error, "more films"), "error");
    more.hidden = false;
  }
});

start();
