// The editor page: the films awaiting review, grouped by workshop, with consent recorded once for a
// workshop's films (or a selection); the lists of published and unpublished films with a search;
// workshop stories; any film by its id; the films that need attention (failed or stuck).
import { publicGet, request } from "./api.js";
import { workshopName } from "./cards.js";
import { el, say } from "./dom.js";
import { attentionGroup } from "./editor-attention.js";
import { filmPanel } from "./editor-film.js";
import { storyEditor } from "./editor-story.js";
import { editorWords } from "./editor-words.js";
import { keyField } from "./keys.js";

const review = document.getElementById("review");
const reviewStatus = document.getElementById("review-status");
const found = document.getElementById("found");
const findForm = document.getElementById("find-form");
const findStatus = document.getElementById("find-status");
const listForm = document.getElementById("list-form");
const listed = document.getElementById("listed");
const listStatus = document.getElementById("list-status-line");
const listMore = document.getElementById("list-more");
const NO_WORKSHOP = "";

const currentKey = keyField(document.getElementById("key-form"), "omjr.editorKey", () => {
  loadQueue();
  listed.replaceChildren();
});
const attention = attentionGroup(document.getElementById("attention"), document.getElementById("attention-status"),
  document.getElementById("attention-more"), currentKey);
const stories = storyEditor(document.getElementById("story-form"), document.getElementById("story-preview"),
  currentKey);
let vocabulary = [];

async function topics() {
  if (!vocabulary.length) {
    vocabulary = (await publicGet("/topics").catch(() => ({ items: [] }))).items.map((item) => item.topic);
  }
  return vocabulary;
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

// One workshop's films awaiting review, and one form to record their consent together: the
// signed forms of a workshop usually sit in one folder.
function workshopGroup(workshop, films, vocabularyNow, index) {
  const panels = films.map((film) => filmPanel(film, currentKey, { topics: vocabularyNow, selectable: true }));
  const id = `group-${index}`;
  const title = workshop ? `Workshop ${workshopName(workshop)}` : "Films without a workshop";
  const groupStatus = el("p", { class: "status", role: "status", "aria-live": "polite" });
  const form = el("form", { class: "group-consent", "aria-label": `Consent for the selected films of ${title}` },
    el("p", { class: "hint" }, "Tick the films whose signed forms you have, then record their consent at once."),
    el("label", { class: "check" }, el("input", { type: "checkbox", name: "guardian", required: true }),
      " The guardians gave written consent"),
    el("label", { class: "check" }, el("input", { type: "checkbox", name: "child", required: true }),
      " The children gave their own assent"),
    el("label", { for: `${id}-ref` }, "Where the signed forms are kept"),
    el("input", { id: `${id}-ref`, name: "reference", required: true, maxlength: 200 }),
    el("div", { class: "actions" },
      el("button", { type: "submit", "data-action": "group-consent" }, "Record consent for the selected films")),
    groupStatus);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const chosen = panels.filter((panel) => panel.isConnected && panel.selected());
    if (!chosen.length) {
      say(groupStatus, "Select at least one film first (the box under its poster).", "error");
      return;
    }
    const body = { guardian_consent: true, child_assent: true, reference: form.elements.reference.value.trim() };
    say(groupStatus, `Recording consent for ${plural(chosen.length, "film")}…`);
    const failed = [];
    for (const panel of chosen) {
      try {
        panel.show(await request("POST", `/videos/${encodeURIComponent(panel.film().video_id)}/consent`,
          { key: currentKey(), body }));
        panel.say("Consent recorded: the film can be published.", "success");
      } catch (error) {
        failed.push(`“${panel.film().title}”: ${editorWords(error)}`);
      }
    }
    const done = chosen.length - failed.length;
    say(groupStatus, failed.length ? `Consent recorded for ${plural(done, "film")}; not for ${failed.join(" ")}`
      : `Consent recorded for ${plural(done, "film")}.`, failed.length ? "error" : "success");
  });
  const storyLink = workshop ? el("button", { type: "button", class: "link", onclick: () => {
    stories.open(workshop);
    document.getElementById("story-title").scrollIntoView();
    document.getElementById("story-title-field").focus();
  } }, "Write or edit this workshop's story") : null;
  return el("section", { class: "workshop-group", "aria-labelledby": `${id}-title`, "data-workshop": workshop },
    el("h3", { id: `${id}-title` }, `${title} · ${plural(films.length, "film")}`),
    storyLink, form, el("ul", { class: "panels" }, panels));
}

