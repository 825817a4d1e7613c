"""The film page streams the film's HLS ladder: natively where the browser says it can, with hls.js where it has
Media Source Extensions, and from the MP4 renditions where it has neither. Debian's headless Chromium says
"maybe" to HLS, so each test forces its way by what the page is told the browser can do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from local.clips import generate
from tests.browser.conftest import running_stack, screenshot
from tests.browser.test_pages import RECORD_VIOLATIONS
from tests.e2e.conftest import RunningStack

METADATA = {"title": "Our river", "country": "AZ", "topics": ["violence"], "author": {"first_name": "Nigar", "age": 13}}
# The first test waits for the stack and the film's transcode (noisy 720p: minutes on a busy machine).
pytestmark = pytest.mark.timeout(900)
# What the page is told of the browser before its scripts run.
NO_NATIVE_HLS = """{
  const canPlayType = HTMLMediaElement.prototype.canPlayType;
  HTMLMediaElement.prototype.canPlayType = function (type) {
    return type === "application/vnd.apple.mpegurl" ? "" : canPlayType.call(this, type);
  };
}"""
NATIVE_HLS = NO_NATIVE_HLS.replace('? ""', '? "probably"')
NO_MEDIA_SOURCE = "delete window.MediaSource; delete window.ManagedMediaSource;"
MODES = {"native": NATIVE_HLS, "library": NO_NATIVE_HLS, "mp4": NO_NATIVE_HLS + NO_MEDIA_SOURCE}
# Chromium DevTools' presets.
NETWORKS = {
    "Slow 3G": {"offline": False, "latency": 2000, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8},
    "Fast 3G": {
        "offline": False,
        "latency": 562.5,
        "downloadThroughput": 1_440_000 / 8,
        "uploadThroughput": 675_000 / 8,
    },
}
SLOW_3G = NETWORKS["Slow 3G"]


@pytest.fixture(scope="module")
def streaming_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    """A stack of its own: the film published here would change the counts the other pages' tests read."""
    yield from running_stack(tmp_path_factory, "streaming-stack")


def make_ladder_film(stack: RunningStack, folder: Path) -> str:
    """A published 720p film: two rungs (720p, 360p), one HLS master naming both. Its grain keeps every rung
    above what Slow 3G carries, as a real film's would be (bench/film_streaming.py plays it on throttled links)."""
    clip = generate(
        folder / "river.mp4",
        *("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=3:duration=60"),
        *("-f", "lavfi", "-i", "sine=frequency=440:duration=60"),
        *("-vf", "noise=alls=30:allf=t", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
        *("-c:a", "aac"),
    )
    office = stack.client("field_office")
    video_id = office.upload(clip, METADATA)
    assert office.wait_for_terminal(video_id, timeout_s=600)["status"] == "READY"
    stack.client("editor").publish(video_id)
    return video_id


@pytest.fixture(scope="module")
def ladder_film(streaming_stack: RunningStack, tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_ladder_film(streaming_stack, tmp_path_factory.mktemp("stream"))


@pytest.fixture
def requests_seen() -> list[Request]:
    return []


@pytest.fixture
def film_tab(browser: Browser, requests_seen: list[Request], request: pytest.FixtureRequest) -> Iterator[Page]:
    tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    tab.add_init_script(RECORD_VIOLATIONS)  # hls.js too runs under the page's Content-Security-Policy
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))

    def remember(seen: Request) -> None:  # Playwright takes no bound built-in such as list.append
        requests_seen.append(seen)

    tab.on("request", remember)
    yield tab
    screenshot(tab, request.node.name)
    violations = tab.evaluate("() => window.violations")
    tab.context.close()
    assert not errors, f"the page threw: {errors}"
    assert violations == [], violations


def open_film(tab: Page, stack: RunningStack, video_id: str, mode: str) -> Any:
    tab.add_init_script(MODES[mode])
    tab.goto(f"{stack.info['web_url']}/film.html?id={video_id}")
    video = tab.locator("video")
    expect(video).to_have_attribute("data-streaming", mode)
    return video


def plays(tab: Page, video: Any, seconds: float = 2.0) -> None:
    """The visitor presses play (muted, as a test's autoplay must be) and the film runs."""
    video.evaluate("v => { v.muted = true; v.play().catch(() => {}); }")  # the page resumes a play it cancels
    tab.wait_for_function(f"() => document.querySelector('video').currentTime > {seconds}", timeout=60_000)


def media_requests(seen: list[Request], suffix: str) -> list[Request]:
    return [r for r in seen if r.url.split("?")[0].endswith(suffix)]


@pytest.mark.parametrize("mode", ["native", "library"])
def test_the_film_streams_its_hls_ladder(film_tab: Page, streaming_stack, ladder_film, requests_seen, mode):
    video = open_film(film_tab, streaming_stack, ladder_film, mode)
    plays(film_tab, video)
    assert media_requests(requests_seen, "/hls.m3u8"), "the master playlist was read"
    segments = [r for r in requests_seen if ".mp4" in r.url and r.headers.get("range")]
    assert segments, "the renditions were read by byte ranges"
    assert film_tab.evaluate("() => document.querySelector('video').videoHeight") in (360, 720)


def test_without_hls_the_film_plays_an_mp4_rendition(film_tab: Page, streaming_stack, ladder_film, requests_seen):
    video = open_film(film_tab, streaming_stack, ladder_film, "mp4")
    plays(film_tab, video)
    assert media_requests(requests_seen, ".m3u8") == [], "no playlist is read"
    assert film_tab.evaluate("() => document.querySelector('video').currentSrc").endswith("720p.mp4")


def test_a_slow_link_starts_on_the_lowest_rung(film_tab: Page, streaming_stack, ladder_film, requests_seen):
    """With hls.js (how fast it starts, and with how many stalls, beside the MP4 and Chromium's own HLS:
    bench/film_streaming.py, figures in docs/WEBSITE.md)."""
    cdp = film_tab.context.new_cdp_session(film_tab)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    video = open_film(film_tab, streaming_stack, ladder_film, "library")
    plays(film_tab, video, seconds=0.5)
    first = next(r for r in requests_seen if ".mp4" in r.url and r.headers.get("range"))
    assert first.url.split("?")[0].endswith("/360p.mp4"), first.url
    expect(video).to_have_attribute("data-rung", "360p")


def test_a_broken_playlist_falls_back_to_the_mp4(film_tab: Page, streaming_stack, ladder_film, requests_seen):
    film_tab.route("**/hls.m3u8", lambda route: route.fulfill(status=404, body="gone"))
    film_tab.add_init_script(NO_NATIVE_HLS)
    film_tab.goto(f"{streaming_stack.info['web_url']}/film.html?id={ladder_film}")
    video = film_tab.locator("video")
    expect(video).to_have_attribute("data-streaming", "mp4", timeout=30_000)
    plays(film_tab, video)
    assert film_tab.evaluate("() => document.querySelector('video').currentSrc").endswith(".mp4")
