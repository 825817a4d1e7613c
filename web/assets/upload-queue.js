// The workshop's films sent one after the other as soon as each is chosen and passes the checks (a slow
// link is not split between several films); films chosen meanwhile join the end. A dropped connection
// does not stop the queue: it waits for the link to come back and goes on with the same film, from the
// parts that arrived; one bar tells the whole workshop's progress meanwhile.
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

// `sendEntry(entry, onWorkshopBytes)` sends one film's bytes; `onEnd(sent, films)` hears when the queue ran
// dry. `add(entry)` queues a film (once), `drop(entry)` takes it out before its turn; `has(entry)` says whether
// it is queued or being sent.
export function sendingQueue({ sendEntry, bar, status, onEnd }) {
  const waiting = [];
  const progress = { sent: 0, films: 0 };
  const measure = meter(0);
  let before = 0;
  let shown = 0;
  let running = null;
  let failed = 0;
  const onWorkshop = (done) => {
    const reading = measure(before + done);
    if (performance.now() - shown > PROGRESS_EVERY_MS) {
      shown = performance.now();
      if (navigator.onLine) bar.sending({ ...progress, reading });
    }
  };
  const offline = () => bar.offline(progress);

  async function sendOne(entry) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await sendEntry(entry, onWorkshop);
        progress.sent += 1;
        return true;
      } catch (error) {
        if (error.status === 0) {
          entry.row.showOutcome("Waiting for the connection to come back…", "error", "SENDING");
          await linkBack(attempt, progress, bar);
          continue;
        }
        entry.row.showOutcome(`Not sent: ${explainError(error)}`, "error", "SEND_FAILED");
        if (error.code === "forbidden") say(status, `Sending stopped: ${explainError(error)}`, "error");
        return false;
      }
    }
  }

  async function run() {
    window.addEventListener("offline", offline);
    try {
      while (waiting.length) {
        const entry = waiting[0];
        say(status, `Sending film ${progress.sent + failed + 1} of ${progress.films}: ${entry.name}`);
        if (!(await sendOne(entry))) failed += 1;
        waiting.shift();
        before += entry.file.size;
        bar.sending({ ...progress, reading: measure(before) });
      }
    } finally {
      window.removeEventListener("offline", offline);
      running = null;
    }
    const { sent, films } = progress;
    say(status, sent === films
      ? `${sent} film${sent === 1 ? "" : "s"} sent. Each is checked now: the outcome shows beside it and in the list below.`
      : `${sent} of ${films} films sent; the others say what to fix.`, sent === films ? "success" : "error");
    onEnd(sent, films);
  }

  return {
    add(entry) {
      if (waiting.includes(entry)) return;
      waiting.push(entry);
      progress.films += 1;
      measure.grow(entry.file.size);
      running ??= run();
    },
    // A film removed from the list before its turn is not sent (the one going now finishes: a draft no editor
    // sees, deleted on its date).
    drop(entry) {
      const index = waiting.indexOf(entry);
      if (index < 1) return;
      waiting.splice(index, 1);
      progress.films -= 1;
      measure.grow(-entry.file.size);
    },
    has: (entry) => waiting.includes(entry),
    busy: () => running !== null,
  };
}
