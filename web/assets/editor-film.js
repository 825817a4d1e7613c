// One film on the editor page, compact: poster, length, title, the child's first name and age, and
// what is recorded about it; the player opens on demand. Its actions follow its status: consent
// (here film by film; a workshop's films together in editor.js), publish (only once consent, and
// the safeguarding check for a sensitive film, are there; after a preview of the public card and a
// confirmation), unpublish, highlight, the sensitive flag, its details, subtitles (added, replaced,
// removed), identity protection (before publishing), take down, and its history (editor-history.js). Results
// and refusals are announced in the panel's status in an editor's words; after an action, the
// keyboard focus stays on the control that was used.
import { ApiError, request } from "./api.js";
import { countryName, duration, filmCard, topicName } from "./cards.js";
import { el, say } from "./dom.js";
import { duplicateBadge, duplicateNotice } from "./editor-duplicates.js";
import { detailsForm, subtitleLanguages, subtitlesForm } from "./editor-forms.js";
import { historyBox } from "./editor-history.js";
import { STATUS_WORDS, TAKEDOWN_REASONS, asked, editorWords, refusedAsShown } from "./editor-words.js";
import { dateText } from "./upload-words.js";

const PUBLISHABLE = new Set(["READY", "UNPUBLISHED"]);
const TRANSCODED = new Set(["READY", "PUBLISHED", "UNPUBLISHED"]);
// A film in one of these is being made: its panel asks again every few seconds, so an editor who
// waits sees it come back (protected) without opening it again.
const PROCESSING = new Set(["UPLOADED", "VALIDATING", "PROTECTING", "TRANSCODING"]);
const REFRESH_MS = 5000;

const NO_CONSENT_DRAFT = { open: false, guardian: false, child: false, reference: "" };

let panels = 0; // the same film may be shown twice (awaiting review, and found by its id): ids stay unique

// A draft has no title yet (its office has not completed its details).
const named = (film) => (film.draft ? "the draft" : `“${film.title}”`);

// Identity protection as an editor reads it (docs/PROTECTION.md): what was asked (`asked`), and whether the
// preview already shows the protected version. Until it does, the preview shows the child as filmed.
export const protectionPending = (film) => {
  const { faces, voice } = asked(film);
  return (faces || voice) && !film.summary && !film.preview?.protected;
};
function asFilmed(film) {
  const { faces, voice } = asked(film);
  return faces && voice ? "the faces and the voice as filmed" : faces ? "the faces as filmed" : "the voice as recorded";
}

// The badge: "protected" only once the outputs are; asked and not made yet says so (its thumbnail and
// preview still show the child as filmed). Protection turned off ({faces: false, voice: false}) shows none.
function protectionBadge(film) {
  const { faces, voice } = asked(film);
  if (!faces && !voice) return null;
  return protectionPending(film) ? "Identity protection not ready yet" : "Identity protected";
}

function protectionSummary(film) {
  const { faces, voice } = asked(film);
  const kinds = [faces ? "faces blurred" : null, voice ? "voice disguised" : null].filter(Boolean);
  if (!kinds.length) {
    return (film.draft ? "Identity protection: its office has not answered yet." : "Identity protection: none asked.")
      + sourceSummary(film);
  }
  const said = `Identity protection: ${kinds.join(" and ")}.`;
  if (film.summary) return `${said} Open the film to see whether its protected version is ready.`;
  if (film.status === "PROTECTING" || film.status === "TRANSCODING") {
    return `${said} The protected version is being made from the original upload: until it is, the preview `
      + `shows ${asFilmed(film)} (only editors can see it). This takes a few minutes; this line says when it is `
      + "ready.";
  }
  if (film.status === "FAILED") return `${said} Processing failed before the protected version was made.`;
  if (film.preview?.protected) {
    return `${said} The protected version is ready: the preview shows what visitors will see.` + sourceSummary(film);
  }
  return `${said} The protected version is not ready yet: until it is, the preview shows ${asFilmed(film)} `
    + "(only editors can see it) and the film cannot be published. It is made from the original upload; "
    + "open the film again later: this line says when it is ready." + sourceSummary(film);
}

// How long the original upload is kept (docs/PROTECTION.md): protection is made from it.
function sourceSummary(film) {
  if (film.draft) return ""; // deleted whole on its date unless completed: its own line says so
  if (film.source_deleted_at) {
    const on = film.source_deleted_at.slice(0, 10);
    return ` The original upload was deleted on ${on}: protection can no longer change.`;
  }
  if (!film.source_delete_after) return "";
  return ` The original upload will be deleted on ${film.source_delete_after.slice(0, 10)}.`;
}

