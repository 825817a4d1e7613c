// What is wrong with one field of the upload page, in a facilitator's words, and the field saying so
// as it is typed. The limits are those the page set on the field from the stage's rules
// (GET /uploads/rules: the ages, the lengths) and the field's own pattern; a refusal from the API
// is set on the field it concerns (setCustomValidity) and read here the same way.
import { explainError } from "./upload-words.js";

const EMPTY = {
  title: "write the film's title.",
  first_name: "write the child's first name.",
  age: "write the child's age in years.",
  country: "choose the country of the workshop.",
  topics: "choose at least one topic for this film.",
};

// The field's name in the page's own words: its label, or its group's legend (the topics).
export function fieldName(input) {
  const label = input.closest("fieldset.film-topics, fieldset.film-protect")?.querySelector("legend")
    || input.labels?.[0];
  return (label?.textContent || input.name).replace(/\s*\(.*$/, "").trim();
}

// A sentence, or "" when the field is fine.
export function fieldProblem(input) {
  const { validity } = input;
  if (validity.valid) return "";
  if (validity.customError) return input.validationMessage;
  if (validity.valueMissing) return `Empty: ${EMPTY[input.name] || "fill it in."}`;
  if (validity.badInput || validity.rangeUnderflow || validity.rangeOverflow || validity.stepMismatch) {
    const said = input.value || "This";
    return `${said} is not an age the project takes: a whole number of years from ${input.min} to ${input.max}.`;
  }
  if (validity.tooLong) return `At most ${input.maxLength} characters.`;
  if (validity.patternMismatch) return `“${input.value}”: ${input.title}.`;
  return input.validationMessage;
}

// Says under the field what is wrong with it while it is typed (a field left empty is told once it is
// left, not while the facilitator is still on it); a refusal from the API goes once the field changes.
export function watchField(input) {
  const note = document.createElement("p");
  note.className = "field-error";
  note.id = `${input.id}-error`;
  note.hidden = true;
  input.after(note);
  input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), note.id].filter(Boolean).join(" "));
  const show = (leaving) => {
    const problem = fieldProblem(input);
    const told = problem && (leaving || !input.validity.valueMissing);
    note.hidden = !told;
    note.textContent = told ? problem : "";
    if (told) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  };
  input.addEventListener("input", () => {
    input.setCustomValidity("");
    show(false);
  });
  // Not when the facilitator leaves it for a button (Send, a link of the list): a note appearing then would move
  // the button from under the pointer, and the click would be lost. The button says what is left to fix.
  input.addEventListener("blur", (event) => {
    if (!(event.relatedTarget instanceof HTMLButtonElement)) show(true);
  });
  input.addEventListener("invalid", () => show(true));
  return { show: () => show(true) };
}

// The fields a refusal of `POST /uploads` concerns, by its code. A text the API finds too revealing
// (an address, a phone) may be the title or the workshop: the API's sentence names which, and both
// carry it until the next Send, when the API judges again.
const REFUSED_FIELD = { invalid_title: ["title"], invalid_author: ["first_name", "age"], invalid_topic: ["topics"],
  place_too_precise: ["title", "workshop"], contact_details: ["title", "workshop"],
  hidden_characters: ["title", "workshop"], invalid_workshop: ["workshop"], invalid_language: ["language"],
  invalid_country: ["country"] };

// Sets the refusal on the fields among `inputs` it concerns; false when it concerns none.
export function markRefused(error, inputs) {
  const names = REFUSED_FIELD[error.code];
  if (!names) return false;
  // An empty field holds no address: only the fields with a value are told.
  for (const input of inputs.filter((field) => names.includes(field.name) && field.value)) {
    input.setCustomValidity(error.code.startsWith("invalid_") ? explainError(error) : error.message);
    input.dataset.refused = "true";
  }
  return true;
}
