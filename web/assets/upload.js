// The upload page for a workshop: the key checked as soon as it is entered, the workshop's details
// typed once, a row per film with its own details, checks before a byte is sent (against the stage's
// published rules), each film sent as soon as it is chosen and passes them (a draft: POST /uploads with
// "draft": true), in parts (resumable, never twice, and resumed by itself when the connection returns),
// while the facilitator fills in its details, which the page sends (PATCH /uploads/{id}) as soon as they
// are complete and valid; every mistake listed at once, the workshop's progress and summary, and the
// office's uploads. A reload keeps the rows (upload-draft.js) and continues where it stopped.
import { request } from "./api.js";
import { el, say } from "./dom.js";
import { keyField } from "./keys.js";
import { meter } from "./meter.js";
import { fileDigest, remember, sendInParts, unfinished } from "./parts.js";
import { workshopBar } from "./upload-bar.js";
import { bulkPanel } from "./upload-bulk.js";
import { checkFilm, contentType } from "./upload-checks.js";
import { loadDraft, saveDraft } from "./upload-draft.js";
import { markRefused, watchField } from "./upload-fields.js";
import { uploadsList } from "./upload-list.js";
import { mistakesList } from "./upload-mistakes.js";
import { sendingQueue } from "./upload-queue.js";
import { placeholder, preview } from "./upload-preview.js";
import { filmRow } from "./upload-rows.js";
import { workshopSummary } from "./upload-summary.js";
import { dateText, explainError, FINAL, lengthText, listText, outcome, progressText } from "./upload-words.js";

const form = document.getElementById("workshop-form");
const keyInput = document.getElementById("key");
const keyStatus = document.getElementById("key-status");
const country = document.getElementById("country");
const rowsNode = document.getElementById("film-rows");
const rowsStatus = document.getElementById("rows-status");
const sendButton = document.getElementById("send");
const sendStatus = document.getElementById("send-status");
const clearDone = document.getElementById("clear-done");
const picker = document.getElementById("files");
const dropZone = document.getElementById("drop-zone");
const PROGRESS_EVERY_MS = 400;
// Details are sent once the facilitator pauses (not at every key), and tried again after a dropped
// connection.
const DETAILS_AFTER_MS = 1200;
const DETAILS_AFTER_LEAVING_MS = 30_000;
const DETAILS_RETRY_MS = 5000;
const UNCORRECTABLE = new Set(["PUBLISHED", "UNPUBLISHED", "REJECTED", "EXPIRED"]);
const KINDS = ["faces", "voice"]; // of hiding a child's identity

// file digest -> {id, name, size, file, fields, videoId, sent (every byte arrived), completed (its details
// accepted), detailsSent, deleteAfter (a draft's), refusal, check, row}
const entries = new Map();
let rules = null;
let summed = false; // the workshop's summary is shown, and follows each film's outcome
let fixedAll = false; // the list of mistakes was shown and every one of them fixed
// A film is done with once its bytes arrived and its details completed it, with no change of them left unsaved
// (`unsaved`: changed after they went, a box ticked to hide the child among them; kept across a reload).
const done = (entry) => entry.sent && entry.completed && !entry.unsaved;

const list = uploadsList({
  list: document.getElementById("uploads"), more: document.getElementById("more"),
  status: document.getElementById("list-status"), currentKey: () => currentKey(), onFilm: showOutcome,
  onGone: showGone,
});
const bar = workshopBar(document.getElementById("workshop-bar"));
const bulk = bulkPanel(document.getElementById("bulk"), () => [...entries.values()].map((entry) => entry.row));
const shared = [country, form.elements.language, form.elements.workshop];
for (const input of shared) watchField(input);
const mistakes = mistakesList(document.getElementById("mistakes"), () => [
  { name: "The workshop", inputs: shared, open: () => {} },
  ...[...entries.values()].filter((e) => !done(e) && (e.file || e.videoId) && !e.refusal)
    .map((entry) => ({ name: entry.name, inputs: entry.row.inputs(), open: () => entry.row.unfold() })),
]);
const currentKey = keyField(document.getElementById("key-form"), "omjr.fieldOfficeKey", () => checkKey());
document.getElementById("refresh").addEventListener("click", () => list.refresh());

// The key ------------------------------------------------------------------------------------------

