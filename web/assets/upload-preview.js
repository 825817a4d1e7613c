// A film's picture in its row, from the local file: a facilitator knows "Aigerim's film about her
// street", not VID_20240513_101500.mp4. Where the browser can decode the film it shows a still and
// plays it; otherwise a placeholder says so, with the film's length when it is known.
import { el } from "./dom.js";
import { lengthText } from "./upload-words.js";

export function placeholder(text) {
  return el("p", { class: "film-thumb-none" }, text);
}

// The file plays here: a still from its first second, and the browser's own controls to watch it.
export function preview(file, name, duration) {
  const video = el("video", { class: "film-thumb", controls: true, muted: true, playsinline: true,
    preload: "metadata", "aria-label": `Preview of ${name}` });
  const box = el("div", { class: "film-thumb-box" }, video);
  video.addEventListener("loadedmetadata", () => {
    video.currentTime = Math.min(1, video.duration / 2 || 0);
  }, { once: true });
  video.addEventListener("error", () => {
    URL.revokeObjectURL(video.src);
    box.replaceChildren(placeholder(duration
      ? `No preview: this browser cannot play this film (${lengthText(duration)}).`
      : "No preview: this browser cannot play this film. Its length is measured once it is sent."));
  }, { once: true });
  video.src = URL.createObjectURL(file);
  return box;
}
