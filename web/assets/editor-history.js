// A film's history on the editor page: who did what to it and when, from its audit trail
// (GET /videos/{id}/audit), oldest first, in an editor's words. Read when opened, and again after
// each change made from the panel while it is open.
import { request } from "./api.js";
import { el, say } from "./dom.js";
import { TAKEDOWN_REASONS, editorWords } from "./editor-words.js";

const hidden = ({ faces, voice }) => [faces ? "faces blurred" : null, voice ? "voice disguised" : null]
  .filter(Boolean).join(" and ") || "none";

const WHAT = {
  consent_recorded: () => "recorded the consent",
  published: () => "published the film",
  unpublished: () => "unpublished the film",
  highlighted: (d) => (d.highlighted ? "highlighted the film" : "took the highlight off"),
  edited: (d) => `edited the details${d.fields?.length ? ` (${d.fields.join(", ")})` : ""}`,
  corrected_by_office: () => "corrected the details (field office)",
  details_completed: (d) => "completed the details of its draft (field office)"
    + (!d.answered ? "" : d.answered.faces || d.answered.voice ? `; asked to hide the child: ${hidden(d.answered)}`
      : "; said the child may be recognised")
    + (d.rendered_again ? "; the film is made again from its upload" : ""),
  protection_changed: (d) => `set identity protection: ${hidden(d)}`
    + (d.rendered_again ? "; the film is made again from its upload" : ""),
  protection_caught_up: (d) => `made the film again from its upload with the identity protection its office asked for`
    + ` while it was being prepared: ${hidden(d.protect_identity || {})}`,
  subtitles_added: (d) => `added subtitles (${d.language})`,
  subtitles_removed: (d) => `removed subtitles (${d.language})`,
  source_deleted: () => "deleted the original upload (kept only for a while)",
  taken_down: (d) => `took the film down${d.reason === "not_given" ? " (no reason given)"
    : d.reason === "draft_unfinished" ? " (its details were never completed: deleted after 14 days)"
    : d.reason ? ` (${TAKEDOWN_REASONS[d.reason] || d.reason}${d.note ? `: ${d.note}` : ""})` : ""}`,
};

const when = (at) => `${at.slice(0, 10)} ${at.slice(11, 16)} UTC`;

export function entryText({ actor, action, details, at }) {
  const what = WHAT[action] ? WHAT[action](details || {}) : action.replaceAll("_", " ");
  return `${when(at)} · ${actor}: ${what}`;
}

// The <details> of one film's history; `.refresh()` reads it again when it is open.
export function historyBox(videoId, key) {
  const list = el("ol", { class: "history" });
  // Not a live region: the panel's own status is the one place an editor hears what an action did.
  const status = el("p", { class: "status" });
  const box = el("details", { class: "edit" }, el("summary", {}, "History"), list, status);
  async function load() {
    say(status, "Loading the history…");
    try {
      const { items } = await request("GET", `/videos/${encodeURIComponent(videoId)}/audit`, { key: key() });
      list.replaceChildren(...items.map((item) => el("li", {}, entryText(item))));
      say(status, items.length ? "" : "Nothing has been done to this film since it was uploaded.");
    } catch (error) {
      say(status, editorWords(error), "error");
    }
  }
  box.addEventListener("toggle", () => { if (box.open) load(); });
  box.refresh = () => (box.open ? load() : null);
  return box;
}
