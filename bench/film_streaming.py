"""A film on a slow phone: HLS against the MP4 (docs/WEBSITE.md, "A film on a slow phone").

Time to the first frame, stalls while the first 8 s play, the rung shown and the bytes transferred, for each way
the film page knows (hls.js, Chromium's own HLS, the MP4 renditions: each forced as in
tests/browser/test_film_streaming.py) on DevTools' Slow 3G and Fast 3G presets. Debian's Chromium at 390x844,
cache disabled, opening the film's page and pressing play at once. The film is the browser tests' 60 s 720p
ladder (noisy test pattern at 3 frames a second: its 360p rung runs at about 0.9 Mbit/s, its 720p at 2.6, both
above Slow 3G as a real film's would be), on a stack of its own (`python -m local`, no demo films).

    .venv/bin/python -m bench.film_streaming [--out FILE]

prints the table's rows for docs/WEBSITE.md, and writes the figures as JSON to FILE
(test-artifacts/browser/film-streaming.json by default). Several minutes: Slow 3G is slow.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, expect, sync_playwright

from tests.browser.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from tests.browser.test_film_streaming import MODES, NETWORKS, make_ladder_film
from tests.e2e.conftest import RunningStack

WAYS = {"mp4": "MP4 (today)", "library": "hls.js", "native": "native HLS"}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
WATCHED_S = 8
WAIT_MS = 180_000
GIVE_UP_MS = 300_000
# Played from the page's start as soon as the player is there: when the first frame is ready (from the start of
# navigation), how often playback then waited for data, and what it showed, until `seconds` of the film have played.
# A player that errs, or has not played them after `give_up` ms, ends the watch and says so.
WATCH = """([seconds, giveUp]) => new Promise((resolve) => {
  const video = document.querySelector("video");
  let first = video.readyState >= 2 ? null : undefined, stalls = 0, error = null;  // null: ready before it was watched
  video.addEventListener("loadeddata", () => { if (first === undefined) first = performance.now(); });
  video.addEventListener("waiting", () => { if (first) stalls += 1; });
  video.addEventListener("error", () => { error = video.error?.message || `code ${video.error?.code}`; });
  video.muted = true;
  video.play().catch(() => {});
  const started = performance.now();
  const check = () => {
    const timedOut = performance.now() - started > giveUp;
    if (video.currentTime < seconds && !video.ended && !error && !timedOut) return setTimeout(check, 200);
    resolve({ first_frame_ms: first ? Math.round(first) : null, stalls, height: video.videoHeight,
      at_ms: Math.round(performance.now()), error, timed_out: timedOut });
  };
  check();
})"""


def watch(browser: Browser, film_url: str, mode: str, conditions: dict[str, Any]) -> dict[str, Any]:
    tab = browser.new_context(**PHONE).new_page()
    try:
        tab.add_init_script(MODES[mode])
        cdp = tab.context.new_cdp_session(tab)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", conditions)
        received = {"bytes": 0}

        def finished(event: dict[str, Any]) -> None:
            received["bytes"] += int(event["encodedDataLength"])

        cdp.on("Network.loadingFinished", finished)
        tab.goto(film_url, wait_until="commit", timeout=WAIT_MS)
        expect(tab.locator("video")).to_have_attribute("data-streaming", mode, timeout=WAIT_MS)
        watched: dict[str, Any] = tab.evaluate(WATCH, [WATCHED_S, GIVE_UP_MS])
        return {**watched, "bytes": received["bytes"]}
    finally:
        tab.context.close()


def measure() -> dict[str, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        (Path(scratch) / "stack").mkdir()
        stack = RunningStack(Path(scratch) / "stack", samples=False)
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            video_id = make_ladder_film(stack, Path(scratch))
            film_url = f"{stack.info['web_url']}/film.html?id={video_id}"
            return {
                f"{network}, {WAYS[mode]}": watch(browser, film_url, mode, conditions)
                for network, conditions in NETWORKS.items()
                for mode in ("mp4", "native", "library")
            }
        finally:
            stack.stop()  # the browser closes with Playwright


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ARTIFACTS / "film-streaming.json")
    args = parser.parse_args()
    figures = measure()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    print("| network, way | first frame | stalls | rung shown | bytes |")
    print("| --- | --- | --- | --- | --- |")
    for name, seen in figures.items():
        first = "ready before play" if seen["first_frame_ms"] is None else f"{seen['first_frame_ms'] / 1000:.1f} s"
        ended = f" ({seen['error'] or 'gave up after 5 min'})" if seen["error"] or seen["timed_out"] else ""
        print(f"| {name} | {first}{ended} | {seen['stalls']} | {seen['height']}p | {seen['bytes'] / 1000:,.0f} kB |")


if __name__ == "__main__":
    main()
