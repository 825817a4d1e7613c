// One film on the editor page: what the editor decides on (the film itself, to watch), and the
// actions its status allows: record consent, publish, unpublish, highlight, the English title and
// description, subtitles (added, replaced, removed), take down (after a confirmation). Results and errors are announced in the
// panel's status; after an action, the keyboard focus stays on the control that was used.
import { request } from "./api.js";
import { el, say } from "./dom.js";
import { subtitleLanguages, subtitlesForm, translationForm } from "./editor-forms.js";

const PUBLISHABLE = new Set(["READY", "UNPUBLISHED"]);
const TRANSCODED = new Set(["READY", "PUBLISHED", "UNPUBLISHED"]);
let panels = 0; // the same film may be shown twice (awaiting review, and found by its id): ids stay unique

export function filmPanel(initial, key) {
  let film = initial;
  const uid = `film-${++panels}`;
  const panel = el("li", { class: "panel", "data-video-id": film.video_id });
  const status = el("p", { class: "status", role: "status", "aria-live": "polite", tabindex: -1 });
  let preview = null;
  let editing = null;
  let languageList = null;

  // Calls the API on this film and shows the film it returns; true when it succeeded.
  async function act(label, method, path, { body, contentType, done } = {}) {
    const focused = panel.contains(document.activeElement) ? document.activeElement : null;
    say(status, `${label}…`);
    panel.setAttribute("aria-busy", "true");
    for (const button of panel.querySelectorAll("button")) button.disabled = true;
    try {
      const result = await request(method, `/videos/${encodeURIComponent(film.video_id)}${path}`,
        { key: key(), body, contentType });
      if (result.status === "DELETED") {
        panel.replaceChildren(el("p", { class: "status", role: "status", "data-kind": "success", tabindex: -1 },
          `“${film.title}” was taken down: its files and personal data are gone.`));
        return true;
      }
      film = result;
      render();
      say(status, done ? done(film) : `${label}: done. The film is now ${film.status}.`, "success");
      return true;
    } catch (error) {
      say(status, `${label} failed: ${error.message}`, "error");
      return false;
    } finally {
      panel.removeAttribute("aria-busy");
      for (const button of panel.querySelectorAll("button")) button.disabled = false;
      if (focused) keepFocus(focused);
    }
  }

  // A control that an action re-rendered, replaced or disabled loses the focus: give it back, or to
  // its successor (the new Publish button, ...), or to the status that says what happened.
  function keepFocus(focused) {
    if (document.activeElement && document.activeElement !== document.body) return;
    const action = focused.dataset.action;
    const next = focused.isConnected ? focused : action && panel.querySelector(`[data-action="${action}"]`);
    (next || panel.querySelector("[role=status]"))?.focus();
  }

  function watch() {
    if (!film.preview?.video_url) return null;
    const { video_url: src, poster_url: poster } = film.preview;
    if (!preview) {
      // No crossorigin: a plain cross-origin video needs no CORS. preload=none: a workshop's
      // films load only when the editor plays one.
      preview = el("video", { class: "preview", controls: true, preload: "none", playsinline: true,
        src, poster, "aria-label": `Watch “${film.title}”` });
    } else if ((preview.paused && preview.currentTime === 0) || preview.error) {
      // Fresh links (they expire), unless the editor is watching.
      if (preview.getAttribute("src") !== src) preview.src = src;
      if (poster) preview.poster = poster;
    }
    return preview;
  }

  function consentForm() {
    const id = `${uid}-consent`;
    const form = el("form", { class: "consent", "aria-label": "Consent" },
      el("label", { class: "check" }, el("input", { type: "checkbox", name: "guardian", required: true }),
        " The guardian gave written consent"),
      el("label", { class: "check" }, el("input", { type: "checkbox", name: "child", required: true }),
        " The child gave their own assent"),
      el("label", { for: `${id}-ref` }, "Where the signed forms are kept"),
      el("input", { id: `${id}-ref`, name: "reference", required: true, maxlength: 200 }),
      el("button", { type: "submit", "data-action": "consent" }, "Record consent"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      act("Recording consent", "POST", "/consent", { body: { guardian_consent: true, child_assent: true,
        reference: form.elements.reference.value.trim() } });
    });
    return form;
  }

  function publishControls() {
    const safeguarding = film.sensitive
      ? el("label", { class: "check" }, el("input", { type: "checkbox", name: "safeguarding" }),
        " Safeguarding checked: this sensitive film may be published")
      : null;
    const button = el("button", { type: "button", class: "primary", "data-action": "publish" }, "Publish");
    button.addEventListener("click", () => {
      const confirmed = safeguarding?.querySelector("input").checked;
      act("Publishing", "POST", "/publish", { body: confirmed ? { safeguarding_confirmed: true } : {} });
    });
    return [safeguarding, button];
  }

  function highlightToggle() {
    const on = Boolean(film.highlighted);
    return el("button", { type: "button", class: "toggle", "aria-pressed": String(on), "data-action": "highlight",
      onclick: () => act(on ? "Removing the highlight" : "Highlighting", "POST", "/highlight", {
        body: { highlighted: !on },
        done: (saved) => saved.highlighted
          ? `Highlighted${saved.status === "PUBLISHED" ? ": listed in the gallery's Highlights." : ", once published."}`
          : "No longer highlighted.",
      }) }, "Highlight");
  }

  function takeDownControls() {
    const start = el("button", { type: "button", class: "danger", "data-action": "take-down" }, "Take down…");
    const confirm = el("div", { class: "confirm", role: "group", "aria-label": "Confirm the takedown", hidden: true },
      el("p", {}, `Take down “${film.title}”? Every file and the child's data are deleted. This cannot be undone.`),
      el("button", { type: "button", class: "danger", onclick: () => act("Taking down", "DELETE", "") },
        "Yes, take it down"),
      el("button", { type: "button", onclick: () => { confirm.hidden = true; start.focus(); } }, "Cancel"));
    start.addEventListener("click", () => {
      confirm.hidden = false;
      confirm.querySelector("button").focus();
    });
    return [start, confirm];
  }

  function translations() {
    if (!editing) {
      languageList = subtitleLanguages(act);
      editing = [
        el("details", { class: "edit" }, el("summary", {}, "English title and description"),
          translationForm(() => film, uid, act, status)),
        el("details", { class: "edit" }, el("summary", {}, "Subtitles"), subtitlesForm(uid, act, status),
          languageList.list),
      ];
    }
    languageList.show(film.subtitle_languages || []);
    return editing;
  }

  function render() {
    const consent = film.consent
      ? `Consent recorded (${film.consent.reference || "no reference"}).`
      : "No consent recorded yet: needed before publishing.";
    const highlighted = film.highlighted
      ? ` Highlighted${film.status === "PUBLISHED" ? " in the gallery" : " once published"}.`
      : "";
    const actions = [];
    if (PUBLISHABLE.has(film.status)) {
      if (!film.consent) actions.push(consentForm());
      actions.push(...publishControls());
    }
    if (film.status === "PUBLISHED") {
      actions.push(el("a", { href: `film.html?id=${encodeURIComponent(film.video_id)}` }, "See it on the website"));
      actions.push(el("button", { type: "button", "data-action": "unpublish",
        onclick: () => act("Unpublishing", "POST", "/unpublish") }, "Unpublish"));
    }
    if (TRANSCODED.has(film.status)) actions.push(highlightToggle());
    actions.push(...takeDownControls());
    const author = film.author ? `${film.author.first_name}, ${film.author.age}` : "";
    const languages = film.subtitle_languages || [];
    const subtitled = languages.length ? ` Subtitles: ${languages.join(", ")}.` : "";
    const parts = [
      el("h3", { lang: film.language }, film.title),
      film.title_en ? el("p", { lang: "en" }, film.title_en) : null,
      el("p", { class: "film-meta" }, [author, film.country, (film.topics || []).join(", "), film.workshop,
        film.duration_s ? `${film.duration_s} s` : null].filter(Boolean).join(" · ")),
      el("p", { class: "film-meta" },
        `Status: ${film.status}. ${consent}${film.sensitive ? " Flagged sensitive." : ""}${highlighted}${subtitled}`),
      el("p", { class: "film-meta id" }, `Film id: ${film.video_id}`),
      watch(),
      el("div", { class: "actions" }, actions.filter(Boolean)),
      TRANSCODED.has(film.status) ? translations() : null,
      status,
    ];
    panel.replaceChildren(...parts.flat().filter(Boolean));
  }

  render();
  return panel;
}
