// What an editor reads when the API refuses: the reason in an editor's words, never a route or a
// field of the API. Refusals about what the editor typed (a subtitle cue, a date) keep the API's
// sentence, which names the mistake.
import { ApiError } from "./api.js";

const BY_CODE = {
  consent_missing: "Record the guardian's consent and the child's assent first.",
  safeguarding_required: "This film is flagged sensitive: tick “Safeguarding checked” first.",
  unpublish_first: "Unpublish the film first: a film flagged sensitive can be published again only after a "
    + "safeguarding check.",
  film_processing: "This film is being prepared right now: change its identity protection once it is awaiting review.",
  protection_pending: "Not published: identity protection was asked for this film and its protected version is not "
    + "ready yet. It can be published once it is: open the film again later, its identity-protection line says when.",
  source_deleted: "The original upload of this film has been deleted (it is kept only for a while after "
    + "publication): its identity protection can no longer change. Take it down and upload it again if needed.",
  film_changed: "This film changed since you looked at it (its protection, title or sensitive flag, say): refresh "
    + "the page and look again before publishing.",
  note_names_child: "The note names the child: say what happened, never who the child or the family is.",
  conflict: "This film changed since the page showed it (someone else may be working on it): refresh and try again.",
  not_found: "This film is no longer there: it may have been taken down.",
  network: "The service could not be reached: check the connection and try again.",
  invalid_cursor: "The list changed meanwhile: search again.",
  internal_error: "Something went wrong on the server: try again in a moment.",
  reason_unknown: "Choose one of the reasons listed for the takedown.",
  reason_note_missing: "Say in a few words why the film is taken down (never who the child or the family is).",
};

// Identity protection asked of a film, as {faces, voice}.
export const asked = (film) => ({ faces: Boolean(film.protect_identity?.faces),
  voice: Boolean(film.protect_identity?.voice) });
export const isProtected = (film) => asked(film).faces || asked(film).voice;

// What changed between the film as the page showed it and as it is now, in an editor's words.
export function whatChanged(shown, now) {
  const said = [];
  if (isProtected(now) && !isProtected(shown)) said.push("protection was asked");
  else if (JSON.stringify(asked(now)) !== JSON.stringify(asked(shown))) said.push("its identity protection changed");
  if (now.status !== shown.status) said.push(`it is now ${STATUS_WORDS[now.status] || now.status}`);
  if (now.title !== shown.title) said.push(`its title is now “${now.title}”`);
  if (Boolean(now.sensitive) !== Boolean(shown.sensitive)) {
    said.push(now.sensitive ? "it was flagged sensitive" : "its sensitive flag was removed");
  }
  if (shown.consent && !now.consent) said.push("its consent was cleared");
  if (!shown.consent && now.consent) said.push("its consent was recorded");
  if (shown.draft && !now.draft) said.push("its office completed its details");
  return said.length ? said.join(", ") : "its details were edited";
}

// A refusal (409) after which the panel shows the film again as it is now (`shown` before, `now` after): for
// a film that changed meanwhile, what changed and where to look, rather than a refresh to ask for.
export function refusedAsShown(error, shown, now) {
  if (!["film_changed", "conflict"].includes(error.code) || now.version === shown.version) return editorWords(error);
  return `This film changed since the page showed it: ${whatChanged(shown, now)}. It is shown above as it is now: `
    + `look at it again${error.code === "film_changed" ? " before publishing" : ""}.`;
}

export function editorWords(error) {
  if (!(error instanceof ApiError)) return "Something went wrong on this page: reload it and try again.";
  if (error.status === 401) return "Type your editor key above first.";
  if (error.status === 403) return "This key is not an editor's key, or it no longer works.";
  if (BY_CODE[error.code]) return BY_CODE[error.code];
  // Their own words name the copy and what it asked for (PIPELINE.md, "Duplicates"), or the draft's date.
  if (["copy_protected", "draft_incomplete"].includes(error.code) && error.message) return error.message;
  if (error.status === 400 && error.message && !/\/[a-z]+\//.test(error.message)) return error.message;
  return error.status >= 500 ? BY_CODE.internal_error : "That did not work: refresh the page and try again.";
}

// A status as an editor says it.
export const STATUS_WORDS = {
  READY: "awaiting review",
  PUBLISHED: "published",
  UNPUBLISHED: "unpublished",
  AWAITING_UPLOAD: "not uploaded yet",
  UPLOADED: "being checked",
  VALIDATING: "being checked",
  PROTECTING: "faces or voice being hidden",
  TRANSCODING: "being prepared",
  REJECTED: "rejected",
  FAILED: "failed",
  EXPIRED: "never uploaded",
  DELETED: "taken down",
};

// Why a film is taken down: the API's `reason` as an editor says it.
export const TAKEDOWN_REASONS = {
  consent_withdrawn: "Consent withdrawn",
  safeguarding: "Safeguarding",
  family_request: "At the family's request",
  other: "Other",
};
