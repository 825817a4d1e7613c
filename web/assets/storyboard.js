// The storyboard: a WebVTT file whose cues point at regions of a sprite (`sprite.jpg#xywh=x,y,w,h`).
// Shown as a strip of scene buttons under the player; a button seeks the film to its scene. The strip is one
// stop for the Tab key (the arrow keys, Home and End move between scenes), so thirty scenes never stand
// between a keyboard user and the rest of the page.
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
  buttons.forEach((button, index) => { button.tabIndex = index === 0 ? 0 : -1; });
  const strip = el("ol", { class: "storyboard", "aria-label": "Scenes: use the arrow keys to move between them" },
    buttons.map((button) => el("li", {}, button)));
  strip.addEventListener("keydown", (event) => {
    const from = buttons.indexOf(document.activeElement);
    const to = { ArrowRight: from + 1, ArrowDown: from + 1, ArrowLeft: from - 1, ArrowUp: from - 1, Home: 0,
      End: buttons.length - 1 }[event.key];
    if (from < 0 || to === undefined) return;
    event.preventDefault();
    const target = buttons[Math.max(0, Math.min(buttons.length - 1, to))];
    buttons[from].tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  });
  video.addEventListener("timeupdate", () => {
    cues.forEach((cue, index) => {
      const current = video.currentTime >= cue.start && video.currentTime < cue.end;
      if (current) buttons[index].setAttribute("aria-current", "true");
      else buttons[index].removeAttribute("aria-current");
    });
  });
  return strip;
}
