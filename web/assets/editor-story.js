// A workshop's story on the editor page: title, city (never a venue), country, dates, partners and a
// few paragraphs, as the programme's articles tell a workshop; with the warnings the API gives (a
// centre named, films that protect a child or are flagged sensitive). Previewed before it is saved (and so
// public): the API checks it as it would a save, and the workshop's page is drawn as visitors would see it.
import { publicGet, request } from "./api.js";
import { filmCard, storyParts } from "./cards.js";
import { el, say } from "./dom.js";
import { editorWords } from "./editor-words.js";

export function storyEditor(form, preview, key) {
  const status = form.querySelector("[role=status]");
  const warnings = form.querySelector(".warnings");
  const field = (name) => form.elements[name];

  function showWarnings(items) {
    warnings.replaceChildren(...items.map((warning) => el("li", { "data-code": warning.code }, warning.message)));
  }

  function fill(story) {
    for (const name of ["title", "city", "country", "starts_on", "ends_on"]) field(name).value = story?.[name] || "";
    field("partners").value = (story?.partners || []).join("\n");
    field("paragraphs").value = (story?.paragraphs || []).join("\n\n");
  }

  async function open(workshop) {
    field("workshop").value = workshop;
    preview.hidden = true;
    say(status, "Loading the story…");
    try {
      const result = await request("GET", `/workshops/${encodeURIComponent(workshop)}/story`, { key: key() });
      fill(result.story);
      showWarnings(result.warnings);
      say(status, result.story ? "The story as published on the workshop's page." : "No story yet: write one.");
    } catch (error) {
      say(status, error.status === 404 ? "A workshop is named in lowercase words joined by hyphens, such as baku-2012."
        : editorWords(error), "error");
    }
  }

  form.querySelector("[data-load]").addEventListener("click", () => {
    const workshop = field("workshop").value.trim();
    if (workshop) open(workshop);
    else field("workshop").focus();
  });

  function written() {
    const lines = (text, separator) => text.split(separator).map((line) => line.trim()).filter(Boolean);
    return {
      title: field("title").value.trim(), city: field("city").value.trim(),
      country: field("country").value.trim().toUpperCase(), starts_on: field("starts_on").value,
      ends_on: field("ends_on").value, partners: lines(field("partners").value, /\n/),
      paragraphs: lines(field("paragraphs").value, /\n\s*\n/),
    };
  }

  // The workshop's page as it would look: the story the API checked, and the films visitors see there now
  // (none until one is published: the page itself appears with its first published film).
  async function showPreview(workshop, story) {
    const films = await publicGet(`/workshops/${encodeURIComponent(workshop)}`)
      .then((page) => page.items).catch(() => []);
    preview.querySelector(".story").replaceChildren(...storyParts(workshop, story, films.length, "h4").filter(Boolean));
    preview.querySelector(".grid").replaceChildren(...(films.length ? films.map((film) => filmCard(film))
      : [el("li", { class: "hint" }, "No film of this workshop is published yet: its page appears with the first.")]));
    preview.hidden = false;
  }

  preview.hidden = true;
  form.querySelector("[data-preview]").addEventListener("click", async () => {
    if (!form.reportValidity()) return;
    const workshop = field("workshop").value.trim();
    say(status, "Checking the story…");
    try {
      const result = await request("POST", `/workshops/${encodeURIComponent(workshop)}/story/preview`,
        { key: key(), body: written() });
      showWarnings(result.warnings);
      await showPreview(result.workshop, result.story);
      say(status, "Previewed below: nothing is public until you save the story.", "success");
      preview.querySelector("h3").focus();
    } catch (error) {
      preview.hidden = true;
      say(status, `Not previewed. ${editorWords(error)}`, "error");
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const workshop = field("workshop").value.trim();
    const story = written();
    say(status, "Saving the story…");
    try {
      const result = await request("PUT", `/workshops/${encodeURIComponent(workshop)}/story`, { key: key(), body: story });
      showWarnings(result.warnings);
      preview.hidden = true; // saved: it is the public page now
      say(status, result.warnings.length ? "Story saved. Read the warnings below before the workshop's films go public."
        : "Story saved: it shows on the workshop's page beside its published films.", "success");
    } catch (error) {
      say(status, `The story was not saved. ${editorWords(error)}`, "error");
    }
  });

  return { open };
}
