// A workshop's story on the editor page: title, city (never a venue), country, dates, partners and a
// few paragraphs, as the programme's articles tell a workshop; with the warnings the API gives (a
// centre named, films that protect a child or are flagged sensitive).
import { request } from "./api.js";
import { el, say } from "./dom.js";
import { editorWords } from "./editor-words.js";

export function storyEditor(form, key) {
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

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const workshop = field("workshop").value.trim();
    const lines = (text, separator) => text.split(separator).map((line) => line.trim()).filter(Boolean);
    const story = {
      title: field("title").value.trim(), city: field("city").value.trim(),
      country: field("country").value.trim().toUpperCase(), starts_on: field("starts_on").value,
      ends_on: field("ends_on").value, partners: lines(field("partners").value, /\n/),
      paragraphs: lines(field("paragraphs").value, /\n\s*\n/),
    };
    say(status, "Saving the story…");
    try {
      const result = await request("PUT", `/workshops/${encodeURIComponent(workshop)}/story`, { key: key(), body: story });
      showWarnings(result.warnings);
      say(status, result.warnings.length ? "Story saved. Read the warnings below before the workshop's films go public."
        : "Story saved: it shows on the workshop's page beside its published films.", "success");
    } catch (error) {
      say(status, `The story was not saved. ${editorWords(error)}`, "error");
    }
  });

  return { open };
}
