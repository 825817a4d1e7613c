// The Needs attention group of the editor page: films that failed, each with its reason and a button that
// starts it again (POST /videos/{id}/retry), and films stuck in processing past their stage's limit, with
// the limit they hit (GET /editorial/films?status=failed).
import { request } from "./api.js";
import { el, say } from "./dom.js";
import { editorWords, STATUS_WORDS } from "./editor-words.js";

const when = (at) => `${at.slice(0, 10)} ${at.slice(11, 16)} UTC`;

function minutes(seconds) {
  return seconds >= 120 && seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`;
}

function attentionCard(film, currentKey) {
  const status = el("p", { class: "status", role: "status", "aria-live": "polite" });
  const stuck = !film.can_retry;
  const state = stuck ? `Stuck: ${STATUS_WORDS[film.status] || film.status} since ${when(film.since)}`
    : `Failed on ${when(film.since)}`;
  const limit = stuck ? el("p", { class: "limit" },
    `Limit hit: ${minutes(film.limit_s)} for its ${film.waits_for} stage.`) : null;
  const card = el("li", { class: "panel attention", "data-video-id": film.video_id },
    el("h3", {}, film.title || "Untitled film"),
    el("p", { class: "badges" }, state),
    el("p", { class: "reason" }, film.reason),
    film.retried_automatically ? el("p", { class: "hint automatic" }, "This looks like a passing failure on our "
      + "side: it is started again by itself a few minutes after it failed, once. Start it now if you prefer.")
      : null,
    limit,
    el("p", { class: "hint" }, `Film id: ${film.video_id}`));
  if (!stuck) {
    const retry = el("button", { type: "button", class: "primary" }, "Start it again");
    retry.addEventListener("click", async () => {
      retry.disabled = true;
      say(status, "Starting it again…");
      try {
        await request("POST", `/videos/${encodeURIComponent(film.video_id)}/retry`, { key: currentKey() });
        retry.remove();
        card.dataset.state = "retried";
        say(status, "Started again: it is being checked, then prepared. It appears under “Awaiting review” when it "
          + "is ready (press Refresh there).", "success");
      } catch (error) {
        retry.disabled = false;
        say(status, error.code === "not_failed" ? "This film is no longer failed: someone started it again already."
          : editorWords(error), "error");
      }
    });
    card.append(el("div", { class: "actions" }, retry));
  }
  card.append(status);
  return card;
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

// Loads the group into `list`, saying how many films it holds in `line`; `more` fetches the next page.
export function attentionGroup(list, line, more, currentKey) {
  let cursor = null;
  let stuckCount = 0;
  async function load(next = false) {
    if (!currentKey()) {
      list.replaceChildren();
      say(line, "");
      return;
    }
    const query = new URLSearchParams({ status: "failed" });
    if (next && cursor) query.set("cursor", cursor);
    more.hidden = true;
    try {
      const page = await request("GET", `/editorial/films?${query}`, { key: currentKey() });
      const cards = [...page.stuck, ...page.items].map((film) => attentionCard(film, currentKey));
      if (next) list.append(...cards);
      else {
        list.replaceChildren(...cards);
        stuckCount = page.stuck.length;
      }
      cursor = page.next_cursor;
      more.hidden = !cursor;
      const failed = list.children.length - stuckCount;
      say(line, !list.children.length ? "No film needs attention: none failed, none is stuck."
        : `${plural(failed, "film")} failed, ${stuckCount} stuck${cursor ? " so far" : ""}.`);
    } catch (error) {
      say(line, editorWords(error), "error");
    }
  }
  more.addEventListener("click", () => load(true));
  return { load };
}
