// "Publish all consented…" for one workshop on the editor page: one confirmation that shows the card of every
// film it publishes (poster, title, first name and age), then each film published by its own call to the API
// (POST /videos/{id}/publish with the version of the film its card showed, audited film by film: refused with
// film_changed if the film changed since the confirmation opened, and the editor told what changed). Films
// flagged sensitive and films with identity protection are listed apart, each with its own confirmation: the
// safeguarding check for a sensitive film, the protected version watched for a protected one. A failure names
// the film and why; the films published leave the queue (editor-queue.js moves them).
import { request } from "./api.js";
import { filmCard, topicName } from "./cards.js";
import { el, say } from "./dom.js";
import { protectionPending } from "./editor-film.js";
import { asked, editorWords, isProtected, whatChanged } from "./editor-words.js";

const PUBLISHABLE = new Set(["READY", "UNPUBLISHED"]);

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}


// The card visitors will see, with the version they will see (the protected poster for a protected film).
function publicCard(film) {
  const card = filmCard({ ...film, poster_url: film.preview?.poster_url || film.poster_url }, { lazy: false });
  card.querySelector("a").removeAttribute("href");
  return card;
}

// Why a film was not published, in an editor's words; for a film changed since `shown`, what changed (read
// again, and shown in its panel so the editor can look again).
async function whyNot(panel, key, shown, error) {
  if (error.code !== "film_changed") return editorWords(error);
  try {
    const now = await request("GET", `/videos/${encodeURIComponent(shown.video_id)}/editorial`, { key: key() });
    panel.show(now);
    return `Changed since you looked: ${whatChanged(shown, now)}; look again.`;
  } catch {
    return "Changed since you looked; look again.";
  }
}

// Busy while its publish is on its way: the queue's next read leaves the panel be (editor-queue.js). Publishes
// only the film as `shown` (its version): the API refuses it if it changed since.
async function publishOne(panel, key, shown, body) {
  panel.setAttribute("aria-busy", "true");
  try {
    const result = await request("POST", `/videos/${encodeURIComponent(shown.video_id)}/publish`,
      { key: key(), body: { ...body, version: shown.version } });
    panel.show(result);
    return result;
  } finally {
    panel.removeAttribute("aria-busy");
  }
}

// One film listed apart: its card, why it is apart, and its own confirmation.
function apartItem(panel, key, uid, onPublished) {
  const film = panel.film();
  const { faces, voice } = asked(film);
  const status = el("p", { class: "status", role: "status", "aria-live": "polite" });
  const why = el("p", { class: "why", id: `${uid}-why` });
  const publish = el("button", { type: "button", class: "primary", "data-action": "publish-apart",
    "aria-describedby": why.id }, `Publish “${film.title}”`);
  const reasons = [];
  const checks = [];
  if (film.sensitive) {
    reasons.push("Flagged sensitive: it needs a safeguarding check.");
    const box = el("input", { type: "checkbox", name: "safeguarding" });
    checks.push(el("label", { class: "check" }, box, ` Safeguarding checked: “${film.title}” may be published`));
  }
  let watched = false;
  let player = null;
  const pending = protectionPending(film);
  if (isProtected(film)) {
    const kinds = [faces ? "faces blurred" : null, voice ? "voice disguised" : null].filter(Boolean).join(" and ");
    reasons.push(pending ? `Identity protection (${kinds}): its protected version is not ready yet, so it cannot be `
      + "published now." : `Identity protected (${kinds}): watch the protected version before publishing it.`);
    if (!pending && film.preview?.video_url) {
      const watch = el("button", { type: "button", "data-action": "watch-protected" }, "Watch the protected version");
      watch.addEventListener("click", () => {
        player ||= el("video", { class: "preview", controls: true, preload: "none", playsinline: true,
          src: film.preview.video_url, poster: film.preview.poster_url, "aria-label": `Protected version of “${film.title}”` });
        watch.after(player);
        watched = true;
        update();
      });
      checks.push(watch);
    }
  }
  const item = el("li", { class: "apart", "data-video-id": film.video_id },
    el("ul", { class: "grid" }, publicCard(film)),
    el("div", {}, reasons.map((text) => el("p", { class: "film-meta" }, text)),
      film.topics?.length ? el("p", { class: "film-meta" }, film.topics.map(topicName).join(", ")) : null,
      checks, el("div", { class: "actions" }, pending ? null : publish), why, status));
  function update() {
    const ticked = !film.sensitive || item.querySelector("input[name=safeguarding]").checked;
    const seen = !isProtected(film) || watched;
    publish.disabled = !(ticked && seen);
    why.textContent = !ticked ? "Tick “Safeguarding checked” once the check is done."
      : !seen ? "Watch the protected version first: it is what visitors will see." : "";
  }
  item.querySelector("input[name=safeguarding]")?.addEventListener("change", update);
  publish.addEventListener("click", async () => {
    publish.disabled = true;
    say(status, `Publishing “${film.title}”…`);
    try {
      await publishOne(panel, key, film, film.sensitive ? { safeguarding_confirmed: true } : {});
      item.replaceChildren(el("p", { class: "status", role: "status", "data-kind": "success" },
        `“${film.title}” is published.`));
      onPublished();
    } catch (error) {
      say(status, `“${film.title}” was not published. ${await whyNot(panel, key, film, error)}`, "error");
      update();
    }
  });
  update();
  return item;
}

