// The workshop's films sent one after the other (a slow link is not split between several films).
// A dropped connection does not stop the queue: it waits for the link to come back and goes on with
// the same film, from the parts that arrived; one bar tells the whole workshop's progress meanwhile.
import { say } from "./dom.js";
import { meter } from "./meter.js";
import { explainError } from "./upload-words.js";

const PROGRESS_EVERY_MS = 400;
const RETRY_FIRST_MS = 2000;
const RETRY_MOST_MS = 30_000;

// Waits for the connection to come back: the browser's "online" event, or the next try of a growing
// backoff (the event alone is not enough: a link can be up while the service is not reachable).
function linkBack(attempt, progress, bar) {
  const wait = Math.min(RETRY_FIRST_MS * 2 ** attempt, RETRY_MOST_MS);
  bar.offline({ ...progress, retryIn: navigator.onLine ? wait : 0 });
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener("online", done);
      resolve();
    };
    const timer = setTimeout(done, wait);
    window.addEventListener("online", done);
  });
}

// `sendEntry(entry, onWorkshopBytes)` sends one film; `refuse(entry, error)` takes a refusal of its
// details (true when it was one).
export async function sendQueue(waiting, { sendEntry, refuse, bar, status }) {
  const progress = { sent: 0, films: waiting.length };
  const measure = meter(waiting.reduce((sum, entry) => sum + entry.file.size, 0));
  let before = 0;
  let shown = 0;
  const onWorkshop = (done) => {
    const reading = measure(before + done);
    if (performance.now() - shown > PROGRESS_EVERY_MS) {
      shown = performance.now();
      if (navigator.onLine) bar.sending({ ...progress, reading });
    }
  };
  const offline = () => bar.offline(progress);
  window.addEventListener("offline", offline);
  try {
    for (const [index, entry] of waiting.entries()) {
      say(status, `Sending film ${index + 1} of ${waiting.length}: ${entry.name}`);
      for (let attempt = 0; ; attempt += 1) {
        try {
          await sendEntry(entry, onWorkshop);
          progress.sent += 1;
          break;
        } catch (error) {
          if (error.status === 0) {
            entry.row.showOutcome("Waiting for the connection to come back…", "error", "SENDING");
            await linkBack(attempt, progress, bar);
            continue;
          }
          if (error.code === "forbidden") {
            entry.row.showOutcome(`Not sent: ${explainError(error)}`, "error", "SEND_FAILED");
            say(status, `Sending stopped: ${explainError(error)}`, "error");
            return;
          }
          if (!refuse(entry, error)) entry.row.showOutcome(`Not sent: ${explainError(error)}`, "error", "SEND_FAILED");
          break;
        }
      }
      before += entry.file.size;
      bar.sending({ ...progress, reading: measure(before) });
    }
  } finally {
    window.removeEventListener("offline", offline);
  }
  const { sent } = progress;
  say(status, sent === waiting.length
    ? `${sent} film${sent === 1 ? "" : "s"} sent. Each is checked now: the outcome shows beside it and in the list below.`
    : `${sent} of ${waiting.length} films sent; the others say what to fix.`, sent === waiting.length ? "success" : "error");
}
