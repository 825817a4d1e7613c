// One bar for the whole workshop, kept in sight at the foot of the screen while films go: films sent,
// bytes, time left; what happens when the connection drops; and the summary once every film has gone.
import { el } from "./dom.js";
import { progressText } from "./upload-words.js";

export function workshopBar(node) {
  const text = el("p", { class: "workshop-bar-text" });
  const bar = el("progress", { max: 1, value: 0, "aria-label": "The whole workshop sent" });
  const why = el("ul", { class: "workshop-bar-why" });
  node.replaceChildren(text, bar, why);
  const show = (message, kind) => {
    node.hidden = false;
    node.dataset.kind = kind;
    text.textContent = message;
  };
  return {
    // {sent, films, reading: meter's reading for the workshop's bytes}
    sending({ sent, films, reading }) {
      show(`${sent} of ${films} film${films === 1 ? "" : "s"} sent · ${progressText(reading)}`, "info");
      bar.hidden = false;
      bar.value = reading.total ? reading.done / reading.total : 0;
      why.replaceChildren();
    },
    offline({ sent, films, retryIn }) {
      show(`The connection is lost: ${sent} of ${films} film${films === 1 ? "" : "s"} sent. Sending continues by `
        + `itself as soon as it returns${retryIn ? ` (next try in ${Math.ceil(retryIn / 1000)} s)` : ""}; `
        + "nothing needs pressing, and what arrived is not sent again.", "error");
    },
    // The end: "14 ready, 1 failed (being retried), 2 refused: why", the why as a list.
    summary(message, kind, reasons) {
      show(message, kind);
      bar.value = 1;
      why.replaceChildren(...reasons.map((reason) => el("li", {}, reason)));
    },
  };
}
