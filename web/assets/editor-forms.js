// The editor's translation forms for one film: the English title and the description
// (PATCH /videos/{id}), a subtitle file in one language (PUT /videos/{id}/subtitles/{language}), and
// the languages the film has subtitles in, each one removable (DELETE /videos/{id}/subtitles/{language}).
// Each form is built once per panel, so what an editor types survives the panel's other actions;
// `act` (from editor-film.js) calls the API and announces the outcome in the panel's status.
import { el, say } from "./dom.js";

// The same limits as the API (chalicelib/domain/metadata.py); the API still decides.
const TITLE_MAX_CHARS = 120;
const DESCRIPTION_MAX_CHARS = 2000;
const SUBTITLE_TYPES = { ".srt": "application/x-subrip", ".vtt": "text/vtt" };

export function translationForm(film, uid, act, status) {
  const fields = [
    ["title_en", "English title", el("input", { id: `${uid}-title-en`, name: "title_en", lang: "en",
      maxlength: TITLE_MAX_CHARS, autocomplete: "off" })],
    ["description", "Description", el("textarea", { id: `${uid}-description`, name: "description",
      maxlength: DESCRIPTION_MAX_CHARS, rows: 3 })],
  ];
  const form = el("form", { class: "edit-form", "aria-label": "English title and description" },
    fields.flatMap(([, label, control]) => [el("label", { for: control.id }, label), control]),
    el("p", { class: "hint" }, "An empty field removes it from the film."),
    el("button", { type: "submit", "data-action": "save-text" }, "Save title and description"));
  const show = (current) => {
    for (const [name, , control] of fields) control.value = current()[name] || "";
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const current = film();
    const changes = {};
    for (const [name, , control] of fields) {
      const value = control.value.trim();
      if (value !== (current[name] || "")) changes[name] = value;
    }
    if (!Object.keys(changes).length) {
      say(status, "Nothing to save: the English title and the description are unchanged.");
      return;
    }
    if (await act("Saving the English title and description", "PATCH", "", { body: changes,
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
    el("p", { class: "hint", id: `${uid}-language-hint` }, "A BCP 47 tag: en, ru, az-Latn…"),
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