// The button and the confirmation region of one workshop; `panels()`: the films awaiting review in it.
export function publishAllConsented(panels, key, uid, onPublished) {
  const status = el("p", { class: "status", role: "status", "aria-live": "polite" });
  const region = el("div", { class: "confirm publish-confirm bulk", role: "group",
    "aria-label": "Confirm publishing the consented films", hidden: true });
  const button = el("button", { type: "button", "data-action": "publish-all" }, "Publish all consented…");

  function close() {
    region.hidden = true;
    region.replaceChildren();
    button.focus();
  }

  async function publishAll(chosen, yes) {
    for (const control of region.querySelectorAll(".bulk-plain button")) control.disabled = true;
    say(status, `Publishing ${plural(chosen.length, "film")}…`);
    const failed = [];
    for (const { panel, shown } of chosen) {
      try {
        await publishOne(panel, key, shown, {});
      } catch (error) {
        const why = await whyNot(panel, key, shown, error);
        failed.push(`“${shown.title}”: ${why}`);
        panel.say(`Not published. ${why}`, "error");
      }
    }
    const done = chosen.length - failed.length;
    region.querySelector(".bulk-plain")?.remove();
    if (!region.querySelector(".apart")) region.hidden = true;
    say(status, failed.length ? `Published ${done} of ${plural(chosen.length, "film")}. Not published: ${failed.join(" ")}`
      : `Published ${plural(done, "film")}: visitors can watch them now.`, failed.length ? "error" : "success");
    onPublished();
    (region.hidden ? button : region.querySelector("[data-action=publish-apart], [data-action=watch-protected], input")
      || button).focus();
    yes.remove();
  }

  button.addEventListener("click", () => {
    const waiting = panels().filter((panel) => PUBLISHABLE.has(panel.film().status));
    const consented = waiting.filter((panel) => panel.film().consent);
    const plain = consented.filter((panel) => !panel.film().sensitive && !isProtected(panel.film()));
    const apart = consented.filter((panel) => !plain.includes(panel));
    const unconsented = waiting.length - consented.length;
    say(status, "");
    if (!consented.length) {
      region.hidden = true;
      say(status, "No film here has its consent recorded yet: record it first (above).", "error");
      return;
    }
    const parts = [];
    if (plain.length) {
      const yes = el("button", { type: "button", class: "primary", "data-action": "confirm-publish-all" },
        `Yes, publish these ${plural(plain.length, "film")}`);
      // The films as their cards show them now: what is published is these, or nothing.
      const shown = plain.map((panel) => ({ panel, shown: panel.film() }));
      yes.addEventListener("click", () => publishAll(shown, yes));
      parts.push(el("div", { class: "bulk-plain" },
        el("p", {}, `Visitors will see ${plain.length === 1 ? "this card" : `these ${plain.length} cards`}, the films `
          + "and their subtitles:"),
        el("ul", { class: "grid" }, plain.map((panel) => publicCard(panel.film()))),
        el("div", { class: "actions" }, yes,
          el("button", { type: "button", "data-action": "cancel-publish-all", onclick: close }, "Cancel"))));
    }
    if (apart.length) {
      parts.push(el("h4", {}, `Listed apart: ${plural(apart.length, "film")} with ${apart.length === 1 ? "its" : "their"} `
        + "own check"),
      el("p", { class: "hint" }, "Flagged sensitive, or protecting a child's identity: never published with the others."),
      el("ul", { class: "apart-films" }, apart.map((panel, index) => apartItem(panel, key, `${uid}-apart-${index}`,
        onPublished))));
    }
    if (unconsented) {
      parts.push(el("p", { class: "hint" }, `${plural(unconsented, "film")} without consent ${unconsented === 1 ? "is"
        : "are"} not included: record ${unconsented === 1 ? "its" : "their"} consent first.`));
    }
    if (!plain.length) parts.push(el("button", { type: "button", onclick: close }, "Close"));
    region.replaceChildren(...parts);
    region.hidden = false;
    region.querySelector("button, input").focus();
  });
  return { button, region, status };
}