// Films without a workshop are no workshop: "11 films awaiting review, none with a workshop".
function queueSummary(count, groups) {
  if (!count) return "No film is awaiting review.";
  const loose = (groups.get(NO_WORKSHOP) || []).length;
  const named = groups.size - (loose ? 1 : 0);
  const films = `${plural(count, "film")} awaiting review`;
  if (!loose) return `${films}, in ${plural(named, "workshop")}.`;
  if (!named) return `${films}, none with a workshop.`;
  return `${films}: ${count - loose} in ${plural(named, "workshop")}, ${loose} without a workshop.`;
}

async function loadQueue() {
  attention.load();
  if (!currentKey()) {
    review.replaceChildren();
    say(reviewStatus, "Type your editor key above to see the films awaiting review.");
    return;
  }
  say(reviewStatus, "Loading the films awaiting review…");
  try {
    const [{ items }, vocabularyNow] = await Promise.all([request("GET", "/review", { key: currentKey() }), topics()]);
    const groups = new Map();
    for (const film of items) {
      const workshop = film.workshop || NO_WORKSHOP;
      groups.set(workshop, [...(groups.get(workshop) || []), film]);
    }
    review.replaceChildren(...[...groups].map(([workshop, films], index) =>
      workshopGroup(workshop, films, vocabularyNow, index)));
    say(reviewStatus, queueSummary(items.length, groups));
  } catch (error) {
    say(reviewStatus, editorWords(error), "error");
  }
}

let listCursor = null;

async function loadList(more = false) {
  if (!currentKey()) {
    say(listStatus, "Type your editor key above first.", "error");
    return;
  }
  const which = listForm.elements.status.value;
  const query = new URLSearchParams({ status: which });
  const text = listForm.elements.q.value.trim();
  if (text) query.set("q", text);
  if (more && listCursor) query.set("cursor", listCursor);
  say(listStatus, "Looking…");
  listMore.hidden = true;
  try {
    const [page, vocabularyNow] = await Promise.all([
      request("GET", `/editorial/films?${query}`, { key: currentKey() }), topics()]);
    const panels = page.items.map((item) => filmPanel({ ...item, status: page.status, summary: true }, currentKey,
      { topics: vocabularyNow }));
    if (more) listed.append(...panels);
    else listed.replaceChildren(...panels);
    listCursor = page.next_cursor;
    listMore.hidden = !listCursor;
    const count = listed.children.length;
    const matching = text ? ` matching “${text}”` : "";
    say(listStatus, count ? `${plural(count, `${which} film`)}${matching}${listCursor ? " so far" : ""}.`
      : listCursor ? `None${matching} yet: look further with “More films”.` : `No ${which} film${matching}.`);
  } catch (error) {
    say(listStatus, editorWords(error), "error");
  }
}

listForm.addEventListener("submit", (event) => {
  event.preventDefault();
  loadList();
});
listForm.elements.status.addEventListener("change", () => loadList());
listMore.addEventListener("click", () => loadList(true));

findForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const id = findForm.elements.video_id.value.trim();
  if (!id) return;
  say(findStatus, "Looking for the film…");
  try {
    const [film, vocabularyNow] = await Promise.all([
      request("GET", `/videos/${encodeURIComponent(id)}/editorial`, { key: currentKey() }), topics()]);
    found.replaceChildren(filmPanel(film, currentKey, { topics: vocabularyNow }));
    say(findStatus, `Found: ${film.title}.`, "success");
  } catch (error) {
    found.replaceChildren();
    say(findStatus, error.status === 404 ? "No film has this id: check it, or search the lists above."
      : editorWords(error), "error");
  }
});

document.getElementById("refresh").addEventListener("click", loadQueue);
loadQueue();
