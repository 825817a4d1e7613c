// Adaptive streaming for the film page: the film's HLS playlist, played by the browser itself where it can
// (Safari, iOS, recent Android), else by hls.js on Media Source Extensions, else the <source> MP4 renditions
// the player already holds. Whatever fails on the way falls back to the MP4s, so the film always plays.
// The chosen way is on the video element (`data-streaming`: native, library or mp4) for tests and support.

export const HLS_TYPE = "application/vnd.apple.mpegurl";
// Pinned and vendored (web/vendor/hls.js-1.7.4/LICENSE: Apache-2.0); loaded only when it is used.
const HLS_JS = "../vendor/hls.js-1.7.4/hls.light.min.mjs";
// hls.js's own first guess of a link it has not measured yet (bit/s); a slow link starts on the lowest rung.
const UNMEASURED_BPS = 500_000;

function mediaSource() {
  return window.ManagedMediaSource || window.MediaSource;
}

// The way this browser will play HLS: "native", "library", or "mp4" (none).
export function streamingMode(video) {
  if (video.canPlayType(HLS_TYPE)) return "native";
  return mediaSource() ? "library" : "mp4";
}

// The link's speed as the browser estimates it (Chromium's Network Information API), else hls.js's default.
function linkEstimateBps() {
  const downlink = navigator.connection?.downlink;
  return downlink > 0 ? downlink * 1_000_000 : UNMEASURED_BPS;
}

// The MP4 <source>s, put back: the browser plays the first it can, chosen for the screen; a play the visitor
// asked for meanwhile goes on.
function playMp4(video, sources) {
  const wanted = !video.paused;
  video.dataset.streaming = "mp4";
  video.removeAttribute("src");
  video.prepend(...sources);
  video.load();
  if (wanted) video.play().catch(() => {});
}

async function playWithLibrary(video, url, sources) {
  video.dataset.streaming = "library";  // hls.js is on its way (seconds on a slow link)
  let Hls;
  try {
    ({ default: Hls } = await import(HLS_JS));
  } catch {
    playMp4(video, sources);
    return;
  }
  if (!Hls.isSupported()) {
    playMp4(video, sources);
    return;
  }
  const hls = new Hls({
    enableWorker: false,  // fragmented MP4 needs no transmuxing, and the page's policy allows no blob: worker
    autoStartLoad: false,  // nothing but the playlists until the visitor plays (as preload="metadata")
    startLevel: -1,  // the rung the link's estimate can carry
    abrEwmaDefaultEstimate: linkEstimateBps(),
    capLevelToPlayerSize: true,  // a phone never fetches more pixels than it shows
  });
  hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => {
    video.dataset.rung = `${hls.levels[data.level]?.height}p`;
  });
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (!data.fatal) return;
    hls.destroy();
    playMp4(video, sources);
  });
  // Pressed play while hls.js was on its way: attaching it cancels that play, so it is asked again.
  const wanted = !video.paused;
  hls.loadSource(url);
  hls.attachMedia(video);
  if (wanted) {
    hls.startLoad();
    video.play().catch(() => {});
  } else {
    video.addEventListener("play", () => hls.startLoad(), { once: true });
  }
}

// Plays the playlist at `url` in `video`, whose MP4 <source>s are set aside (no byte of them is fetched)
// until they are needed.
export function playStream(video, url) {
  const mode = streamingMode(video);
  if (mode === "mp4") {
    video.dataset.streaming = "mp4";
    return;
  }
  const sources = [...video.querySelectorAll("source")];
  sources.forEach((source) => source.remove());
  if (mode === "library") {
    playWithLibrary(video, url, sources);
    return;
  }
  video.dataset.streaming = "native";
  video.addEventListener("error", () => {
    if (video.dataset.streaming !== "native") return;
    if (mediaSource()) playWithLibrary(video, url, sources);
    else playMp4(video, sources);
  }, { once: true });
  video.src = url;
}