const countryName = (code) => {
  try {
    return new Intl.DisplayNames(["en"], { type: "region" }).of(code);
  } catch {
    return code;
  }
};

// The country chosen before a reload: kept until the key's countries are there to choose from (a draft
// saved meanwhile must not lose it).
let pendingCountry = "";

function fillCountries(codes) {
  const wanted = country.value || pendingCountry;
  country.replaceChildren(codes.length ? el("option", { value: "" }, "Choose the country")
    : el("option", { value: "" }, "Use your key first"),
  ...codes.map((code) => [countryName(code), code]).sort(([a], [b]) => a.localeCompare(b))
    .map(([name, code]) => el("option", { value: code }, `${name} (${code})`)));
  country.value = codes.includes(wanted) ? wanted : codes.length === 1 ? codes[0] : "";
}

// A cheap authenticated call as soon as the key is entered: a wrong key is found before any form is filled.
// Sending waits for it (a click right after a reload must not find the rules missing).
let keyChecked = Promise.resolve();
function checkKey() {
  keyChecked = askForRules();
  return keyChecked;
}

async function askForRules() {
  if (rules) pendingCountry = country.value;
  rules = null;
  const key = currentKey();
  if (!key) {
    say(keyStatus, "Type your office's key, then press “Use this key”.");
    fillCountries([]);
    list.clear();
    return;
  }
  say(keyStatus, "Checking the key…");
  try {
    rules = await request("GET", "/uploads/rules", { key });
  } catch (error) {
    say(keyStatus, explainError(error), "error");
    fillCountries([]);
    list.clear();
    return;
  }
  const where = rules.countries.length > 5 ? `${rules.countries.length} countries`
    : listText(rules.countries.map(countryName));
  say(keyStatus, `Key accepted: your office sends films from ${where}.`, "success");
  fillCountries(rules.countries);
  bulk.setRules(rules);
  for (const node of document.querySelectorAll("[data-rule=duration]")) {
    node.textContent = `${rules.duration_s.min} to ${rules.duration_s.max} seconds`;
  }
  for (const entry of entries.values()) {
    entry.row.setRules(rules);
    checkEntry(entry);
    completeDetails(entry);
  }
  list.refresh();
}

// The films ----------------------------------------------------------------------------------------

const workshop = () => ({ country: rules ? country.value : pendingCountry, language: form.elements.language.value.trim(),
  workshop: form.elements.workshop.value.trim() });
const save = () => saveDraft(workshop(), [...entries.values()].map((entry) => ({ ...entry, fields: entry.row.read() })));

function addEntry(saved) {
  const entry = { ...saved, file: null, check: Promise.resolve() };
  entry.row = filmRow(entry, { onRemove: removeEntry, onChange: changed, onCorrect: correctEntry });
  // The facilitator moved on from the row: its details, if complete, are sent once it has been left alone for a
  // while (not while it is being filled in, nor at once: a facilitator often comes back to tick "hide this child's
  // identity", or applies it to several rows at once, and a film whose details are complete goes to the editors).
  entry.row.node.addEventListener("focusout", () => detailsSoon(entry, {}, DETAILS_AFTER_LEAVING_MS));
  entry.row.fill(saved.fields || {});
  if (rules) entry.row.setRules(rules);
  entries.set(entry.id, entry);
  rowsNode.append(entry.row.node);
  bulk.update();
  return entry;
}

function changed(entry) {
  // Changed after its details went: sent again before the film is done with.
  // ("Correct the details" saves its own.)
  if (entry.completed && !done(entry) && !entry.row.correcting
    && JSON.stringify(detailsOf(entry)) !== entry.detailsSent) {
    entry.unsaved = true;
    saveHidingAlone(entry);
  }
  save();
  if (!followFixes()) detailsSoon(entry);
}

// The last mistake of the list fixed: every film's details go once the facilitator pauses, the row being
// typed in too (they came to fix this field, not to fill in the row). True when so.
function followFixes() {
  if (mistakes.update()) {
    fixedAll = true;
    say(sendStatus, "Every listed mistake is fixed: the details go now, and the films on with them.", "success");
  }
  if (fixedAll) for (const each of entries.values()) detailsSoon(each, { evenIfFocused: true });
  return fixedAll;
}

