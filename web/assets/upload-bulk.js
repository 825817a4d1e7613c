// "Apply to the selected films": the topics and the identity protection that most of a workshop's
// films share, chosen once and set on every film selected (each row keeps its own boxes to differ).
import { el, say } from "./dom.js";
import { topicName } from "./upload-words.js";

export function bulkPanel(node, rows) {
  const all = node.querySelector("#select-all");
  const topics = node.querySelector("#bulk-topics");
  const status = node.querySelector("[role=status]");
  const chosen = (name) => [...node.querySelectorAll(`input[name=${name}]:checked`)].map((box) => box.value);

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
    if (!wanted.length && !protect.faces && !protect.voice) {
      say(status, "Choose the topics or the protection to apply first.", "error");
      return;
    }
    for (const row of selected) {
      row.apply({ topics: wanted, protect_identity: protect });
      row.fold();
    }
    say(status, `Applied to ${selected.length} film${selected.length === 1 ? "" : "s"}.`, "success");
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
