// What is wrong with one field of the upload page, in a facilitator's words, and the field saying so
// as it is typed. The limits are those the page set on the field from the stage's rules
// (GET /uploads/rules: the ages, the lengths) and the field's own pattern; a refusal from the API
// is set on the field it concerns (setCustomValidity) and read here the same way.

const EMPTY = {
  title: "write the film's title.",
  first_name: "write the child's first name.",
  age: "write the child's age in years.",
  country: "choose the country of the workshop.",
  topics: "choose at least one topic for this film.",
};

// The field's name in the page's own words: its label, or its group's legend (the topics).
export function fieldName(input) {
  const label = input.closest("fieldset.film-topics")?.querySelector("legend") || input.labels?.[0];
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
  input.addEventListener("blur", () => show(true));
  input.addEventListener("invalid", () => show(true));
  return { show: () => show(true) };
}
