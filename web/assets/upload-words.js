// What the upload page says, in a facilitator's words: sizes, lengths, speeds, statuses and refusals.
// Never an API path or a field name: the API's own sentence is shown only when nothing better is known.

const KNOWN_TOPICS = { "hiv-aids": "HIV and AIDS", "juvenile-justice": "Juvenile justice",
  "leave-no-child-out": "Leave No Child Out", "roma-children": "Roma children", violence: "Violence" };

export const topicName = (slug) => KNOWN_TOPICS[slug] || slug.charAt(0).toUpperCase() + slug.slice(1).replaceAll("-", " ");

export function sizeText(bytes) {
  if (bytes < 1000) return `${bytes} bytes`; // 51 bytes of notes are no "1 kB"
  if (bytes < 1000 * 1000) return `${Math.max(1, Math.round(bytes / 1000))} kB`;
  return `${(bytes / 1000 / 1000).toFixed(1)} MB`;
}

// A date as a facilitator reads it: "21 December 2026".
export function dateText(iso) {
  return new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
}

export function lengthText(seconds) {
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const rest = whole % 60;
  return rest ? `${Math.floor(whole / 60)} min ${rest} s` : `${whole / 60} min`;
}

export function progressText({ done, total, speed, left }) {
  const parts = [`${sizeText(done)} of ${sizeText(total)}`];
  if (speed) parts.push(`${sizeText(speed)}/s`);
  if (left !== null && done < total) parts.push(left < 60 ? "less than a minute left" : `about ${lengthText(left)} left`);
  return parts.join(" · ");
}

// Identity protection (docs/PROTECTION.md) as the page says it: "faces blurred and voice disguised".
export function protectionText(asked) {
  const kinds = [asked?.faces ? "faces blurred" : null, asked?.voice ? "voice disguised" : null].filter(Boolean);
  return kinds.length ? kinds.join(" and ") : "";
}

export const listText = (items) =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

const STATUS = {
  AWAITING_UPLOAD: ["Waiting for the film to be sent", "info"],
  UPLOADED: ["Arrived; waiting to be checked", "info"],
  VALIDATING: ["Arrived; being checked", "info"],
  PROTECTING: ["Accepted; the child's identity is being hidden (this takes longer)", "info"],
  TRANSCODING: ["Accepted; being prepared for the website", "info"],
  READY: ["Ready: an editor will review it before it is published", "success"],
  PUBLISHED: ["Published on the website", "success"],
  UNPUBLISHED: ["Taken off the website by an editor", "info"],
  REJECTED: ["Refused", "error"],
  FAILED: ["Processing failed; the team has been told and will try again", "error"],
  EXPIRED: ["Never arrived: the upload was not finished in time. Send it again", "error"],
};
export const FINAL = new Set(["READY", "PUBLISHED", "UNPUBLISHED", "REJECTED", "FAILED", "EXPIRED"]);

// A film's status as a sentence, and how it should look (info, success, error).
export function outcome(film) {
  if (film.draft && film.status !== "EXPIRED" && film.status !== "REJECTED") {
    return { text: `Details missing: no editor sees it, and it is deleted on ${dateText(film.delete_after)} unless `
      + "they are completed.", kind: "error" };
  }
  const [words, kind] = STATUS[film.status] || [film.status, "info"];
  return { text: film.status === "REJECTED" && film.reason ? `${words}: ${film.reason}` : `${words}.`, kind };
}

// What went wrong with a request, said so that a facilitator knows what to do.
export function explainError(error) {
  if (error.status === 0) return "The upload service cannot be reached. Check the internet connection, then try again.";
  switch (error.code) {
    case "unauthenticated":
      return "Type your office's key in step 1 first.";
    case "forbidden":
      return error.message?.includes("not valid") || !error.message
        ? "This key was not accepted. Check that it was copied whole, or ask your office for a new one."
        : error.message;
    case "invalid_author":
      return "Check the child's first name (one word, no surname) and age.";
    case "invalid_title":
      return "Check the film's title.";
    case "invalid_topic":
      return "Choose one to five topics for the film.";
    case "invalid_language":
      return "The language must be a short code such as az, ru or en.";
    case "invalid_workshop":
      return "The workshop name may hold only small letters, digits and dashes, such as baku-2012.";
    case "invalid_country":
      return "Choose the country of the workshop.";
    case "invalid_protect_identity":
      return "Check the choice to hide the child's identity.";
    default:
      return error.message || "Something went wrong; try again.";
  }
}
