// The office's uploads (GET /uploads, newest first, page by page with its cursor), refreshed while
// films are on their way, so each film's outcome shows without reloading the page.
import { request } from "./api.js";
import { el, say } from "./dom.js";
import { explainError, FINAL, listText, outcome, protectionText } from "./upload-words.js";

const PAGE = 20;
const POLL_MS = 3000;
const MOVING = new Set(["UPLOADED", "VALIDATING", "PROTECTING", "TRANSCODING"]);

export function uploadsList({ list, more, status, currentKey, onFilm, onGone }) {
  let films = new Map(); // video_id -> film, newest first
  let cursor = null;
  let timer = null;
  const watched = new Set(); // films sent from this page whose outcome is awaited

  function item(film) {
    const { text, kind } = outcome(film);
    const child = film.author ? ` · ${film.author.first_name}, ${film.author.age}` : "";
    const sent = new Date(film.created_at).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
    const hidden = protectionText(film.protect_identity);
    return el("li", { class: "upload-item", "data-video-id": film.video_id, "data-status": film.status },
      el("strong", {}, film.title || film.filename), child,
      el("span", { class: "upload-when" }, ` · ${sent}`),
      hidden ? el("span", { class: "upload-protect" }, `Identity protection asked: ${hidden}`) : null,
      el("span", { class: "upload-outcome", "data-kind": kind }, text),
      alreadySent(film));
  }

  // The office sent the same film before (the same file, or the same picture re-encoded, resized, trimmed):
  // the office is told which film this one was already sent as, and which of them the editors see. A draft
  // (details missing) no editor sees: a copy sent by mistake needs nothing more (it is deleted on its date).
  function alreadySent(film) {
    const earlier = film.already_sent_as || [];
    if (!earlier.length) return null;
    const name = (other) => (other.draft || !other.title ? "a film whose details are missing" : `“${other.title}”`);
    const seen = earlier.filter((other) => !other.draft);
    let then;
    if (film.draft) {
      then = "if this copy was sent by mistake, leave its details empty: no editor sees it, and it is deleted on its "
        + "date.";
    } else if (seen.length === earlier.length) {
      then = `the editors see ${earlier.length === 1 ? "both" : "all of them"}.`;
    } else if (!seen.length) {
      then = "the editors see only this one.";
    } else {
      then = `the editors see this one and ${listText(seen.map(name))}.`;
    }
    return el("span", { class: "upload-duplicate", "data-kind": "warn" },
      `Already sent as ${listText(earlier.map(name))}: ${then}`);
  }

  function render() {
    list.replaceChildren(...[...films.values()].map(item));
    more.hidden = !cursor;
    if (!films.size) say(status, "No uploads yet.");
    else say(status, `${films.size} upload${films.size === 1 ? "" : "s"} shown, newest first.`);
  }

  async function page(after) {
    const query = `/uploads?limit=${PAGE}${after ? `&cursor=${encodeURIComponent(after)}` : ""}`;
    return request("GET", query, { key: currentKey() });
  }

  function schedule() {
    clearTimeout(timer);
    const waiting = [...watched].some((id) => !FINAL.has(films.get(id)?.status));
    const moving = [...films.values()].some((film) => MOVING.has(film.status));
    if (waiting || moving) timer = setTimeout(refresh, POLL_MS);
  }

  // The newest page again (older pages already shown stay), and any watched film not on it.
  async function refresh() {
    clearTimeout(timer);
    if (!currentKey()) return;
    try {
      const readAt = performance.now(); // what the page saved after this read is newer than the list says
      const first = await page(null);
      const fresh = new Map(first.items.map((film) => [film.video_id, film]));
      for (const id of watched) {
        if (!fresh.has(id)) await follow(id, fresh);
      }
      // Merged into what is shown now (older pages may have arrived meanwhile), newest first.
      if (!films.size) cursor = first.next_cursor;
      const merged = new Map([...films, ...fresh]);
      films = new Map([...merged.values()].sort((a, b) => b.created_at.localeCompare(a.created_at))
        .map((film) => [film.video_id, film]));
      render();
      for (const film of films.values()) onFilm(film, fresh.has(film.video_id) ? readAt : 0);
    } catch (error) {
      say(status, `The list could not be loaded: ${explainError(error)}`, "error");
    }
    schedule();
  }

  // A film sent from this page and not on the newest page: asked for by its id. A 404 or 410 for an id
  // the page sent itself means the editors took it down (its tombstone keeps no office): it is told and
  // no longer followed, and the rest of the list loads as before.
  async function follow(id, fresh) {
    try {
      fresh.set(id, await request("GET", `/uploads/${encodeURIComponent(id)}`, { key: currentKey() }));
    } catch (error) {
      if (error.status !== 404 && error.status !== 410) throw error;
      watched.delete(id);
      films.delete(id);
      onGone(id);
    }
  }

  more.addEventListener("click", async () => {
    more.disabled = true;
    try {
      const next = await page(cursor);
      for (const film of next.items) films.set(film.video_id, film);
      cursor = next.next_cursor;
      render();
      list.lastElementChild?.scrollIntoView({ block: "nearest" });
    } catch (error) {
      say(status, `Older uploads could not be loaded: ${explainError(error)}`, "error");
    } finally {
      more.disabled = false;
    }
  });

  return {
    refresh,
    watch(videoId) {
      watched.add(videoId);
      refresh();
    },
    clear() {
      clearTimeout(timer);
      films = new Map();
      cursor = null;
      list.replaceChildren();
      more.hidden = true;
      say(status, "Your office's uploads show here once your key is accepted.");
    },
  };
}