function removeEntry(entry) {
  // A film removed before its turn is not sent; one whose bytes are going is (without its details it stays a
  // draft that no editor sees, deleted on its date).
  queue.drop(entry);
  entries.delete(entry.id);
  entry.row.node.remove();
  bulk.update();
  mistakes.update();
  save();
  summarise();
  (rowsNode.querySelector(".film-row input:not(:disabled)") || picker).focus();
}

function checkEntry(entry) {
  if (entry.sent) return;
  if (!entry.file && entry.refusal) {
    // Refused before sending: after a reload it still needs another file, not this one again.
    entry.row.showCheck(entry.refusal, "error");
    return;
  }
  if (!entry.file) {
    entry.row.showCheck(`Choose ${entry.name} again to send it: the page was reloaded.`, "error");
    return;
  }
  if (!rules) {
    entry.row.showCheck("It is checked once your key is accepted.");
    return;
  }
  entry.row.showCheck("Checking the film's length and size…");
  const { file } = entry;
  entry.check = checkFilm(file, rules).then(({ problem, note, duration }) => {
    entry.refusal = problem;
    entry.row.showPreview(preview(file, entry.name, duration));
    bulk.update();
    entry.row.lock(Boolean(problem));
    entry.row.setRefused(Boolean(problem));
    entry.row.showCheck(problem || note, problem ? "error" : "info");
    if (problem) entry.row.showOutcome("Not sent.", "error", "REFUSED_HERE");
    save();
    summarise();
    startSending(entry);
  });
}

// Whether every detail of the row has a value (right or wrong: that is for the checks to say).
function filledIn(entry) {
  const { title, first_name: firstName, age, topics, protect_answered: answered } = entry.row.read();
  return Boolean(title && firstName && age !== "" && topics.length && answered);
}

// Files are added one batch after the other; sending waits for the batches being added (a click on
// Send right after choosing the files must find them in their rows).
let adding = Promise.resolve();
function addFiles(files) {
  adding = adding.then(() => addBatch(files));
  return adding;
}

async function addBatch(files) {
  let first = null;
  for (const file of files) {
    const id = await fileDigest(file);
    const entry = entries.get(id) || addEntry({ id, name: file.name, size: file.size, fields: {} });
    entry.file = file;
    checkEntry(entry);
    if (!done(entry) && !filledIn(entry)) first ??= entry;
  }
  save();
  summarise();
  // The first film still to be described (not one whose details are complete: a focused row is not sent).
  first?.row.focus();
}

function summarise() {
  const all = [...entries.values()];
  const counts = [
    [all.filter(done).length, "sent"],
    [all.filter((e) => e.sent && !e.completed).length, "sent, details to complete"],
    [all.filter((e) => e.sent && e.completed && e.unsaved).length, "sent, changes to its details being saved"],
    [all.filter((e) => !e.sent && e.file && !e.refusal).length, "to send"],
    [all.filter((e) => !e.sent && e.refusal).length, "refused before sending"],
    [all.filter((e) => !e.sent && !e.file && !e.refusal).length, "to choose again"],
  ].filter(([n]) => n);
  say(rowsStatus, all.length ? `${all.length} film${all.length === 1 ? "" : "s"}: ${counts.map(([n, what]) => `${n} ${what}`).join(", ")}.` : "");
  clearDone.hidden = !all.some(done);
}

// The outcome the office's list reports for a film sent from this page, as read at `readAt`.
function showOutcome(film, readAt) {
  const entry = [...entries.values()].find((e) => e.videoId === film.video_id && done(e));
  if (!entry) return;
  // Every byte left this page, but the service has not noticed yet: "waiting to be sent" would say otherwise.
  const { text, kind } = film.status === "AWAITING_UPLOAD"
    ? { text: "Sent; waiting for the upload service to receive it.", kind: "info" } : outcome(film);
  entry.row.showOutcome(text, kind, film.status);
  entry.reason = film.reason;
  if (film.duration_s && entry.row.node.querySelector(".film-thumb-none")) {
    entry.row.showPreview(placeholder(`No preview in this browser. The film lasts ${lengthText(film.duration_s)}.`));
  }
  // Not what the list read before this page last saved the film's details (it would undo them on the page).
  if (!(readAt < entry.savedAt)) entry.row.showSent(film.protect_identity);
  entry.row.offerCorrection(!UNCORRECTABLE.has(film.status));
  if (FINAL.has(film.status)) entry.row.showProgress("", 1);
  if (summed) showSummary();
}

