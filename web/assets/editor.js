// The editor page: the films awaiting review, grouped by workshop, with consent recorded once for a
// workshop's films (or a selection) and its consented films published together (editor-queue.js); the
// lists of published and unpublished films with a search; workshop stories; any film by its id; the films
// that need attention (failed or stuck).
import { publicGet, request } from "./api.js";
import { el, say } from "./dom.js";
import { attentionGroup } from "./editor-attention.js";
import { filmPanel } from "./editor-film.js";
import { entryText } from "./editor-history.js";
import { reviewQueue } from "./editor-queue.js";
import { storyEditor } from "./editor-story.js";
import { editorWords } from "./editor-words.js";
import { keyField } from "./keys.js";

const found = document.getElementById("found");
const findForm = document.getElementById("find-form");
const findStatus = document.getElementById("find-status");
const listForm = document.getElementById("list-form");
const listed = document.getElementById("listed");
const listStatus = document.getElementById("list-status-line");
const listMore = document.getElementById("list-more");

const currentKey = keyField(document.getElementById("key-form"), "omjr.editorKey", () => {
  loadQueue();
  listed.replaceChildren();
});
const attention = attentionGroup(document.getElementById("attention"), document.getElementById("attention-status"),
  document.getElementById("attention-more"), currentKey);
const stories = storyEditor(document.getElementById("story-form"), document.getElementById("story-preview"),
  currentKey);
let vocabulary = [];
const queue = reviewQueue(document.getElementById("review"), document.getElementById("review-status"), currentKey, {
  topics: () => vocabulary,
  stories: { open: (workshop) => {
    stories.open(workshop);
    document.getElementById("story-title").scrollIntoView();
    document.getElementById("story-title-field").focus();
  } },
});

async function topics() {
  if (!vocabulary.length) {
    vocabulary = (await publicGet("/topics").catch(() => ({ items: [] }))).items.map((item) => item.topic);
  }
  return vocabulary;
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

// The queue is read once the vocabulary of topics is there (its panels' forms offer them).
async function loadQueue() {
  attention.load();
  if (currentKey()) await topics();
  return queue.load();
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
    say(findStatus, `Found: ${film.draft ? "a draft whose details its office has not completed" : film.title}.`,
      "success");
  } catch (error) {
    found.replaceChildren();
    if (error.status === 404 && await showTakenDown(id)) return;
    say(findStatus, error.status === 404 ? "No film has this id: check it, or search the lists above."
      : editorWords(error), "error");
  }
});

// A film taken down is gone with its files and personal data; its history (who took it down, and why) stays.
async function showTakenDown(id) {
  let items;
  try {
    ({ items } = await request("GET", `/videos/${encodeURIComponent(id)}/audit`, { key: currentKey() }));
  } catch {
    return false;
  }
  const takenDown = items.find((item) => item.action === "taken_down");
  if (!takenDown) return false;
  found.replaceChildren(el("section", { class: "panel", "aria-label": "Taken down" },
    el("p", {}, "This film was taken down: its files and personal data are gone. Its history stays."),
    el("h3", {}, "History"),
    el("ol", { class: "history" }, items.map((item) => el("li", {}, entryText(item))))));
  say(findStatus, "Found: this film was taken down.", "success");
  return true;
}

document.getElementById("refresh").addEventListener("click", () => {
  attention.load();
  queue.refresh();
});
loadQueue();