// options: {topics: the vocabulary, selectable: a checkbox to choose the film for a workshop's consent,
// onChange(film): told after each change}
export function filmPanel(initial, key, options = {}) {
  let film = initial;
  const uid = `film-${++panels}`;
  const panel = el("li", { class: "panel", "data-video-id": film.video_id });
  const status = el("p", { class: "status", role: "status", "aria-live": "polite", tabindex: -1 });
  const select = options.selectable
    ? el("input", { type: "checkbox", id: `${uid}-select`, checked: false, "data-select": "" })
    : null;
  let preview = null;
  let watching = false;
  let editing = null;
  let languageList = null;
  let confirming = false;
  const history = historyBox(film.video_id, key);

  async function act(label, method, path, { body, contentType, done } = {}) {
    const focused = panel.contains(document.activeElement) ? document.activeElement : null;
    const shown = film; // as the editor saw it when acting: a refusal says what changed since
    say(status, `${label}…`);
    panel.setAttribute("aria-busy", "true");
    for (const button of panel.querySelectorAll("button")) button.disabled = true;
    try {
      const result = await request(method, `/videos/${encodeURIComponent(film.video_id)}${path}`,
        { key: key(), body, contentType });
      if (result.status === "DELETED") {
        // 202 with `left`: the film is gone from every list, some files are not yet (the message says so).
        const name = film.draft ? "The draft" : named(film);
        const text = result.left
          ? `${name} was taken down, but not everything is deleted yet. ${result.message}`
          : `${name} was taken down: its files and personal data are gone.`;
        panel.replaceChildren(el("p", { class: "status", role: "status",
          "data-kind": result.left ? "error" : "success", tabindex: -1 }, text));
        options.onChange?.(result);
        return true;
      }
      show(result);
      history.refresh();
      // A publish whose media could not be made public yet: published all the same, and said so.
      const media = result.media && result.media.public === false ? ` ${result.media.message}` : "";
      say(status, (done ? done(film) : `${label}: done. The film is now ${STATUS_WORDS[film.status] || film.status}.`)
        + media, "success");
      return true;
    } catch (error) {
      // Refused because the film is no longer as this page shows it (409: another editor's change, protection
      // asked meanwhile, consent withdrawn by an office's correction): shown as it is now, with the reason.
      // When it cannot be read again (taken down meanwhile), that is what the editor is told.
      const refused = `${label}: not done.`;
      if (error instanceof ApiError && error.status === 409 && !film.summary) {
        if (await load(refused)) say(status, `${refused} ${refusedAsShown(error, shown, film)}`, "error");
        return false;
      }
      say(status, `${refused} ${editorWords(error)}`, "error");
      return false;
    } finally {
      panel.removeAttribute("aria-busy");
      for (const button of panel.querySelectorAll("button")) button.disabled = button.dataset.blocked === "true";
      if (focused) keepFocus(focused);
    }
  }

  // A control that an action re-rendered, replaced or disabled loses the focus: give it back, or to
  // its successor (the new Publish button, ...), or to the status that says what happened.
  function keepFocus(focused) {
    if (document.activeElement && document.activeElement !== document.body) return;
    const action = focused.dataset.action;
    const next = focused.isConnected ? focused : action && panel.querySelector(`[data-action="${action}"]`);
    // A successor inside a closed box (the card to confirm, after a refusal) cannot take the focus.
    const focusable = next && !next.disabled && next.getClientRects().length > 0;
    (focusable ? next : panel.querySelector("[role=status]"))?.focus();
  }

  // `echoed`: the change came from another panel of the same film (awaiting review, and found by its id),
  // which shows it too, so that neither offers what the other's change made impossible. A film that was being
  // made and has settled says what it became, however this panel learnt of it (its own refresh, the other
  // panel's, the queue's read); an action that settles it says its own result after this. True when it settled.
  function show(next, echoed = false) {
    const settled = PROCESSING.has(film.status) && !film.summary && !PROCESSING.has(next.status);
    film = { ...next, summary: false };
    if (film.consent) consentDraft = NO_CONSENT_DRAFT; // recorded: a consent cleared later is typed afresh
    if (select) select.checked = select.checked && !film.consent;
    confirming = false;
    render();
    options.onChange?.(film);
    refreshWhileProcessing();
    if (settled) sayWhatItBecame();
    if (echoed) return settled;
    for (const other of document.querySelectorAll(`.panel[data-video-id="${CSS.escape(film.video_id)}"]`)) {
      if (other !== panel && other.show) other.show(next, true);
    }
    return settled;
  }

  // The full film (with its links to watch it), for a film listed only by its summary, or refused as shown.
  // `before`: what the editor is told first when it cannot be read (an action's refusal).
  async function load(before = "") {
    try {
      show(await request("GET", `/videos/${encodeURIComponent(film.video_id)}/editorial`, { key: key() }));
      return true;
    } catch (error) {
      say(status, [before, editorWords(error)].filter(Boolean).join(" "), "error");
      return false;
    }
  }

  function poster() {
    const src = film.preview?.poster_url || film.poster_url;
    return src ? el("img", { class: "thumb-poster", src, alt: "", loading: "lazy", width: 144, height: 81 })
      : el("span", { class: "thumb-poster", "aria-hidden": "true" });
  }

  function player() {
    if (!watching || !film.preview?.video_url) return null;
    const { video_url: src, poster_url: still } = film.preview;
    if (!preview) {
      // No crossorigin: a plain cross-origin video needs no CORS. preload=none: nothing loads until
      // the editor presses play.
      preview = el("video", { class: "preview", controls: true, preload: "none", playsinline: true,
        src, poster: still, "aria-label": `Watch ${named(film)}` });
    } else if ((preview.paused && preview.currentTime === 0) || preview.error) {
      if (preview.getAttribute("src") !== src) preview.src = src; // fresh links (they expire)
      if (still) preview.poster = still;
    }
    if (!protectionPending(film)) {
      preview.removeAttribute("aria-describedby");
      if (!asked(film).voice) return preview;
      // docs/PROTECTION.md: the disguise does not hold against someone who has a recording of the child.
      return [preview, el("p", { class: "hint" }, "The voice is disguised, not beyond recovery: someone who has a "
        + "recording of this child may still recognise it. Listen before publishing.")];
    }
    const warning = el("p", { class: "preview-unprotected", id: `${uid}-unprotected` },
      `Not protected yet: this preview shows ${asFilmed(film)}. Visitors will only ever see the protected version.`);
    preview.setAttribute("aria-describedby", warning.id);
    return [warning, preview];
  }

  function watchButton() {
    if (!TRANSCODED.has(film.status)) return null;
    const button = el("button", { type: "button", "data-action": "watch", "aria-expanded": String(watching) },
      watching ? "Close the player" : "Watch the film");
    button.addEventListener("click", async () => {
      if (!watching && !film.preview && !(await load())) return;
      watching = !watching;
      render();
      panel.querySelector('[data-action="watch"]')?.focus();
    });
    return button;
  }

  // What the editor ticked and typed survives the panel being drawn again (another action, a refusal).
  let consentDraft = NO_CONSENT_DRAFT;
  function consentForm() {
    const id = `${uid}-consent`;
    const form = el("form", { class: "consent", "aria-label": "Consent for this film" },
      el("label", { class: "check" }, el("input", { type: "checkbox", name: "guardian", required: true,
        checked: consentDraft.guardian }), " The guardian gave written consent"),
      el("label", { class: "check" }, el("input", { type: "checkbox", name: "child", required: true,
        checked: consentDraft.child }), " The child gave their own assent"),
      el("label", { for: `${id}-ref` }, "Where the signed forms are kept"),
      el("input", { id: `${id}-ref`, name: "reference", required: true, maxlength: 200,
        value: consentDraft.reference }),
      el("button", { type: "submit", "data-action": "consent" }, "Record consent"));
    const box = el("details", { class: "edit consent-details", open: consentDraft.open },
      el("summary", {}, "Record consent for this film only"), form);
    const keep = () => {
      const { guardian, child, reference } = form.elements;
      consentDraft = { open: box.open, guardian: guardian.checked, child: child.checked, reference: reference.value };
    };
    form.addEventListener("input", keep);
    box.addEventListener("toggle", keep);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      act("Recording consent", "POST", "/consent", { body: { guardian_consent: true, child_assent: true,
        reference: form.elements.reference.value.trim() }, done: () => "Consent recorded: the film can be published." });
    });
    return box;
  }

  // Publish: enabled once consent (and, for a sensitive film, the safeguarding check) is there; it
  // first shows the card visitors will see, and publishes only on confirmation.
  function publishControls() {
    const safeguarding = film.sensitive
      ? el("label", { class: "check" }, el("input", { type: "checkbox", name: "safeguarding",
        "data-action": "safeguarding" }), " Safeguarding checked: this sensitive film may be published")
      : null;
    const why = el("p", { class: "why", id: `${uid}-why` });
    const button = el("button", { type: "button", class: "primary", "data-action": "publish",
      "aria-describedby": why.id }, "Publish…");
    const update = () => {
      const pending = protectionPending(film);
      const blocked = !film.consent || pending || (film.sensitive && !safeguarding.querySelector("input").checked);
      button.disabled = blocked;
      button.dataset.blocked = String(blocked);
      why.textContent = !film.consent
        ? "Publishing needs the guardian's consent and the child's assent: record them first."
        : pending ? "Publishing waits for the protected version: identity protection was asked for this film."
          : blocked ? "This film is flagged sensitive: tick “Safeguarding checked” once the check is done." : "";
    };
    safeguarding?.querySelector("input").addEventListener("change", update);
    update();
    const shownVersion = film.version;
    const card = filmCard({ ...film, poster_url: film.preview?.poster_url || film.poster_url,
      author: film.author }, { lazy: false });
    card.querySelector("a").removeAttribute("href");
    const confirmBox = el("div", { class: "confirm publish-confirm", role: "group",
      "aria-label": "Confirm publishing", hidden: !confirming },
      el("p", {}, "Visitors will see this card, the film and its subtitles:"),
      el("ul", { class: "grid" }, card),
      el("button", { type: "button", class: "primary", "data-action": "confirm-publish", onclick: () => {
        const confirmed = safeguarding?.querySelector("input").checked;
        // The version this card was made from: the API refuses the publish if the film changed since.
        act("Publishing", "POST", "/publish", { body: { ...(confirmed ? { safeguarding_confirmed: true } : {}),
          version: shownVersion },
          done: () => "Published: visitors can watch it now." });
      } }, "Yes, publish it"),
      el("button", { type: "button", onclick: () => { confirming = false; confirmBox.hidden = true; button.focus(); } },
        "Cancel"));
    button.addEventListener("click", () => {
      confirming = true;
      confirmBox.hidden = false;
      confirmBox.querySelector("button").focus();
    });
    return [safeguarding, button, why, confirmBox];
  }

  function toggle(label, on, action, body, done) {
    return el("button", { type: "button", class: "toggle", "aria-pressed": String(on), "data-action": action,
      onclick: () => act(done.doing(on), action === "highlight" ? "POST" : "PATCH",
        action === "highlight" ? "/highlight" : "", { body: body(!on), done: done.said }) }, label);
  }

  function highlightToggle() {
    return toggle("Highlight", Boolean(film.highlighted), "highlight", (on) => ({ highlighted: on }), {
      doing: (on) => on ? "Removing the highlight" : "Highlighting",
      said: (saved) => saved.highlighted
        ? `Highlighted${saved.status === "PUBLISHED" ? ": listed in the gallery's Highlights." : ", once published."}`
        : "No longer highlighted.",
    });
  }

  function sensitiveToggle() {
    return toggle("Sensitive", Boolean(film.sensitive), "sensitive", (on) => ({ sensitive: on }), {
      doing: (on) => on ? "Removing the sensitive flag" : "Flagging the film sensitive",
      said: (saved) => saved.sensitive ? "Flagged sensitive: it needs a safeguarding check before it is published."
        : "No longer flagged sensitive.",
    });
  }

  // Identity protection (docs/PROTECTION.md): on or off before publishing, one toggle per kind.
  // Refused by the API while the film is being made (film_processing) or once its upload is deleted
  // (source_deleted): the toggles are disabled then, with the reason beside them, rather than refused.
  function protectionToggles() {
    const wanted = asked(film);
    const why = PROCESSING.has(film.status)
      ? "Identity protection can be changed again once the film is awaiting review."
      : film.source_deleted_at ? "The original upload has been deleted: identity protection can no longer change."
        : "";
    const note = why ? el("p", { class: "why", id: `${uid}-protection-why` }, why) : null;
    const toggle = (kind, label) => el("button", { type: "button", class: "toggle", "aria-pressed": String(Boolean(wanted[kind])),
      "data-action": `protect-${kind}`, disabled: Boolean(why), "data-blocked": String(Boolean(why)),
      "aria-describedby": note ? note.id : null,
      onclick: () => act("Changing the identity protection", "PUT", "/protection", {
        body: { faces: wanted.faces, voice: wanted.voice, [kind]: !wanted[kind] },
        done: protectionSummary,
      }) }, label);
    return [toggle("faces", "Blur faces"), toggle("voice", "Disguise voice"), note];
  }

  // A takedown says why (API: `reason`, and a note for "other"): the audit trail keeps it, nothing public does.
  function takeDownControls() {
    const start = el("button", { type: "button", class: "danger", "data-action": "take-down" }, "Take down…");
    const name = `${uid}-takedown-reason`;
    const reasons = Object.entries(TAKEDOWN_REASONS).map(([value, label]) => el("label", { class: "check" },
      el("input", { type: "radio", name, value }), ` ${label}`));
    const note = el("input", { id: `${uid}-takedown-note`, name: "note", maxlength: 500, autocomplete: "off",
      "aria-describedby": `${uid}-takedown-note-hint` });
    const form = el("form", { class: "confirm", "aria-label": "Confirm the takedown", hidden: true },
      el("p", {}, `Take down ${named(film)}? Every file and the child's data are deleted. This cannot be undone.`),
      el("fieldset", {}, el("legend", {}, "Why is it taken down?"), reasons,
        el("label", { for: note.id }, "For “Other”: what happened"),
        el("p", { class: "hint", id: `${uid}-takedown-note-hint` },
          "Kept in the film's history for the project team. Never name the child or the family."), note),
      el("button", { type: "submit", class: "danger", "data-action": "confirm-take-down" }, "Yes, take it down"),
      el("button", { type: "button", onclick: () => { form.hidden = true; start.focus(); } }, "Cancel"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const reason = form.querySelector(`input[name="${name}"]:checked`)?.value;
      if (!reason) {
        say(status, "Choose why the film is taken down first.", "error");
        reasons[0].querySelector("input").focus();
        return;
      }
      const text = note.value.trim();
      if (reason === "other" && !text) {
        say(status, "Say in a few words why the film is taken down (never who the child or the family is).", "error");
        note.focus();
        return;
      }
      act("Taking down", "DELETE", "", { body: reason === "other" ? { reason, note: text } : { reason } });
    });
    start.addEventListener("click", () => {
      form.hidden = false;
      reasons[0].querySelector("input").focus();
    });
    return [start, form];
  }

  function edits() {
    if (!editing) {
      languageList = subtitleLanguages(act);
      editing = [
        el("details", { class: "edit" }, el("summary", {}, "Title, English title, topics, workshop, description"),
          detailsForm(() => film, uid, act, status, options.topics || [])),
        el("details", { class: "edit" }, el("summary", {}, "Subtitles"), subtitlesForm(uid, act, status),
          languageList.list),
      ];
    }
    languageList.show(film.subtitle_languages || []);
    return editing;
  }

  function badges() {
    const languages = film.subtitle_languages || [];
    const items = [
      [film.draft ? "Status: draft, details missing" : STATUS_WORDS[film.status] ? `Status: ${STATUS_WORDS[film.status]}`
        : null, film.draft ? "warn" : ""],
      film.summary || film.draft ? [null] : film.consent ? ["Consent recorded", "ok"] : ["No consent yet", "warn"],
      [film.sensitive ? "Sensitive" : null, "warn"],
      // Protected is the good state for a child at risk: it reads as consent recorded does, not as a warning.
      [protectionBadge(film), protectionPending(film) ? "warn" : "ok"],
      [duplicateBadge(film), "warn"],
      [film.highlighted ? "Highlighted" : null, ""],
      [languages.length ? `Subtitles: ${languages.join(", ")}` : null, ""],
    ];
    return el("ul", { class: "badges", "aria-label": "About this film" },
      items.filter(([text]) => text).map(([text, kind]) => el("li", { "data-kind": kind || null }, text)));
  }

  function actions() {
    if (film.summary) {
      const list = [el("button", { type: "button", "data-action": "open", onclick: () => load() }, "Open")];
      if (film.status === "PUBLISHED") {
        list.push(el("button", { type: "button", "data-action": "unpublish",
          onclick: () => act("Unpublishing", "POST", "/unpublish") }, "Unpublish"));
      }
      return list;
    }
    // A draft waits for its office: only what keeps the child safer (lifecycle.check_complete): protected,
    // flagged sensitive, a highlight from before taken off, taken down.
    if (film.draft) {
      return [...protectionToggles(), sensitiveToggle(), film.highlighted ? highlightToggle() : null,
        ...takeDownControls()];
    }
    const list = [];
    if (PUBLISHABLE.has(film.status)) {
      if (!film.consent) list.push(consentForm());
      list.push(...publishControls());
    }
    if (film.status === "PUBLISHED") {
      list.push(el("a", { href: `film.html?id=${encodeURIComponent(film.video_id)}` }, "See it on the website"));
      list.push(el("button", { type: "button", "data-action": "unpublish",
        onclick: () => act("Unpublishing", "POST", "/unpublish") }, "Unpublish"));
    }
    if (TRANSCODED.has(film.status)) list.push(highlightToggle(), sensitiveToggle());
    if (film.status !== "PUBLISHED") list.push(...protectionToggles());
    list.push(...takeDownControls());
    return list;
  }

  function render() {
    const author = film.author ? `${film.author.first_name}, ${film.author.age}` : "";
    const topics = (film.topics || []).map(topicName).join(", ");
    const meta = [author, duration(film.duration_s), film.country ? countryName(film.country) : null, topics,
      film.workshop].filter(Boolean).join(" · ");
    const parts = [
      el("div", { class: "film-row" },
        el("div", {}, poster(), select ? el("label", { class: "check select", for: select.id }, select,
          ` Select “${film.title}”`) : null),
        el("div", {},
          film.draft ? el("h3", {}, "Draft: details missing") : el("h3", { lang: film.language }, film.title),
          film.title_en ? el("p", { lang: "en", class: "film-meta" }, film.title_en) : null,
          el("p", { class: "film-meta" }, meta),
          film.draft ? el("p", { class: "film-meta draft" }, "Its office sent the file and has not completed its "
            + "details: no editor reviews it, and it cannot be given consent, highlighted or published until they "
            + `are. It is deleted on ${dateText(film.delete_after)} unless they are.`) : null,
          el("p", { class: "film-meta protection" }, protectionSummary(film)),
          film.status === "FAILED" && !film.summary ? el("p", { class: "film-meta failure" },
            `Failed: ${film.reason || "processing stopped."} Start it again under “Needs attention” at the top of `
            + "this page.") : null,
          badges(),
          duplicateNotice(film),
          el("p", { class: "film-meta id" }, `Film id: ${film.video_id}`))),
      player(),
      el("div", { class: "actions" }, watchButton(), actions().filter(Boolean)),
      TRANSCODED.has(film.status) && !film.summary && !film.draft ? edits() : null,
      film.summary ? null : history,
      status,
    ];
    panel.replaceChildren(...parts.flat().filter(Boolean));
  }

  // While the film is being made (identity protection, a re-render), ask for it again until it settles,
  // and say what it became. Stops when the panel leaves the page; an action in progress goes first.
  let refreshTimer = null;
  function refreshWhileProcessing() {
    clearTimeout(refreshTimer);
    if (film.summary || !PROCESSING.has(film.status)) return;
    refreshTimer = setTimeout(async () => {
      if (!panel.isConnected) return;
      if (panel.hasAttribute("aria-busy")) { refreshWhileProcessing(); return; }
      let next;
      try {
        next = await request("GET", `/videos/${encodeURIComponent(film.video_id)}/editorial`, { key: key() });
      } catch {
        refreshWhileProcessing(); // a network blip: ask again later
        return;
      }
      if (!panel.isConnected || panel.hasAttribute("aria-busy")) return refreshWhileProcessing();
      // Unchanged, or older than what the other panel has shown meanwhile (an answer that took its time).
      if (next.status === film.status || next.version < film.version) return refreshWhileProcessing();
      show(next);
    }, REFRESH_MS);
  }

  function sayWhatItBecame() {
    history.refresh();
    say(status, TRANSCODED.has(film.status) ? protectionSummary(film)
      : `The film is now ${STATUS_WORDS[film.status] || film.status}.${film.reason ? ` ${film.reason}` : ""}`,
    TRANSCODED.has(film.status) ? "success" : "error");
  }

  panel.film = () => film;
  panel.show = show;
  panel.selected = () => Boolean(select?.checked);
  panel.say = (message, kind) => say(status, message, kind);
  render();
  refreshWhileProcessing();
  return panel;
}