// A film this page sent that the API no longer knows (404) or no longer shows (410): the editors took
// it down, and its tombstone keeps no office. The row says so; the rest of the list goes on.
function showGone(videoId) {
  const entry = [...entries.values()].find((e) => e.videoId === videoId && done(e));
  if (!entry) return;
  entry.row.showOutcome("No longer available: removed by the editors.", "info", "REMOVED");
  entry.row.offerCorrection(false);
  if (summed) showSummary();
}

function showSummary() {
  summed = true;
  const { text, kind, reasons } = workshopSummary([...entries.values()]);
  bar.summary(text, kind, reasons);
}

// A typo seen after sending: the film's own details are corrected in place until it is published.
async function correctEntry(entry) {
  const { row } = entry;
  if (!row.correcting) {
    row.setCorrecting(true);
    row.showCheck("Correct the details, then press “Save the corrections”.");
    return;
  }
  const invalid = row.invalidField();
  if (invalid) {
    invalid.focus();
    invalid.reportValidity();
    return;
  }
  const { title, first_name: firstName, age, topics, protect_identity: protection } = row.read();
  const body = { title, author: { first_name: firstName, age }, topics };
  if (protection.faces || protection.voice) body.protect_identity = protection; // added to, never taken back
  try {
    const film = await request("PATCH", `/uploads/${encodeURIComponent(entry.videoId)}`,
      { key: currentKey(), body });
    row.showSent(film.protect_identity);
    row.setCorrecting(false);
    Object.assign(entry, { detailsSent: JSON.stringify(detailsOf(entry)), unsaved: false, savedAt: performance.now() });
    row.showCheck(film.sent_back_to_review
      ? "Corrected. The editors will check the film again before publishing it." : "Corrected.", "success");
    save();
    list.refresh();
  } catch (error) {
    row.showCheck(`Not corrected: ${explainError(error)}`, "error");
  }
}

// Sending ------------------------------------------------------------------------------------------

// What a draft needs: its file only. Every film goes in parts, even a small one: an interrupted film
// continues, and the memory of which film a file became (parts.js) makes sending the same file again harmless.
const draftOf = (entry) => ({ filename: entry.file.name, size_bytes: entry.file.size,
  content_type: contentType(entry.file, rules), multipart: true, draft: true });

// The details that complete a draft (or, sent again, correct what changed of them).
function detailsOf(entry) {
  const { title, first_name: firstName, age, topics, protect_identity: protection } = entry.row.read();
  // The protection answered for every film, "No" included (a complete row has its answer).
  const body = { title, country: country.value, topics, author: { first_name: firstName, age },
    protect_identity: protection };
  const shared = workshop();
  for (const name of ["language", "workshop"]) if (shared[name]) body[name] = shared[name];
  return body;
}

const queue = sendingQueue({ sendEntry, bar, status: sendStatus, onEnd: () => showSummary() });

// A film is sent as soon as it is chosen and passes the checks, with or without its details.
function startSending(entry) {
  if (!rules || !currentKey() || !entry.file || entry.sent || entry.refusal || queue.has(entry)) return;
  queue.add(entry);
}

function draftText(entry) {
  const when = entry.deleteAfter ? dateText(entry.deleteAfter) : "in 14 days";
  return `Complete its details: until then no editor sees it, and it is deleted on ${when}.`;
}

// Every byte arrived: the film is done with if its details completed it, else it waits for them.
function bytesArrived(entry, videoId, text) {
  Object.assign(entry, { videoId, sent: true });
  if (done(entry)) finish(entry, text);
  else if (entry.completed) {
    entry.row.showOutcome("Sent. Saving the latest changes to its details…", "info", "SAVING");
    completeDetails(entry, { evenIfFocused: true });
  }
  else {
    entry.row.showOutcome(`Sent. ${draftText(entry)}`, "info", "DRAFT");
    completeDetails(entry);
  }
  save();
  summarise();
}

