// The workshop's ending in one line, from each film's row: "14 ready, 1 failed (being retried),
// 2 refused:" and, for every film refused or not sent, why.
const READY = new Set(["READY", "PUBLISHED", "UNPUBLISHED"]);
const REFUSED = new Set(["REFUSED_HERE", "REJECTED"]);
const NOT_SENT = new Set(["SEND_FAILED", "REFUSED_DETAILS"]);

const statusOf = (entry) => entry.row.node.dataset.status || "";

export function workshopSummary(entries) {
  const count = (test) => entries.filter((entry) => test(statusOf(entry))).length;
  const ready = count((status) => READY.has(status));
  const failed = count((status) => status === "FAILED");
  const refused = count((status) => REFUSED.has(status));
  const notSent = count((status) => NOT_SENT.has(status));
  const removed = count((status) => status === "REMOVED");
  const drafts = count((status) => status === "DRAFT");
  const checking = entries.length - ready - failed - refused - notSent - removed - drafts;
  const parts = [
    [ready, "ready"],
    [drafts, "sent, waiting for their details"],
    [checking, "being sent or checked"],
    [failed, "failed (being retried)"],
    [removed, "removed by the editors"],
    [notSent, "not sent (details to fix)"],
    [refused, "refused"],
  ].filter(([n]) => n).map(([n, what]) => `${n} ${what}`);
  const reasons = entries.filter((entry) => REFUSED.has(statusOf(entry)) || NOT_SENT.has(statusOf(entry)))
    .map((entry) => `${entry.name}: ${entry.refusal || entry.reason || entry.row.node.querySelector(".film-outcome").textContent}`);
  const kind = refused || failed || notSent ? "error" : checking || drafts ? "info" : "success";
  return { text: `${parts.join(", ")}${reasons.length ? ":" : "."}`, kind, reasons };
}
