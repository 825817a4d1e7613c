// One row per film on the upload page: the file (with a preview), the film's own details (title, the
// child's first name and age, topics), what the checks before sending found, its progress and its
// outcome. A row whose details are complete folds to one line once the facilitator moves on.
import { el, say } from "./dom.js";
import { watchField } from "./upload-fields.js";
import { placeholder } from "./upload-preview.js";
import { protectionText, topicName } from "./upload-words.js";

let rows = 0;

function field(id, label, input) {
  return el("div", { class: "film-field" }, el("label", { for: id }, label), input);
}

// Hiding a child's identity (docs/PROTECTION.md): the facilitator knows which child needs it, so it is
// asked per film, and answered for every film: "No" is a choice of its own, never a box left empty (the API
// refuses a completion without the answer: protection_unanswered). The words match the editor page's toggles
// ("Blur faces", "Disguise voice").
function protectionChoice(n) {
  const hint = el("p", { id: `protect-hint-${n}`, class: "hint" },
    "For a child who must not be recognised: a victim of violence, a young offender, a child at risk if seen. "
    + "“Blur faces” blurs every face in the film; “Disguise voice” changes the voice, which stays understandable. "
    + "The film then takes longer to be ready, and an editor watches the hidden version before publishing it.");
  const box = (kind, label) => el("label", { class: "check" },
    el("input", { type: "checkbox", name: "protect", value: kind, id: `protect-${kind}-${n}`,
      "aria-describedby": hint.id }),
    ` ${label}`);
  const node = el("fieldset", { class: "film-protect" }, el("legend", {}, "Hide this child's identity? (answer for each film)"),
    hint, el("div", { class: "checks" }, box("none", "No, this child may be recognised"), box("faces", "Blur faces"),
      box("voice", "Disguise voice")));
  const boxes = [...node.querySelectorAll("input")];
  const [none, ...hiding] = boxes;
  // "No" and the kinds of hiding exclude each other.
  // Before the row hears of the change (the list of mistakes follows it): an answer given is no mistake.
  node.addEventListener("change", (event) => {
    if (event.target === none && none.checked) for (const each of hiding) each.checked = false;
    if (hiding.includes(event.target) && event.target.checked) none.checked = false;
    none.setCustomValidity("");
  });
  return { node, none, hiding };
}
export function filmRow(entry, { onRemove, onChange, onCorrect }) {
  const n = (rows += 1);
  const title = el("input", { id: `title-${n}`, name: "title", required: true, maxlength: 120, autocomplete: "off" });
  const firstName = el("input", { id: `first-name-${n}`, name: "first_name", required: true, maxlength: 40,
    pattern: "[^\\s\\d]+", title: "The first name only: one word, no surname", autocomplete: "off" });
  const age = el("input", { id: `age-${n}`, name: "age", type: "number", required: true, min: 5, max: 25, step: 1,
    inputmode: "numeric" });
  const topics = el("div", { class: "checks" }, el("p", { class: "hint" }, "The topics appear once your key is accepted."));
  const protect = protectionChoice(n);
  const protectNote = el("p", { class: "film-protect-note", hidden: true });
  const check = el("p", { class: "film-check" });
  const bar = el("progress", { max: 1, value: 0, "aria-label": `Sending ${entry.name}`, hidden: true });
  const progress = el("p", { class: "film-progress" });
  const result = el("p", { class: "film-outcome status", role: "status", "aria-live": "polite" });
  const remove = el("button", { type: "button", class: "film-remove", "aria-label": `Remove ${entry.name} from the list`,
    onclick: () => onRemove(entry) }, "Remove");
  const correct = el("button", { type: "button", class: "film-correct", hidden: true, onclick: () => onCorrect(entry) },
    "Correct the details");
  const fields = el("div", { class: "film-fields" },
    field(title.id, "Title (in the film's language)", title),
    el("div", { class: "film-child" }, field(firstName.id, "Child's first name", firstName), field(age.id, "Age", age)),
    el("fieldset", { class: "film-topics" }, el("legend", {}, "Topics (one to five)"), topics),
    protect.node);
  for (const input of [title, firstName, age]) watchField(input);
  const select = el("input", { type: "checkbox", name: "select", id: `select-${n}` });
  const preview = el("div", { class: "film-preview" }, placeholder("The preview appears once the file is read."));
  const digest = el("span", { class: "film-digest" }, "Details");
  const folding = el("details", { class: "film-details", open: true },
    el("summary", {}, digest), el("div", { class: "film-body" }, preview, fields));
  // Opened again, it says no summary that a change could make wrong.
  folding.addEventListener("toggle", () => {
    if (folding.open) digest.textContent = "Details";
  });
  const node = el("li", { class: "film-row", "data-file": entry.name },
    el("fieldset", {},
      el("legend", {}, el("span", { class: "film-name" }, entry.name)),
      el("label", { class: "check film-select", for: select.id }, select, ` Select ${entry.name}`),
      check, folding, protectNote, el("div", { class: "film-send" }, bar, progress), result,
      el("div", { class: "row" }, correct, remove)));
  node.addEventListener("input", () => onChange(entry));
  node.addEventListener("change", (event) => {
    if (event.target.name === "topics") topics.querySelector("input")?.setCustomValidity("");
    onChange(entry);
  });
  // Folded once complete and left for another film: the page stays short. Only then: a row that folded as the
  // pointer went down on Send (or any button below it) would pull the button away before the click lands.
  node.addEventListener("focusout", (event) => {
    const next = event.relatedTarget;
    if (next instanceof Element && !node.contains(next) && next.closest(".film-row")) setTimeout(() => api.fold(), 0);
  });

  const chosenTopics = () => [...topics.querySelectorAll("input:checked")].map((box) => box.value);
  const protection = () => Object.fromEntries(protect.hiding.map((box) => [box.value, box.checked]));
  const answered = () => protect.none.checked || protect.hiding.some((box) => box.checked);
  const setProtection = (asked) => {
    for (const box of protect.hiding) box.checked = Boolean(asked?.[box.value]);
    protect.none.checked = Boolean(asked) && !protect.hiding.some((box) => box.checked);
  };
  // What the film asks once sent: an office may add to it, never take it back (the editors decide).
  let askedWhenSent = {};
  // The kinds of hiding saved from this row: their boxes stay locked, whatever else unlocks the row.
  const kept = {};
  const showProtection = () => {
    const what = protectionText(protection());
    protectNote.hidden = !what;
    protectNote.textContent = what ? `This child's identity will be hidden: ${what}. `
      + "The film takes longer to be ready." : "";
  };
  node.addEventListener("change", (event) => {
    if (event.target.name === "protect") showProtection();
  });
  const api = {
    node,
    select,
    // Every field of the row that a mistake can be in, in the order they are shown.
    inputs() {
      return [title, firstName, age, topics.querySelector("input"), protect.none].filter(Boolean);
    },
    complete() {
      this.requireTopics();
      this.requireProtection();
      return this.inputs().every((input) => input.checkValidity());
    },
    // The first field still to fill in (a film just chosen, or one come back to).
    firstToFill() {
      return [title, firstName, age].find((input) => !input.value) || (chosenTopics().length ? null
        : topics.querySelector("input")) || (answered() ? null : protect.none);
    },
    fold() {
      if (this.correcting || fields.hidden || !this.complete()) return;
      const { title: name, first_name: child, age: years, topics: chosen } = this.read();
      const hidden = protectionText(protection());
      digest.textContent = `Details complete: “${name}”, ${child}, ${years}; ${chosen.map(topicName).join(", ")}; `
        + (hidden ? `hidden: ${hidden}` : "may be recognised");
      folding.open = false;
    },
    unfold() {
      folding.open = true;
      digest.textContent = "Details";
    },
    showPreview(content) {
      preview.replaceChildren(content);
    },
    // "Apply to the selected films": the topics are set as chosen; protection is only ever added here
    // (when in doubt, a child stays hidden; a box already ticked is untouched).
    // "No" is set only where the row has no answer yet: it never takes back a child's hiding.
    apply({ topics: wanted, protect_identity: asked, recognisable }) {
      if (title.disabled) return;
      if (wanted.length) for (const box of topics.querySelectorAll("input")) box.checked = wanted.includes(box.value);
      for (const box of protect.hiding) {
        if (asked[box.value] && !box.disabled) {
          box.checked = true;
          protect.none.checked = false;
        }
      }
      if (recognisable && !answered()) protect.none.checked = true;
      topics.querySelector("input")?.setCustomValidity("");
      protect.none.setCustomValidity("");
      showProtection();
      onChange(entry);
    },
    fill(values) {
      title.value = values.title || "";
      firstName.value = values.first_name || "";
      age.value = values.age ?? "";
      for (const box of topics.querySelectorAll("input")) box.checked = (values.topics || []).includes(box.value);
      this.pendingTopics = values.topics || [];
      // Answered only where it was answered (a row saved before the question was asked has no answer).
      const asked = values.protect_identity || {};
      setProtection(values.protect_answered || asked.faces || asked.voice ? asked : null);
      showProtection();
    },
    // `protect_identity` is {faces, voice}; `protect_answered` whether the facilitator answered at all.
    read() {
      const topicsNow = topics.querySelector("input") ? chosenTopics() : this.pendingTopics || [];
      return { title: title.value.trim(), first_name: firstName.value.trim(),
        age: age.value === "" ? "" : Number(age.value), topics: topicsNow, protect_identity: protection(),
        protect_answered: answered() };
    },
    // What the film asks, as the office's list reports it (an editor may have changed it meanwhile).
    showSent(asked) {
      askedWhenSent = asked || {};
      if (!this.correcting) setProtection(askedWhenSent);
      showProtection();
    },
    // Protection asked in a request that went is not taken back here (only the editors turn it off): a box
    // unticked while it went is ticked again, and those sent are locked, "No" with them. True when a box was
    // ticked again.
    keepAsked(asked) {
      let again = false;
      for (const box of protect.hiding) {
        if (!asked?.[box.value]) continue;
        kept[box.value] = true;
        again ||= !box.checked;
        box.checked = true;
        box.disabled = true;
        protect.none.checked = false;
        protect.none.disabled = true;
      }
      showProtection();
      return again;
    },
    setRules(rules) {
      const wanted = this.read().topics;
      const meta = rules.metadata;
      title.maxLength = meta.title_max_chars;
      firstName.maxLength = meta.first_name_max_chars;
      age.min = meta.min_age;
      age.max = meta.max_age;
      topics.replaceChildren(...rules.topics.map((topic) => el("label", { class: "check" },
        el("input", { type: "checkbox", name: "topics", value: topic, checked: wanted.includes(topic),
          disabled: title.disabled }),
        ` ${topicName(topic)}`)));
    },
    // Asks for at least one topic the way the browser asks for a required field.
    requireTopics() {
      const first = topics.querySelector("input");
      first?.setCustomValidity(chosenTopics().length ? "" : "Choose at least one topic for this film.");
    },
    // Asks for the protection answer likewise (on its "No" box, where the list of mistakes links).
    requireProtection() {
      protect.none.setCustomValidity(answered() ? ""
        : "Answer for this child: “No, this child may be recognised”, or “Blur faces”, “Disguise voice” or both.");
    },
    lock(locked) {
      for (const input of fields.querySelectorAll("input")) input.disabled = locked;
      if (locked) return;
      for (const box of protect.hiding) if (kept[box.value]) box.disabled = true;
      if (protect.hiding.some((box) => kept[box.value])) protect.none.disabled = true;
    },
    lockRemove(locked) {
      remove.disabled = locked;
    },
    showCheck(text, kind = "info") {
      say(check, text, kind);
    },
    // A film refused before sending needs another file, not details: its fields step aside.
    setRefused(refused) {
      fields.hidden = refused;
      select.disabled = refused;
      if (refused) select.checked = false;
    },
    showProgress(text, share) {
      bar.hidden = false;
      bar.value = share;
      progress.textContent = text;
    },
    showOutcome(text, kind = "info", status = "") {
      say(result, text, kind);
      if (status) node.dataset.status = status;
    },
    focus() {
      this.unfold();
      (this.firstToFill() || title).focus();
    },
    // A film already sent can have its details corrected until it is published (PATCH /uploads/{id}).
    correcting: false,
    offerCorrection(offered) {
      correct.hidden = !offered && !this.correcting;
    },
    setCorrecting(on) {
      this.correcting = on;
      this.lock(!on);
      // Protection already asked is not taken back here: only the editors turn it off.
      for (const box of protect.hiding) if (on && askedWhenSent[box.value]) box.disabled = true;
      if (on && (askedWhenSent.faces || askedWhenSent.voice)) protect.none.disabled = true;
      correct.textContent = on ? "Save the corrections" : "Correct the details";
      if (on) this.focus();
    },
    invalidField() {
      this.requireTopics();
      this.requireProtection();
      return [...fields.querySelectorAll("input")].find((input) => !input.checkValidity());
    },
  };
  return api;
}