function finish(entry, text = "Sent: it is being checked…") {
  entry.row.showSent(entry.row.read().protect_identity);
  // The row locks: a facilitator typing in it goes on in the next film (a disabled field would drop the focus).
  const typing = entry.row.node.contains(document.activeElement);
  entry.row.lock(true);
  if (typing) moveOn(entry);
  entry.row.showCheck("");
  entry.row.showOutcome(text, "info", "SENT");
  save();
  summarise();
  list.watch(entry.videoId);
}

async function sendEntry(entry, onWorkshop) {
  const key = currentKey();
  const { row, file } = entry;
  row.showOutcome("Starting…", "info", "SENDING");
  const earlier = await unfinished(file, key);
  if (earlier?.sent) {
    bytesArrived(entry, earlier.video_id, "This film had already been sent; it was not sent again.");
    return;
  }
  let videoId = earlier?.video_id;
  let parts = earlier;
  if (earlier) {
    row.showOutcome(`Continuing: ${earlier.arrived.length} of ${earlier.parts_total} parts had arrived.`);
  } else {
    const created = await request("POST", "/uploads", { key, body: draftOf(entry) });
    videoId = created.video_id;
    entry.deleteAfter = created.delete_after;
    await remember(file, videoId);
    parts = await request("GET", `/uploads/${encodeURIComponent(videoId)}/parts`, { key });
    row.showOutcome("Sending…");
  }
  entry.videoId = videoId;
  save();
  completeDetails(entry); // typed before the film could be created: sent now
  const measure = meter(file.size, parts.arrived.reduce((sum, part) => sum + part.size_bytes, 0));
  let shown = 0;
  await sendInParts(videoId, file, parts, key, (sentBytes) => {
    onWorkshop(sentBytes);
    const reading = measure(sentBytes);
    if (performance.now() - shown > PROGRESS_EVERY_MS || sentBytes === file.size) {
      shown = performance.now();
      row.showProgress(progressText(reading), sentBytes / file.size);
    }
  });
  bytesArrived(entry, videoId, "Sent: it is being checked…");
}

function detailsSoon(entry, how = {}, after = DETAILS_AFTER_MS) {
  clearTimeout(entry.detailsTimer);
  entry.detailsTimer = setTimeout(() => completeDetails(entry, how), after);
}

function detailsReady(entry, { evenIfFocused = false } = {}) {
  if (!rules || !country.value || !entry.videoId || entry.refusal || done(entry)) return false;
  if (!evenIfFocused && entry.row.node.contains(document.activeElement)) return false; // still being filled in
  if (shared.some((input) => !input.checkValidity())) return false;
  return entry.row.complete();
}

// The row's details, once complete and valid and the facilitator has moved on from it, complete its draft
// (PATCH /uploads/{id}); changed again before every byte arrived, they are sent again. A refusal marks its field, which the list of mistakes shows.
async function completeDetails(entry, how = {}) {
  clearTimeout(entry.detailsTimer);
  if (entry.patching || !detailsReady(entry, how)) return;
  const body = detailsOf(entry);
  const said = JSON.stringify(body);
  if (said === entry.detailsSent) {
    if (entry.unsaved) { // changed back to what was saved: nothing left to save
      entry.unsaved = false;
      if (entry.sent) finish(entry);
      save();
    }
    return;
  }
  entry.patching = true;
  const { row } = entry;
  let saved = false;
  try {
    await request("PATCH", `/uploads/${encodeURIComponent(entry.videoId)}`, { key: currentKey(), body });
    saved = true;
    Object.assign(entry, { completed: true, detailsSent: said, savedAt: performance.now() });
    // Changed while the request went (a box ticked, a typo fixed): sent too before the row locks. Protection
    // sent is kept (only the editors take it off).
    const kept = row.keepAsked(body.protect_identity);
    entry.unsaved = JSON.stringify(detailsOf(entry)) !== said;
    if (entry.unsaved) row.showCheck("Saving the latest changes…");
    else if (entry.sent) finish(entry);
    else row.showCheck("Details complete: the film goes to the editors once every byte has arrived.", "success");
    if (kept && !entry.unsaved) {
      row.showCheck("Hiding this child's identity, once sent, is taken off only by the project's editors.", "info");
    }
  } catch (error) {
    if (error.code === "not_correctable" && entry.sent) {
      // Refused by the pipeline meanwhile (a file that is no film): nothing to complete; the list says why.
      Object.assign(entry, { completed: true, detailsSent: said });
      finish(entry);
    } else if (error.status === 0) {
      entry.detailsTimer = setTimeout(() => completeDetails(entry, how), DETAILS_RETRY_MS);
    } else if (error.code === "protection_kept" && entry.detailsSent) {
      // Hiding already saved was unticked: it stays (only the editors take it off); the rest goes again.
      row.keepAsked(JSON.parse(entry.detailsSent).protect_identity);
      row.showCheck(explainError(error), "info");
      detailsSoon(entry, { evenIfFocused: true });
    } else if (markRefused(error, [...shared, ...row.inputs()])) {
      row.unfold();
      row.showCheck("The upload service refused a detail (see the list of things to fix).", "error");
      mistakes.show({ focus: false });
    } else {
      row.showCheck(`The details were not saved: ${explainError(error)}`, "error");
    }
  } finally {
    entry.patching = false;
    save();
    summarise();
  }
  if (saved && entry.unsaved) completeDetails(entry, { evenIfFocused: true }); // changed while the request went
}

