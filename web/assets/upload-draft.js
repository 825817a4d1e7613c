// The upload page's work in progress, kept for this tab (sessionStorage): the workshop's details and
// each film's row, so a reload shows them again. Files cannot be kept: the page asks for them again,
// and parts.js remembers which film each file became, so nothing is sent twice. Whether the films were
// being sent goes on by itself once the files are chosen again; a film whose bytes all arrived needs no
// file again, only its details if they were not complete.
const DRAFT = "omjr.uploadDraft";

export function loadDraft() {
  try {
    return JSON.parse(sessionStorage.getItem(DRAFT)) || { workshop: {}, films: [] };
  } catch {
    return { workshop: {}, films: [] };
  }
}

export function saveDraft(workshop, entries) {
  const films = entries.map(({ id, name, size, fields, videoId, sent, completed, unsaved, detailsSent, deleteAfter,
    refusal }) => ({ id, name, size, fields, videoId, sent, completed, unsaved, detailsSent, deleteAfter, refusal }));
  sessionStorage.setItem(DRAFT, JSON.stringify({ workshop, films }));
}
