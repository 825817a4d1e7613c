// The upload page's work in progress, kept for this tab (sessionStorage): the workshop's details and
// each film's row, so a reload shows them again. Files cannot be kept: the page asks for them again,
// and parts.js remembers which film each file became, so nothing is sent twice. Whether the films were
// being sent is kept too: once the files are chosen again, the sending goes on by itself.
const DRAFT = "omjr.uploadDraft";

export function loadDraft() {
  try {
    return JSON.parse(sessionStorage.getItem(DRAFT)) || { workshop: {}, films: [], sending: false };
  } catch {
    return { workshop: {}, films: [], sending: false };
  }
}

export function saveDraft(workshop, entries, sending) {
  const films = entries.map(({ id, name, size, fields, videoId, sent, refusal }) =>
    ({ id, name, size, fields, videoId, sent, refusal }));
  sessionStorage.setItem(DRAFT, JSON.stringify({ workshop, films, sending }));
}
