// The films awaiting review on the editor page, grouped by workshop: "Select all" per workshop, one form to
// record the consent of the selected films (the signed forms of a workshop usually sit in one folder), and
// "Publish all consented…" (editor-bulk.js). The queue keeps itself up to date: a film published from the page
// leaves it at once (into the group's "Published from this page", where it can still be highlighted or given
// subtitles), and every POLL_MS, or after a bulk action, the queue is read again: films decided elsewhere
// leave, new ones come in, and the counts follow, without reloading the page or losing what is typed.
import { request } from "./api.js";
import { workshopName } from "./cards.js";
import { el, say } from "./dom.js";
import { publishAllConsented } from "./editor-bulk.js";
import { filmPanel } from "./editor-film.js";
import { editorWords } from "./editor-words.js";

const NO_WORKSHOP = "";
const POLL_MS = 30_000;

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

// Films without a workshop are no workshop: "11 films awaiting review, none with a workshop".
function queueSummary(count, perWorkshop) {
  if (!count) return "No film is awaiting review.";
  const loose = perWorkshop.get(NO_WORKSHOP) || 0;
  const named = [...perWorkshop].filter(([workshop, films]) => workshop !== NO_WORKSHOP && films).length;
  const films = `${plural(count, "film")} awaiting review`;
  if (!loose) return `${films}, in ${plural(named, "workshop")}.`;
  if (!named) return `${films}, none with a workshop.`;
  return `${films}: ${count - loose} in ${plural(named, "workshop")}, ${loose} without a workshop.`;
}

