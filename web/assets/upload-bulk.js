// "Apply to the selected films": the topics and the identity protection that most of a workshop's
// films share, chosen once and set on every film selected (each row keeps its own boxes to differ).
import { el, say } from "./dom.js";
import { topicName } from "./upload-words.js";

export function bulkPanel(node, rows) {
  const all = node.querySelector("#select-all");
  const topics = node.querySelector("#bulk-topics");
  const status = node.querySelector("[role=status]");
  const chosen = (name) => [...node.querySelectorAll(`input[name=${name}]:checked`)].map((box) => box.value);

  // "No" and the kinds of hiding exclude each other, as in each row.
  const none = node.querySelector("input[name=bulk-protect][value=none]");
  node.addEventListener("change", (event) => {
    if (event.target.name !== "bulk-protect" || !event.target.checked) return;
    for (const box of node.querySelectorAll("input[name=bulk-protect]")) {
      if ((event.target === none) !== (box === none)) box.checked = false;
    }
  });
  all.addEventListener("change", () => {
    for (const row of rows()) if (!row.select.disabled) row.select.checked = all.checked;
  });
  node.querySelector("#bulk-apply").addEventListener("click", () => {
    const selected = rows().filter((row) => row.select.checked && !row.select.disabled);
    const wanted = chosen("bulk-topics");
    const protect = Object.fromEntries(["faces", "voice"].map((kind) => [kind, chosen("bulk-protect").includes(kind)]));
    if (!selected.length) {
      say(status, "Select the films first (or “Select all the films”).", "error");
      return;
    }
    const recognisable = none.checked;
    if (!wanted.length && !protect.faces && !protect.voice && !recognisable) {
      say(status, "Choose the topics or the protection to apply first.", "error");
      return;
    }
    for (const row of selected) {
      row.apply({ topics: wanted, protect_identity: protect, recognisable });
      row.fold();
    }
    say(status, `Applied to ${selected.length} film${selected.length === 1 ? "" : "s"}`
      + `${recognisable ? " (“No” only where a film had no answer yet)" : ""}.`, "success");
  });

  return {
    setRules(rules) {
      topics.replaceChildren(...rules.topics.map((topic) => el("label", { class: "check" },
        el("input", { type: "checkbox", name: "bulk-topics", value: topic }), ` ${topicName(topic)}`)));
    },
    // Shown once there are two films or more to share details between.
    update() {
      node.hidden = rows().filter((row) => !row.select.disabled).length < 2;
    },
  };
}