// Hiding added once the details were saved goes at once and on its own (a correction may name one field): it never
// waits for the rest of the row to be valid again, nor for the facilitator to leave it.
async function saveHidingAlone(entry) {
  if (!entry.completed || entry.patching || !entry.videoId || !entry.detailsSent || !currentKey()) return;
  const sent = JSON.parse(entry.detailsSent);
  const now = entry.row.read().protect_identity;
  if (!KINDS.some((kind) => now[kind] && !sent.protect_identity?.[kind])) return;
  const asked = Object.fromEntries(KINDS.map((kind) => [kind, Boolean(now[kind] || sent.protect_identity?.[kind])]));
  entry.patching = true;
  try {
    await request("PATCH", `/uploads/${encodeURIComponent(entry.videoId)}`,
      { key: currentKey(), body: { protect_identity: asked } });
    Object.assign(entry, { detailsSent: JSON.stringify({ ...sent, protect_identity: asked }),
      savedAt: performance.now() });
    entry.row.keepAsked(asked);
    entry.unsaved = JSON.stringify(detailsOf(entry)) !== entry.detailsSent;
  } catch (error) {
    if (error.status === 0) {
      setTimeout(() => saveHidingAlone(entry), DETAILS_RETRY_MS);
    } else {
      entry.row.showCheck(`The choice to hide this child was not saved: ${explainError(error)}`, "error");
    }
  } finally {
    entry.patching = false;
    save();
    summarise();
  }
  if (!entry.unsaved && entry.sent) finish(entry);
  else if (entry.unsaved) detailsSoon(entry);
}

function nothingToSend() {
  const all = [...entries.values()];
  const again = all.filter((e) => !e.sent && !e.file && !e.refusal).map((e) => e.name);
  if (again.length) return [`Choose ${listText(again)} again to send ${again.length === 1 ? "it" : "them"}.`, "error"];
  if (!all.length) return ["Choose the films first.", "error"];
  if (all.every((e) => done(e) || e.refusal) && all.some(done)) return ["Every film in the list has been sent.", "info"];
  return ["There is no film left to send: the others were refused before sending (each says why).", "error"];
}

// The films go by themselves; "Send the films" is for a facilitator who wants to know what is left: every
// mistake at once, and the details that are complete sent now.
async function send(event) {
  event.preventDefault();
  await Promise.all([keyChecked, adding]);
  if (!rules) {
    say(sendStatus, "Use your office's key first (step 1).", "error");
    keyInput.focus();
    return;
  }
  await Promise.all([...entries.values()].map((entry) => entry.check));
  const open = [...entries.values()].filter((e) => !done(e) && (e.file || e.videoId) && !e.refusal);
  if (!open.length) {
    say(sendStatus, ...nothingToSend());
    return;
  }
  for (const entry of open) {
    entry.row.requireTopics();
    entry.row.requireProtection();
  }
  for (const input of [...shared, ...open.flatMap((entry) => entry.row.inputs())]) {
    if (input.dataset.refused) input.setCustomValidity(""); // the API judges its own refusals again
  }
  for (const entry of open) {
    startSending(entry);
    completeDetails(entry);
  }
  const count = mistakes.show();
  fixedAll = false;
  if (count) {
    for (const entry of open) if (!entry.row.complete()) entry.row.unfold();
    say(sendStatus, `${count} detail${count === 1 ? " needs" : "s need"} fixing, listed above (each links to its `
      + "field). The films go on being sent meanwhile; none reaches the editors before its details are complete.",
    "error");
    return;
  }
  const sent = [...entries.values()].filter((e) => e.sent).length;
  say(sendStatus, queue.busy() ? "Every film's details are complete; the films go on being sent."
    : `Every film's details are complete; ${sent} film${sent === 1 ? "" : "s"} sent.`, "success");
}

