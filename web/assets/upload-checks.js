// Checks made in the browser before a byte is sent: the file's kind, its size and its length, against
// the stage's published rules (GET /uploads/rules). They are advice: the server checks again and decides.
import { lengthText, listText, sizeText } from "./upload-words.js";

const METADATA_TIMEOUT_MS = 20_000;
const SNIFF_BYTES = 512;

// True when the file's first bytes are plain text (valid UTF-8 without a zero byte, which every video
// container's first bytes hold): notes or a web page renamed .mp4, never a film.
async function isPlainText(file) {
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  if (!head.length || head.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

// The film's length in seconds as the browser reads it from the file's headers, or null when it cannot.
export function filmDuration(file) {
  return new Promise((resolve) => {
    const video = document.createElement("video");
    const url = URL.createObjectURL(file);
    const finish = (value) => {
      clearTimeout(timer);
      video.removeAttribute("src");
      video.load();
      URL.revokeObjectURL(url);
      resolve(value);
    };
    const timer = setTimeout(() => finish(null), METADATA_TIMEOUT_MS);
    video.preload = "metadata";
    video.muted = true;
    video.addEventListener("loadedmetadata", () => finish(Number.isFinite(video.duration) ? video.duration : null));
    video.addEventListener("error", () => finish(null));
    video.src = url;
  });
}

const extensionOf = (name) => (name.includes(".") ? `.${name.split(".").pop().toLowerCase()}` : "");

// The content type the API expects for this file's extension, from the published rules.
export function contentType(file, rules) {
  const container = rules.containers.find((c) => c.extension === extensionOf(file.name));
  return container ? container.content_types[0] : file.type;
}

// {problem: a sentence or null, note: what was measured, duration}
export async function checkFilm(file, rules) {
  const extensions = rules.containers.map((c) => c.extension);
  if (!extensions.includes(extensionOf(file.name))) {
    const names = listText(extensions.map((e) => e.slice(1).toUpperCase()));
    return { problem: `This is not a film file that can be sent. Export the film as ${names}.`, note: "" };
  }
  if (file.size === 0) return { problem: "This file is empty. Copy the film again from the camera.", note: "" };
  if (file.size > rules.max_bytes) {
    return { problem: `This film is ${sizeText(file.size)}; at most ${sizeText(rules.max_bytes)} can be sent. `
      + "Export it again at a smaller size.", note: sizeText(file.size) };
  }
  if (await isPlainText(file)) {
    return { problem: `This file holds text (${sizeText(file.size)}), not a film: it was renamed, or saved from `
      + "the wrong program. Choose the film itself. Nothing was sent.", note: sizeText(file.size) };
  }
  const duration = await filmDuration(file);
  const { min, max } = rules.duration_s;
  if (duration === null) {
    return { problem: null, duration, note: `${sizeText(file.size)}; this browser cannot tell its length, `
      + "the server will check it." };
  }
  if (duration < min || duration > max) {
    return { problem: `This film lasts ${lengthText(duration)}. A OneMinutesJr film lasts between ${min} and ${max} `
      + "seconds: edit it to the right length, then choose it again. Nothing was sent.", duration,
    note: `${lengthText(duration)} · ${sizeText(file.size)}` };
  }
  return { problem: null, duration, note: `${lengthText(duration)} · ${sizeText(file.size)}` };
}
