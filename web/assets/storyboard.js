// The storyboard: a WebVTT file whose cues point at regions of a sprite (`sprite.jpg#xywh=x,y,w,h`).
// Shown as a strip of scene buttons under the player; a button seeks the film to its scene.
import { el } from "./dom.js";

export function parseStoryboard(text, baseUrl) {
  const cues = [];
  for (const block of text.replace(/\r/g, "").split(/\n{2,}/)) {
    const lines = block.split("\n").map((line) => line.trim());
    const timing = lines.findIndex((line) => line.includes("-->"));
    if (timing < 0 || !lines[timing + 1]) continue;
    const [start, end] = lines[timing].split("-->").map((part) => seconds(part.trim().split(/\s+/)[0]));
    const target = new URL(lines[timing + 1], baseUrl);
    const region = /xywh=(\d+),(\d+),(\d+),(\d+)/.exec(target.hash);
    if (!region || Number.isNaN(start)) continue;
    target.hash = "";
    const [x, y, width, height] = region.slice(1).map(Number);
    cues.push({ start, end, image: target.href, x, y, width, height });
  }
  return cues;
}

function seconds(timestamp) {
  return timestamp.split(":").reduce((total, part) => total * 60 + Number(part), 0);
}

function clock(value) {
  const whole = Math.floor(value);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

export function storyboardStrip(cues, video) {
  const buttons = cues.map((cue) => {
    const thumb = el("span", { class: "thumb", "aria-hidden": "true" });
    Object.assign(thumb.style, {
      width: `${cue.width}px`,
      height: `${cue.height}px`,
      backgroundImage: `url(${JSON.stringify(cue.image)})`,
      backgroundPosition: `-${cue.x}px -${cue.y}px`,
    });
    const button = el("button", { type: "button", class: "scene", "aria-label": `Play from ${clock(cue.start)}` },
      thumb, el("span", { class: "scene-time", "aria-hidden": "true" }, clock(cue.start)));
    button.addEventListener("click", () => {
      video.currentTime = cue.start;
      video.play().catch(() => {});
    });
    return button;
  });
  video.addEventListener("timeupdate", () => {
    cues.forEach((cue, index) => {
      const current = video.currentTime >= cue.start && video.currentTime < cue.end;
      if (current) buttons[index].setAttribute("aria-current", "true");
      else buttons[index].removeAttribute("aria-current");
    });
  });
  return el("ol", { class: "storyboard" }, buttons.map((button) => el("li", {}, button)));
}
