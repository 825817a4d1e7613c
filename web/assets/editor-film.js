// One film on the editor page: what the editor decides on, and the actions its status allows:
// record consent, publish, unpublish, take down (after a confirmation). Results are announced.
import { request } from "./api.js";
import { el, say } from "./dom.js";

const PUBLISHABLE = new Set(["READY", "UNPUBLISHED"]);

export function filmPanel(film, key) {
  const panel = el("li", { class: "panel", "data-video-id": film.video_id });
  const status = el("p", { class: "status", role: "status", "aria-live": "polite" });

  async function act(label, method, path, body) {
    say(status, `${label}…`);
    try {
      const result = await request(method, `/videos/${encodeURIComponent(film.video_id)}${path}`, { key: key(), body });
      if (result.status === "DELETED") {
        panel.replaceChildren(el("p", { class: "status", role: "status", "data-kind": "success" },
          `“${film.title}” was taken down: its files and personal data are gone.`));
        return;
      }
      Object.assign(film, result);
      render();
      say(status, `${label}: done. The film is now ${film.status}.`, "success");
    } catch (error) {
      say(status, `${label} failed: ${error.message}`, "error");
    }
  }

  function consentForm() {
    const id = `consent-${film.video_id}`;
    const form = el("form", { class: "consent", "aria-label": "Consent" },
      el("label", { class: "check" }, el("input", { type: "checkbox", name: "guardian", required: true }),
        " The guardian gave written consent"),
      el("label", { class: "check" }, el("input", { type: "checkbox", name: "child", required: true }),
        " The child gave their own assent"),
      el("label", { for: `${id}-ref` }, "Where the signed forms are kept"),
      el("input", { id: `${id}-ref`, name: "reference", required: true, maxlength: 200 }),
      el("button", { type: "submit" }, "Record consent"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      act("Recording consent", "POST", "/consent", { guardian_consent: true, child_assent: true,
        reference: form.elements.reference.value.trim() });
    });
    return form;
  }

  function publishControls() {
    const safeguarding = film.sensitive
      ? el("label", { class: "check" }, el("input", { type: "checkbox", name: "safeguarding" }),
        " Safeguarding checked: this sensitive film may be published")
      : null;
    const button = el("button", { type: "button", class: "primary" }, "Publish");
    button.addEventListener("click", () => {
      const confirmed = safeguarding?.querySelector("input").checked;
      act("Publishing", "POST", "/publish", confirmed ? { safeguarding_confirmed: true } : {});
    });
    return [safeguarding, button];
  }

  function takeDownControls() {
    const start = el("button", { type: "button", class: "danger" }, "Take down…");
    const confirm = el("div", { class: "confirm", role: "group", "aria-label": "Confirm the takedown", hidden: true },
      el("p", {}, `Take down “${film.title}”? Every file and the child's data are deleted. This cannot be undone.`),
      el("button", { type: "button", class: "danger", onclick: () => act("Taking down", "DELETE", "") },
        "Yes, take it down"),
      el("button", { type: "button", onclick: () => { confirm.hidden = true; start.focus(); } }, "Cancel"));
    start.addEventListener("click", () => {
      confirm.hidden = false;
      confirm.querySelector("button").focus();
    });
    return [start, confirm];
  }

  function render() {
    const consent = film.consent
      ? `Consent recorded (${film.consent.reference || "no reference"}).`
      : "No consent recorded yet: needed before publishing.";
    const actions = [];
    if (PUBLISHABLE.has(film.status)) {
      if (!film.consent) actions.push(consentForm());
      actions.push(...publishControls());
    }
    if (film.status === "PUBLISHED") {
      actions.push(el("a", { href: `film.html?id=${encodeURIComponent(film.video_id)}` }, "See it on the website"));
      actions.push(el("button", { type: "button", onclick: () => act("Unpublishing", "POST", "/unpublish") },
        "Unpublish"));
    }
    actions.push(...takeDownControls());
    const author = film.author ? `${film.author.first_name}, ${film.author.age}` : "";
    const parts = [
      el("h3", { lang: film.language }, film.title),
      film.title_en ? el("p", { lang: "en" }, film.title_en) : null,
      el("p", { class: "film-meta" }, [author, film.country, (film.topics || []).join(", "), film.workshop,
        film.duration_s ? `${film.duration_s} s` : null].filter(Boolean).join(" · ")),
      el("p", { class: "film-meta" }, `Status: ${film.status}. ${consent}${film.sensitive ? " Flagged sensitive." : ""}`),
      el("p", { class: "film-meta id" }, `Film id: ${film.video_id}`),
      el("div", { class: "actions" }, actions.filter(Boolean)),
      status,
    ];
    panel.replaceChildren(...parts.filter(Boolean));
  }

  render();
  return panel;
}