// The keyboard -------------------------------------------------------------------------------------

// What is left to fill in: in `entry`'s row first, then the films after it (or from the first, coming from the
// workshop's fields), then those before it; Send once nothing is.
function moveOn(entry) {
  const open = [...entries.values()].filter((e) => !done(e) && !e.refusal && !e.row.correcting);
  const at = entry ? open.indexOf(entry) : 0;
  const next = [...open.slice(Math.max(at, 0)), ...open.slice(0, Math.max(at, 0))].find((e) => e.row.firstToFill());
  if (next) next.row.focus();
  else sendButton.focus();
}

// Enter never sends the form from a field (a facilitator presses it to end a field): it moves to the next
// film to fill in. Send is pressed as a button.
form.addEventListener("keydown", (event) => {
  const field = event.target;
  if (event.key !== "Enter" || !(field instanceof HTMLInputElement) || field.type === "file" || event.isComposing) return;
  event.preventDefault();
  const row = field.closest(".film-row");
  moveOn(row ? [...entries.values()].find((e) => e.row.node === row) : null);
});

// Wiring -------------------------------------------------------------------------------------------

form.addEventListener("submit", send);
// The workshop's details belong to every film's.
const sharedChanged = (event) => {
  if (event.target.closest(".film-row")) return;
  save();
  if (!followFixes()) for (const entry of entries.values()) detailsSoon(entry);
};
form.addEventListener("input", sharedChanged);
form.addEventListener("change", sharedChanged);
picker.addEventListener("change", () => {
  addFiles([...picker.files]);
  picker.value = "";
});
// Films dropped anywhere on the page are added (a film dropped beside the zone would otherwise be
// opened by the browser in place of the page, and the rows with it).
document.addEventListener("dragover", (event) => {
  event.preventDefault();
  dropZone.classList.add("dragging");
});
document.addEventListener("dragleave", (event) => {
  if (!event.relatedTarget) dropZone.classList.remove("dragging");
});
document.addEventListener("drop", (event) => {
  event.preventDefault();
  dropZone.classList.remove("dragging");
  if (event.dataTransfer.files.length) addFiles([...event.dataTransfer.files]);
});
clearDone.addEventListener("click", () => {
  for (const entry of [...entries.values()]) if (done(entry)) removeEntry(entry);
});

// A reload shows the workshop's details and the rows again; films already sent follow their outcome, and
// the others go on by themselves once their files are chosen again.
const draft = loadDraft();
pendingCountry = draft.workshop.country || "";
form.elements.language.value = draft.workshop.language || "";
form.elements.workshop.value = draft.workshop.workshop || "";
for (const saved of draft.films) {
  const entry = addEntry(saved);
  if (saved.detailsSent) entry.row.keepAsked(JSON.parse(saved.detailsSent).protect_identity); // saved: stays
  if (done(saved)) {
    entry.row.lock(true);
    entry.row.showOutcome("Sent: waiting for news of it…", "info", "SENT");
    list.watch(saved.videoId);
  } else if (saved.sent && saved.completed) { // changed after its details went: they go again once the key is checked
    entry.row.showOutcome("Sent. Saving the latest changes to its details…", "info", "SAVING");
  } else if (saved.sent) {
    entry.row.showOutcome(`Sent. ${draftText(entry)}`, "info", "DRAFT");
  } else if (saved.refusal) {
    entry.row.lock(true);
    entry.row.setRefused(true);
    entry.row.showCheck(saved.refusal, "error");
    entry.row.showOutcome("Not sent.", "error", "REFUSED_HERE");
  } else {
    checkEntry(entry);
  }
}
summarise();
checkKey();