export function reviewQueue(container, line, currentKey, { topics, stories }) {
  const groups = new Map();
  let index = 0;
  let loading = null;

  // One workshop's films awaiting review, with its bulk decisions.
  function workshopGroup(workshop) {
    const id = `group-${++index}`;
    const title = workshop ? `Workshop ${workshopName(workshop)}` : "Films without a workshop";
    const list = el("ul", { class: "panels awaiting" });
    const publishedList = el("ul", { class: "panels" });
    const published = el("section", { class: "published-here", "aria-labelledby": `${id}-published`, hidden: true },
      el("h4", { id: `${id}-published` }, "Published from this page"),
      el("p", { class: "hint" }, "No longer awaiting review: highlight them or add subtitles here, or find them "
        + "later under “Published and unpublished films”."), publishedList);
    const heading = el("h3", { id: `${id}-title` });
    const waiting = () => [...list.children].filter((panel) => panel.film().status === "READY" && !panel.dataset.left);
    const groupStatus = el("p", { class: "status", role: "status", "aria-live": "polite" });

    const selectAll = el("input", { type: "checkbox", id: `${id}-all`, "data-select-all": "" });
    const syncSelectAll = () => {
      const boxes = [...list.querySelectorAll("input[data-select]")];
      const ticked = boxes.filter((box) => box.checked).length;
      selectAll.checked = Boolean(boxes.length) && ticked === boxes.length;
      selectAll.indeterminate = ticked > 0 && ticked < boxes.length;
    };
    selectAll.addEventListener("change", () => {
      for (const box of list.querySelectorAll("input[data-select]")) box.checked = selectAll.checked;
      syncSelectAll();
    });
    list.addEventListener("change", (event) => { if (event.target.matches("input[data-select]")) syncSelectAll(); });

    const form = el("form", { class: "group-consent", "aria-label": `Consent for the selected films of ${title}` },
      el("p", { class: "hint" }, "Tick the films whose signed forms you have, then record their consent at once."),
      el("label", { class: "check" }, el("input", { type: "checkbox", name: "guardian", required: true }),
        " The guardians gave written consent"),
      el("label", { class: "check" }, el("input", { type: "checkbox", name: "child", required: true }),
        " The children gave their own assent"),
      el("label", { for: `${id}-ref` }, "Where the signed forms are kept"),
      el("input", { id: `${id}-ref`, name: "reference", required: true, maxlength: 200 }),
      el("div", { class: "actions" },
        el("button", { type: "submit", "data-action": "group-consent" }, "Record consent for the selected films")),
      groupStatus);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      const chosen = waiting().filter((panel) => panel.selected());
      if (!chosen.length) {
        say(groupStatus, "Select at least one film first (“Select all”, or the box under its poster).", "error");
        return;
      }
      const body = { guardian_consent: true, child_assent: true, reference: form.elements.reference.value.trim() };
      say(groupStatus, `Recording consent for ${plural(chosen.length, "film")}…`);
      const failed = [];
      for (const panel of chosen) {
        panel.setAttribute("aria-busy", "true");
        try {
          panel.show(await request("POST", `/videos/${encodeURIComponent(panel.film().video_id)}/consent`,
            { key: currentKey(), body }));
          panel.say("Consent recorded: the film can be published.", "success");
        } catch (error) {
          failed.push(`“${panel.film().title}”: ${editorWords(error)}`);
        } finally {
          panel.removeAttribute("aria-busy");
        }
      }
      syncSelectAll();
      const done = chosen.length - failed.length;
      say(groupStatus, failed.length ? `Consent recorded for ${plural(done, "film")}; not for ${failed.join(" ")}`
        : `Consent recorded for ${plural(done, "film")}.`, failed.length ? "error" : "success");
    });

    const bulk = publishAllConsented(waiting, currentKey, id, () => refresh());
    const storyLink = workshop ? el("button", { type: "button", class: "link", onclick: () => stories.open(workshop) },
      "Write or edit this workshop's story") : null;
    const section = el("section", { class: "workshop-group", "aria-labelledby": heading.id, "data-workshop": workshop },
      heading, storyLink,
      el("div", { class: "row bulk-actions" },
        el("label", { class: "check", for: selectAll.id }, selectAll, ` Select all films of ${title}`), bulk.button),
      bulk.status, bulk.region, form, list, published);

    // A film that is no longer awaiting review leaves the list: published, into "Published from this page".
    function changed(panel, film) {
      if (film.status === "DELETED") panel.dataset.left = "taken down"; // its panel says so until the next read
      if (film.status === "PUBLISHED" && panel.parentElement !== publishedList) {
        publishedList.append(panel);
        published.hidden = false;
      }
      recount();
    }
    function add(film) {
      const panel = filmPanel(film, currentKey, { topics: topics(), selectable: true,
        onChange: (next) => changed(panel, next) });
      list.append(panel);
      return panel;
    }
    function count() {
      const films = waiting().length;
      heading.textContent = `${title} · ${plural(films, "film")} awaiting review`;
      syncSelectAll();
      return films;
    }
    return { section, list, add, count, empty: () => !list.children.length && published.hidden };
  }

  function recount() {
    const perWorkshop = new Map([...groups].map(([workshop, group]) => [workshop, group.count()]));
    const total = [...perWorkshop.values()].reduce((sum, films) => sum + films, 0);
    say(line, queueSummary(total, perWorkshop));
  }

  // Read the queue and bring the page in line with it, keeping every panel that is still waiting as it is.
  async function refresh({ fresh = false } = {}) {
    if (!currentKey()) {
      groups.clear();
      container.replaceChildren();
      say(line, "Type your editor key above to see the films awaiting review.");
      return;
    }
    if (loading && !fresh) return loading;
    if (loading) await loading; // a new key (or a first load) reads afresh once the read under way is done
    if (fresh) say(line, "Loading the films awaiting review…");
    loading = (async () => {
      try {
        const { items } = await request("GET", "/review", { key: currentKey() });
        if (fresh) {
          groups.clear();
          container.replaceChildren();
        }
        const waitingNow = new Map(items.map((film) => [film.video_id, film]));
        const waitingIds = new Set(waitingNow.keys());
        for (const group of groups.values()) {
          for (const panel of [...group.list.children]) {
            // Decided elsewhere (another editor, another tab) while this page showed it waiting: it leaves. A film
            // this page sent elsewhere (being protected) stays, its panel follows it; so does an action on its way.
            const gone = !waitingIds.has(panel.dataset.videoId);
            if (gone && !panel.hasAttribute("aria-busy") && (panel.film().status === "READY" || panel.dataset.left)) {
              panel.remove();
            }
            // Changed elsewhere and still waiting (flagged sensitive, renamed, protection asked): shown as it is now,
            // so its badges and checks are the ones the API will hold it to.
            const now = waitingNow.get(panel.dataset.videoId);
            if (now && now.version !== panel.film().version && !panel.hasAttribute("aria-busy")
              && !panel.contains(document.activeElement)) {
              // A film that was being made and is now ready says so itself: no other editor changed it.
              if (!panel.show(now)) panel.say("Changed by another editor meanwhile: shown as it is now.");
            }
          }
        }
        // A film listed apart in an open confirmation and decided elsewhere meanwhile is no longer offered there.
        for (const item of container.querySelectorAll(".apart[data-video-id]")) {
          if (!waitingIds.has(item.dataset.videoId) && item.querySelector("[data-action=publish-apart]")) item.remove();
        }
        // Every film the page shows, published from it too: a read that began before a publish ended adds no copy.
        const shown = new Set([...container.querySelectorAll(".panels > .panel")]
          .map((panel) => panel.dataset.videoId));
        for (const film of items) {
          if (shown.has(film.video_id)) continue;
          const workshop = film.workshop || NO_WORKSHOP;
          if (!groups.has(workshop)) {
            groups.set(workshop, workshopGroup(workshop));
            container.append(groups.get(workshop).section);
          }
          groups.get(workshop).add(film);
        }
        for (const [workshop, group] of groups) {
          if (group.empty()) {
            group.section.remove();
            groups.delete(workshop);
          }
        }
        recount();
      } catch (error) {
        say(line, editorWords(error), "error");
      } finally {
        loading = null;
      }
    })();
    return loading;
  }

  setInterval(() => { if (!document.hidden && currentKey()) refresh(); }, POLL_MS);
  return { load: () => refresh({ fresh: true }), refresh };
}
