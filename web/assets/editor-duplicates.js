// Duplicates beside a film (GET /videos/{id}/editorial's `duplicates`): the other films of its office or
// workshop whose picture is the same (a copy re-encoded, resized, trimmed or protected) or that are the same
// file. Said first when the other film is already published: publishing this one would show the film twice.
import { el } from "./dom.js";
import { STATUS_WORDS } from "./editor-words.js";

const SAME_WORDS = { file: "Same file as", picture: "Same picture as" };

export function duplicateBadge(film) {
  const others = film.duplicates || [];
  if (!others.length) return null;
  return others.some((other) => other.status === "PUBLISHED") ? "Duplicate of a published film" : "Possible duplicate";
}

export function duplicateNotice(film) {
  const others = [...(film.duplicates || [])].sort((a, b) =>
    Number(b.status === "PUBLISHED") - Number(a.status === "PUBLISHED"));
  if (!others.length) return null;
  return el("div", { class: "duplicates", role: "note", "aria-label": "Duplicates" },
    el("p", {}, others.length === 1 ? "This film looks like another film:" : "This film looks like other films:"),
    el("ul", {}, others.map((other) => el("li", { "data-status": other.status },
      `${SAME_WORDS[other.same] || "Same as"} ${named(other)} (${state(other)}, film id ${other.video_id})`
      + askedToHide(other, film)))));
}

// A draft has no title yet: its office sent the file and has not completed its details (no editor reviews it).
const named = (other) => (other.draft ? "a copy whose details its office has not completed" : `“${other.title}”`);
const state = (other) => (other.draft ? "no editor reviews it" : STATUS_WORDS[other.status] || other.status);

// A copy sent asking to hide the child: this film is not published with less (the API holds it, copy_protected).
function askedToHide(other, film) {
  const asked = other.protect_identity || {};
  const here = film.protect_identity || {};
  const missing = [asked.faces && !here.faces ? "blurred faces" : null, asked.voice && !here.voice
    ? "a disguised voice" : null].filter(Boolean);
  return missing.length ? `. It asked for ${missing.join(" and ")}: ask for the same here before publishing.` : "";
}
