// Every mistake of the workshop at once, in one list by film, each linking to its field: pressing Send
// shows them all, rather than one highlighted field per press on a long page. The list follows the
// fixes as they are typed, and goes once nothing is left to fix.
import { el } from "./dom.js";
import { fieldName, fieldProblem } from "./upload-fields.js";

// `groups()`: [{name, inputs, open}] — the workshop's fields, then each film's; `open(input)` shows
// the field (a folded row unfolds) before it is focused.
export function mistakesList(node, groups) {
  let shown = false;

  function link(input, problem, open) {
    return el("li", {},
      el("a", { href: `#${input.id}`, onclick: (event) => {
        event.preventDefault();
        open(input);
        input.focus();
        input.scrollIntoView({ block: "center" });
      } }, fieldName(input)),
      `: ${problem}`);
  }

  let drawn = "";

  // Drawn again only when what it says changed: a link being clicked must stay the same element (the
  // field left by that click fires a change).
  function render() {
    const found = groups().map(({ name, inputs, open }) => ({ name, open,
      problems: inputs.map((input) => [input, fieldProblem(input)]).filter(([, problem]) => problem) }))
      .filter(({ problems }) => problems.length);
    const count = found.reduce((sum, { problems }) => sum + problems.length, 0);
    const said = JSON.stringify(found.map(({ name, problems }) => [name, problems.map(([i, p]) => [i.id, p])]));
    if (said === drawn) return count;
    drawn = said;
    node.hidden = !count;
    if (!count) {
      node.replaceChildren();
      return 0;
    }
    const films = found.length;
    node.replaceChildren(
      el("h3", { id: "mistakes-title" },
        `${count} thing${count === 1 ? "" : "s"} to fix before sending, in ${films} place${films === 1 ? "" : "s"}`),
      el("ul", {}, found.map(({ name, open, problems }) => el("li", {}, el("strong", {}, name),
        el("ul", {}, problems.map(([input, problem]) => link(input, problem, open)))))));
    return count;
  }

  return {
    // Shows the list (and moves to it, unless `focus` is false: a refusal heard while the facilitator types
    // elsewhere) when there is anything to fix; the number of mistakes.
    show({ focus = true } = {}) {
      const count = render();
      // Nothing listed: nothing to follow. A film chosen later is no mistake while its details are typed, and
      // no "every listed mistake is fixed" is said once they are.
      shown = count > 0;
      if (count && focus) node.focus();
      return count;
    },
    // Called on every change: once shown, the list follows the fixes. True when the last one was just fixed.
    update() {
      if (!shown || render()) return false;
      shown = false;
      return true;
    },
  };
}
