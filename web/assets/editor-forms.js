// The editor's forms for one film: its details (title, English title, topics, workshop, description:
// PATCH /videos/{id}), a subtitle file in one language (PUT /videos/{id}/subtitles/{language}), and
// the languages the film has subtitles in, each one removable (DELETE /videos/{id}/subtitles/{language}).
// Each form is built once per panel, so what an editor types survives the panel's other actions;
// `act` (from editor-film.js) calls the API and announces the outcome in the panel's status.
import { topicName } from "./cards.js";
import { el, say } from "./dom.js";

// The same limits as the API (chalicelib/domain/metadata.py); the API still decides.
const TITLE_MAX_CHARS = 120;
const DESCRIPTION_MAX_CHARS = 2000;
const SUBTITLE_TYPES = { ".srt": "application/x-subrip", ".vtt": "text/vtt" };
const TEXT_FIELDS = ["title", "title_en", "workshop", "description"];

export function detailsForm(film, uid, act, status, topics) {
  const control = {
    title: el("input", { id: `${uid}-title`, name: "title", maxlength: TITLE_MAX_CHARS, autocomplete: "off",
      required: true }),
    title_en: el("input", { id: `${uid}-title-en`, name: "title_en", lang: "en", maxlength: TITLE_MAX_CHARS,
      autocomplete: "off" }),
    workshop: el("input", { id: `${uid}-workshop`, name: "workshop", autocomplete: "off", spellcheck: "false",
      autocapitalize: "none", pattern: "[a-z0-9][a-z0-9\\-]{0,63}", "aria-describedby": `${uid}-workshop-hint` }),
    description: el("textarea", { id: `${uid}-description`, name: "description", maxlength: DESCRIPTION_MAX_CHARS,
      rows: 3 }),
  };
  const boxes = topics.map((topic) => el("label", { class: "check" },
    el("input", { type: "checkbox", name: "topics", value: topic }), ` ${topicName(topic)}`));
  const form = el("form", { class: "edit-form", "aria-label": "Title, English title, topics, workshop, description" },
    el("label", { for: control.title.id }, "Title (in the film's language)"), control.title,
    el("label", { for: control.title_en.id }, "English title"), control.title_en,
    el("fieldset", {}, el("legend", {}, "Topics"), el("div", { class: "checks" }, boxes)),
    el("label", { for: control.workshop.id }, "Workshop"),
    el("p", { class: "hint", id: `${uid}-workshop-hint` }, "Lowercase words joined by hyphens, such as baku-2012."),
    control.workshop,
    el("label", { for: control.description.id }, "Description"), control.description,
    el("p", { class: "hint" }, "An empty field removes it from the film (the title stays)."),
    el("button", { type: "submit", "data-action": "save-text" }, "Save title and description"));
  // What the form showed: only the fields the editor changed from it are sent, so a film read again meanwhile
  // (another editor's title, seen after a refusal or a refresh) is never written back over with what it was.
  let shown = {};
  const show = (current) => {
    shown = current();
    for (const name of TEXT_FIELDS) control[name].value = shown[name] || "";
    const chosen = new Set(shown.topics || []);
    for (const box of form.querySelectorAll("input[name=topics]")) box.checked = chosen.has(box.value);
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const current = shown;
    const changes = {};
    for (const name of TEXT_FIELDS) {
      const value = control[name].value.trim();
      if (value !== (current[name] || "")) changes[name] = value;
    }
    const topicsChosen = [...form.querySelectorAll("input[name=topics]:checked")].map((box) => box.value);
    if (topics.length && [...topicsChosen].sort().join() !== [...(current.topics || [])].sort().join()) {
      if (!topicsChosen.length) {
        say(status, "Choose at least one topic.", "error");
        return;
      }
      changes.topics = topicsChosen;
    }
    if (!Object.keys(changes).length) {
      say(status, "Nothing to save: the details are unchanged.");
      return;
    }
    if (await act("Saving the details", "PATCH", "", { body: changes,
      done: (saved) => `Saved: ${saved.title_en ? `English title “${saved.title_en}”` : "no English title"}`
        + `, ${saved.description ? "a description" : "no description"}.` })) show(film);
  });
  show(film);
  return form;
}

export function subtitlesForm(uid, act, status) {
  const language = el("input", { id: `${uid}-language`, name: "language", value: "en", autocomplete: "off",
    spellcheck: "false", autocapitalize: "none", "aria-describedby": `${uid}-language-hint` });
  const file = el("input", { id: `${uid}-file`, name: "file", type: "file",
    accept: ".vtt,.srt,text/vtt,application/x-subrip" });
  const form = el("form", { class: "edit-form", "aria-label": "Subtitles" },
    el("label", { for: language.id }, "Subtitle language"),
    el("p", { class: "hint", id: `${uid}-language-hint` }, "A language tag: en, ru, az-Latn…"),
    language,
    el("label", { for: file.id }, "Subtitle file (.vtt or .srt, UTF-8)"),
    file,
    el("button", { type: "submit", "data-action": "add-subtitles" }, "Add subtitles"));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const tag = language.value.trim();
    const chosen = file.files[0];
    if (!tag || !chosen) {
      say(status, tag ? "Choose a subtitle file (.vtt or .srt) first." : "Type the subtitles' language first.",
        "error");
      (tag ? file : language).focus();
      return;
    }
    const text = await utf8Text(chosen);
    if (text === null) {
      say(status, `${chosen.name} is not UTF-8 text: save the subtitles as UTF-8 (.vtt or .srt) and choose it again.`,
        "error");
      file.focus();
      return;
    }
    const extension = chosen.name.toLowerCase().match(/\.[a-z]+$/)?.[0];
    const name = languageName(tag);
    if (await act(`Adding the ${name} subtitles`, "PUT", `/subtitles/${encodeURIComponent(tag)}`, {
      body: text, contentType: SUBTITLE_TYPES[extension] || "text/vtt",
      done: () => `${name} subtitles (${tag}) added from ${chosen.name}; they play on the film page.`,
    })) file.value = "";
  });
  return form;
}

// The film's subtitle languages, each with a Remove button: its file is deleted, not just unlisted
// (a first file may have carried a surname). `show` refreshes the list from the film the API returned.
export function subtitleLanguages(act) {
  const list = el("ul", { class: "subtitle-languages", "aria-label": "Subtitles on this film" });
  const show = (languages) => {
    list.hidden = !languages.length;
    list.replaceChildren(...languages.map((tag) => {
      const name = languageName(tag);
      return el("li", {}, `${name} (${tag})`,
        el("button", { type: "button", "data-action": "remove-subtitles", "aria-label": `Remove the ${name} subtitles`,
          onclick: () => act(`Removing the ${name} subtitles`, "DELETE", `/subtitles/${encodeURIComponent(tag)}`, {
            done: () => `${name} subtitles (${tag}) removed: their file is deleted.`,
          }) }, "Remove"));
    }));
  };
  return { list, show };
}

// The file as text, or null if it is not UTF-8: decoding it loosely would turn a file saved in
// another encoding (Windows-1251 is common) into question marks that the API would then accept.
async function utf8Text(file) {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    return null;
  }
}

function languageName(tag) {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(tag) || tag;
  } catch {
    return tag;
  }
}
