// The editor page: films awaiting review (GET /review), any film found by its id, and the actions.
import { request } from "./api.js";
import { say } from "./dom.js";
import { filmPanel } from "./editor-film.js";
import { keyField } from "./keys.js";

const queue = document.getElementById("review");
const queueStatus = document.getElementById("review-status");
const found = document.getElementById("found");
const findForm = document.getElementById("find-form");
const findStatus = document.getElementById("find-status");

const currentKey = keyField(document.getElementById("key-form"), "omjr.editorKey", () => loadQueue());

async function loadQueue() {
  if (!currentKey()) {
    queue.replaceChildren();
    say(queueStatus, "Type your editor key above to see the films awaiting review.");
    return;
  }
  say(queueStatus, "Loading the films awaiting review…");
  try {
    const { items } = await request("GET", "/review", { key: currentKey() });
    queue.replaceChildren(...items.map((film) => filmPanel(film, currentKey)));
    say(queueStatus, items.length ? `${items.length} film${items.length === 1 ? "" : "s"} awaiting review.`
      : "No film is awaiting review.");
  } catch (error) {
    say(queueStatus, error.message, "error");
  }
}

findForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const id = findForm.elements.video_id.value.trim();
  if (!id) return;
  say(findStatus, "Looking for the film…");
  try {
    const film = await request("GET", `/videos/${encodeURIComponent(id)}/editorial`, { key: currentKey() });
    found.replaceChildren(filmPanel(film, currentKey));
    say(findStatus, `Found: ${film.title} (${film.status}).`, "success");
  } catch (error) {
    found.replaceChildren();
    say(findStatus, error.message, "error");
  }
});

document.getElementById("refresh").addEventListener("click", loadQueue);
loadQueue();
