"""The website in a real browser: a field office uploads, an editor publishes, the public watches.

One journey on one stack: the film uploaded through the upload page is watched, published, highlighted
and translated (English title, subtitles) on the editor page, then found in the gallery and played on
its film page. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Locator, Page, expect

from local.clips import make_clip
from tests.browser.conftest import screenshot
from tests.e2e.conftest import RunningStack

METADATA = {"title": "Двор нашей школы", "country": "KG", "topics": ["violence", "hiv-aids"],
            "first_name": "Aigerim", "age": "12", "language": "ru", "workshop": "bishkek-2014"}  # fmt: skip
TITLE_EN = "Our school yard"
SUBTITLES = "1\n00:00:01,000 --> 00:00:05,000\nOur school yard, in the morning.\n"  # SRT; the API serves WebVTT
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
PROCESSING_TIMEOUT_MS = 120_000
PUBLIC_ROUTE = re.compile(r"/(videos|countries|topics|workshops)(/[^/]+)?")


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("web-clips")
    return {
        "valid": make_clip(folder / "school-yard.mp4", 60, width=320, height=180, fps=5),
        "short": make_clip(folder / "too-short.mp4", 10, width=160, height=120, fps=2),
    }


def open_page(browser: Browser, stack: RunningStack, path: str, **context: Any) -> Page:
    tab = browser.new_context(**(context or {"viewport": {"width": 1280, "height": 900}})).new_page()
    tab.goto(f"{stack.info['web_url']}/{path}")
    return tab


def use_key(tab: Page, key: str) -> None:
    tab.get_by_label("key").fill(key)
    tab.get_by_role("button", name="Use this key").click()


def fill_upload_form(tab: Page, film: Path, title: str) -> Locator:
    """The upload page for one film: the workshop's details, the film's row, Send. Returns the row."""
    expect(tab.locator("#key-status")).to_contain_text("Key accepted")
    tab.get_by_label("Country").select_option(METADATA["country"])
    tab.get_by_label("Language of the films").fill(METADATA["language"])
    tab.get_by_label("Workshop (").fill(METADATA["workshop"])
    tab.get_by_label("Choose the films").set_input_files(str(film))
    row = tab.locator(".film-row", has=tab.locator("legend", has_text=film.name))
    row.get_by_label("Title (in").fill(title)
    for topic in METADATA["topics"]:
        row.locator(f"input[name=topics][value={topic}]").check()
    row.get_by_label("first name").fill(METADATA["first_name"])
    row.get_by_label("Age", exact=True).fill(METADATA["age"])
    tab.get_by_role("button", name="Send the films").click()
    return row


def subtitle_file(name: str, data: bytes) -> dict[str, Any]:
    return {"name": name, "mimeType": "", "buffer": data}


@pytest.fixture(scope="module")
def published_film(browser: Browser, web_stack: RunningStack, films: dict[str, Path]) -> Iterator[dict[str, Any]]:
    """Uploaded on the upload page until READY; watched, published, highlighted and given an English title
    and English subtitles on the editor page."""
    office = open_page(browser, web_stack, "upload.html")
    use_key(office, web_stack.info["api_keys"]["field_office"])
    row = fill_upload_form(office, films["valid"], METADATA["title"])
    expect(row).to_have_attribute("data-status", "READY", timeout=PROCESSING_TIMEOUT_MS)
    expect(row.get_by_role("status")).to_contain_text("Ready")
    assert row.locator("progress").evaluate("bar => bar.value") == 1
    screenshot(office, "upload-ready")
    office.context.close()

    editor = open_page(browser, web_stack, "editor.html")
    use_key(editor, web_stack.info["api_keys"]["editor"])
    panel = editor.locator(".panel", has_text=METADATA["title"])
    preview = panel.locator("video")  # watched before deciding: the film is not public yet
    expect(preview).to_have_attribute("preload", "none")
    expect(preview).to_have_attribute("poster", re.compile(r"^https?://"))
    assert preview.evaluate("v => !v.hasAttribute('crossorigin')"), "a plain cross-origin video needs no CORS"
    preview.click()  # the editor's gesture lets it play
    preview.evaluate("v => v.paused ? v.play() : undefined")
    editor.wait_for_function("v => v.readyState >= 2", arg=preview.element_handle(), timeout=30_000)
    preview.evaluate("v => v.pause()")
    panel.get_by_role("button", name="Publish").click()
    expect(panel.get_by_role("status")).to_contain_text("consent", timeout=10_000)  # refused: no consent yet
    panel.get_by_label("guardian").check()
    panel.get_by_label("assent").check()
    panel.get_by_label("signed forms").fill("Bishkek office, folder 12")
    panel.get_by_role("button", name="Record consent").click()
    expect(panel.get_by_role("status")).to_contain_text("Recording consent: done")
    panel.get_by_role("button", name="Publish").click()
    expect(panel.get_by_role("status")).to_contain_text("The film is now PUBLISHED")
    video_id = panel.get_attribute("data-video-id")

    highlight = panel.get_by_role("button", name="Highlight")
    expect(highlight).to_have_attribute("aria-pressed", "false")
    highlight.click()
    expect(panel.get_by_role("status")).to_contain_text("listed in the gallery's Highlights")
    expect(highlight).to_have_attribute("aria-pressed", "true")

    panel.locator("summary", has_text="English title").click()
    panel.get_by_label("English title", exact=True).fill(TITLE_EN)
    panel.get_by_role("button", name="Save title and description").click()
    expect(panel.get_by_role("status")).to_contain_text(f"Saved: English title “{TITLE_EN}”")
    expect(panel.locator("p[lang=en]")).to_have_text(TITLE_EN)

    panel.locator("summary", has_text="Subtitles").click()
    expect(panel.get_by_label("Subtitle language")).to_have_value("en")
    picker = panel.get_by_label("Subtitle file")
    cp1251 = f"1\n00:00:01,000 --> 00:00:05,000\n{METADATA['title']}\n".encode("cp1251")  # not UTF-8
    picker.set_input_files(subtitle_file("school-yard.ru.srt", cp1251))
    panel.get_by_role("button", name="Add subtitles").click()
    expect(panel.get_by_role("status")).to_contain_text("is not UTF-8 text")
    picker.set_input_files(subtitle_file("school-yard.en.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:05\nOops\n"))
    panel.get_by_role("button", name="Add subtitles").click()  # the API's own words say what to fix
    expect(panel.get_by_role("status")).to_contain_text("failed: cue 1: cannot read the timing")
    picker.set_input_files(subtitle_file("school-yard.en.srt", SUBTITLES.encode()))
    panel.get_by_role("button", name="Add subtitles").click()
    expect(panel.get_by_role("status")).to_contain_text("English subtitles (en) added from school-yard.en.srt")
    expect(panel).to_contain_text("Subtitles: en.")
    expect(picker).to_have_value("")
    screenshot(editor, "editor-published")
    editor.context.close()
    yield {"video_id": video_id, "api_url": web_stack.info["api_url"]}


def test_the_upload_page_refuses_a_film_of_the_wrong_length_in_plain_words(browser, web_stack, films):
    """Before a byte is sent (tests/browser/test_upload_page.py has the other refusals)."""
    tab = open_page(browser, web_stack, "upload.html")
    use_key(tab, web_stack.info["api_keys"]["field_office"])
    expect(tab.locator("#key-status")).to_contain_text("Key accepted")
    tab.get_by_label("Choose the films").set_input_files(str(films["short"]))
    row = tab.locator(".film-row", has_text=films["short"].name)
    expect(row).to_have_attribute("data-status", "REFUSED_HERE")
    tab.get_by_role("button", name="Send the films").click()
    expect(row.locator(".film-check")).to_contain_text("This film lasts 10 s. A OneMinutesJr film lasts between 58")
    expect(tab.locator("#send-status")).to_contain_text("There is no film left to send")
    screenshot(tab, "upload-rejected")
    tab.get_by_role("button", name="Remove").click()  # the workshop's next film
    expect(tab.locator(".film-row")).to_have_count(0)
    expect(tab.get_by_label("Choose the films")).to_be_focused()
    tab.context.close()


@pytest.mark.parametrize("query", ["country=KG", "topic=hiv-aids", "workshop=bishkek-2014", "highlight=true", ""])
def test_the_gallery_lists_the_published_film(page: Page, web_stack, published_film, query):
    page.goto(f"{web_stack.info['web_url']}/index.html?{query}")
    card = page.locator(".card", has_text=METADATA["title"])
    expect(card).to_be_visible()
    expect(card.locator(".card-title-en")).to_have_text(TITLE_EN)
    expect(card).to_contain_text("Aigerim, 12")
    expect(card.locator("img")).to_have_js_property("complete", True)
    assert card.locator("img").evaluate("img => img.naturalWidth") > 0, "the poster loads"


def test_the_gallery_is_chosen_with_the_filter_forms(page: Page, web_stack, published_film):
    page.goto(f"{web_stack.info['web_url']}/index.html")
    page.get_by_label("By topic", exact=True).select_option("violence")
    page.get_by_role("button", name="Show films by topic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Films about violence")
    expect(page.locator(".card", has_text=METADATA["title"])).to_be_visible()


def test_the_film_page_plays_the_film_with_subtitles_and_storyboard(page: Page, web_stack, published_film):
    page.goto(f"{web_stack.info['web_url']}/film.html?id={published_film['video_id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(METADATA["title"])
    expect(page.locator(".title-en")).to_have_text(TITLE_EN)
    expect(page.get_by_role("link", name="More films from Kyrgyzstan")).to_be_visible()
    video = page.locator("video")
    expect(video).to_have_attribute("crossorigin", "anonymous")
    expect(video.locator("track[srclang=en]")).to_have_count(1)
    scenes = page.get_by_role("button", name="Play from")
    expect(scenes.first).to_be_visible()
    scenes.nth(1).click()  # seeks and plays: a user's gesture, so the browser lets it play
    page.wait_for_function("() => document.querySelector('video').readyState >= 2", timeout=30_000)
    # The track's cues arrive only if the media origin answered the cross-origin request.
    page.wait_for_function("() => document.querySelector('video track').readyState === 2", timeout=10_000)
    assert video.evaluate("v => v.textTracks[0].cues.length") == 1
    assert video.evaluate("v => v.currentTime") > 0


def test_the_public_pages_call_only_public_routes(page: Page, web_stack, published_film):
    api_url = web_stack.info["api_url"]
    calls = []
    page.on("request", lambda request: calls.append(request) if request.url.startswith(api_url) else None)
    page.goto(f"{web_stack.info['web_url']}/index.html?topic=violence")
    expect(page.locator(".card")).not_to_have_count(0)
    page.goto(f"{web_stack.info['web_url']}/film.html?id={published_film['video_id']}")
    expect(page.locator("video")).to_be_visible()
    assert calls
    for call in calls:
        path = call.url.removeprefix(api_url).split("?")[0]
        assert call.method == "GET" and PUBLIC_ROUTE.fullmatch(path), path
        assert "x-api-key" not in call.headers


RECORD_VIOLATIONS = """window.violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));"""


@pytest.mark.parametrize("path", ["index.html", "film.html?id={video_id}", "upload.html", "editor.html"])
def test_the_pages_work_under_their_content_security_policy(browser, web_stack, published_film, path):
    tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    tab.add_init_script(RECORD_VIOLATIONS)
    response = tab.goto(f"{web_stack.info['web_url']}/{path.format(video_id=published_film['video_id'])}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    if path == "editor.html":  # the preview plays from storage
        panel = find_on_editor_page(tab, web_stack, published_film["video_id"])
        panel.locator("video").evaluate("video => { video.muted = true; return video.play(); }")
        tab.wait_for_function("() => document.querySelector('#found video').readyState >= 2", timeout=30_000)
    if path.startswith("film.html"):  # the film, its track and storyboard from the media origin
        tab.get_by_role("button", name="Play from").nth(1).click()
        tab.wait_for_function("() => document.querySelector('video').readyState >= 2", timeout=30_000)
    tab.wait_for_load_state("networkidle")
    violations = tab.evaluate("() => window.violations")
    tab.context.close()
    assert violations == [], f"{path}: {violations}"


def tab_through(tab: Page, presses: int) -> list[str]:
    reached = []
    for _ in range(presses):
        tab.keyboard.press("Tab")
        reached.append(
            tab.evaluate("""() => {
            const e = document.activeElement;
            return `${e.tagName.toLowerCase()}:${(e.getAttribute('aria-label') || e.labels?.[0]?.textContent
                || e.textContent || '').trim().slice(0, 40)}`;
        }""")
        )
    return reached


def test_the_keyboard_reaches_the_main_controls(page: Page, web_stack, published_film):
    page.goto(f"{web_stack.info['web_url']}/index.html")
    expect(page.locator(".card")).not_to_have_count(0)
    reached = tab_through(page, 12)
    for control in ("a:Skip to the films", "a:Highlights", "select:By country", "button:Show films by country"):
        assert control in reached, reached
    assert any(name.startswith(f"a:{METADATA['title']}") for name in reached), reached
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none", "focus shows"

    page.goto(f"{web_stack.info['web_url']}/film.html?id={published_film['video_id']}")
    expect(page.get_by_role("button", name="Play from").first).to_be_visible()
    reached = tab_through(page, 20)
    assert any(name.startswith("video:") for name in reached), reached
    assert any(name.startswith("button:Play from") for name in reached), reached


def find_on_editor_page(tab: Page, stack: RunningStack, video_id: str):
    use_key(tab, stack.info["api_keys"]["editor"])
    tab.get_by_label("Film id").fill(video_id)
    tab.get_by_role("button", name="Find").click()
    return tab.locator("#found .panel")


def test_the_editor_panel_is_labelled_and_worked_with_the_keyboard(page: Page, web_stack, published_film):
    page.goto(f"{web_stack.info['web_url']}/editor.html")
    panel = find_on_editor_page(page, web_stack, published_film["video_id"])
    highlight = panel.get_by_role("button", name="Highlight")
    expect(highlight).to_have_attribute("aria-pressed", "true")
    for summary in panel.locator("summary").all():  # opened from the keyboard
        summary.focus()
        page.keyboard.press("Enter")
    expect(panel.get_by_label("Subtitle file")).to_be_visible()
    unnamed = panel.evaluate("""panel => [...panel.querySelectorAll('input, textarea, select, button, video')]
        .filter(e => !e.labels?.length && !e.getAttribute('aria-label') && !e.textContent.trim())
        .map(e => e.outerHTML)""")
    assert not unnamed, unnamed
    panel.locator("video").focus()
    reached = tab_through(page, 24)
    for control in ("button:Unpublish", "button:Highlight", "input:English title", "textarea:Description",
                    "button:Save title and description", "input:Subtitle language", "button:Add subtitles"):  # fmt: skip
        assert control in reached, reached
    assert any(name.startswith("input:Subtitle file") for name in reached), reached

    highlight.focus()  # the toggle keeps the focus while the panel shows the returned film
    page.keyboard.press("Space")
    expect(highlight).to_have_attribute("aria-pressed", "false")
    expect(panel.get_by_role("status")).to_have_text("No longer highlighted.")
    expect(highlight).to_be_focused()
    page.keyboard.press("Enter")
    expect(highlight).to_have_attribute("aria-pressed", "true")
    expect(highlight).to_be_focused()

    panel.get_by_label("English title", exact=True).press("Enter")  # nothing changed, nothing sent
    expect(panel.get_by_role("status")).to_contain_text("Nothing to save")


@pytest.mark.parametrize("path", ["index.html", "film.html?id={video_id}", "upload.html", "editor.html"])
def test_a_phone_screen_needs_no_sideways_scrolling(browser, web_stack, published_film, path):
    tab = open_page(browser, web_stack, path.format(video_id=published_film["video_id"]), **PHONE)
    if path == "editor.html":  # a film's panel, with its preview and forms
        panel = find_on_editor_page(tab, web_stack, published_film["video_id"])
        expect(panel.locator("video")).to_be_visible()
        for summary in panel.locator("summary").all():
            summary.click()
    tab.wait_for_load_state("networkidle")
    widths = tab.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    screenshot(tab, f"phone-{path.split('.')[0]}")
    tab.context.close()
    assert widths[0] <= widths[1], f"{path}: the page is {widths[0]} px wide on a {widths[1]} px screen"


def test_a_large_film_cut_off_on_the_upload_page_continues_from_the_parts_that_arrived(browser, web_stack, tmp_path):
    film = make_clip(tmp_path / "long-take.mp4", 60, width=320, height=240, fps=10,
                     extra_args=("-vf", "noise=alls=60:allf=t", "-b:v", "2800k", "-maxrate", "2800k", "-bufsize", "1M"))  # fmt: skip
    office_key = web_stack.info["api_keys"]["field_office"]
    tab = open_page(browser, web_stack, "upload.html")
    slow = tab.context.new_cdp_session(tab)  # a workshop's connection: 2 MiB/s up
    slow.send("Network.enable")
    slow.send("Network.emulateNetworkConditions", {"offline": False, "latency": 20, "downloadThroughput": -1,
                                                   "uploadThroughput": 2 * 2**20})  # fmt: skip
    use_key(tab, office_key)
    row = fill_upload_form(tab, film, "Long take")
    video_id, arrived = None, []
    deadline = time.monotonic() + 60
    while not arrived and time.monotonic() < deadline:
        assert not any("long-take" in key for key in tab.evaluate("() => Object.keys(localStorage)")), (
            "no file names kept"
        )
        remembered = tab.evaluate("() => Object.values(localStorage)")
        if remembered:
            [video_id] = remembered
            parts = requests.get(f"{web_stack.info['api_url']}/uploads/{video_id}/parts", timeout=10,
                                 headers={"x-api-key": office_key}).json()  # fmt: skip
            arrived = parts.get("arrived", [])
        time.sleep(0.2)
    assert [part["part_number"] for part in arrived] == [1], "part 1 arrived, the others not yet"
    tab.reload()  # the tab is closed, the connection drops: the upload stops mid-film

    sent_parts = []
    tab.on("request", lambda request: sent_parts.append(request.url) if request.method == "PUT" else None)
    tab.get_by_label("Choose the films").set_input_files(str(film))  # the same file again: its row was kept
    expect(row.get_by_label("Title (in")).to_have_value("Long take")
    tab.get_by_role("button", name="Send the films").click()
    expect(row).to_have_attribute("data-status", "READY", timeout=PROCESSING_TIMEOUT_MS)
    assert sorted(re.search(r"partNumber=(\d+)", url).group(1) for url in sent_parts) == ["2", "3"]
    uploads = requests.get(f"{web_stack.info['api_url']}/uploads", headers={"x-api-key": office_key}, timeout=10)
    assert [item["video_id"] for item in uploads.json()["items"] if item["title"] == "Long take"] == [video_id]
    screenshot(tab, "upload-resumed")
    tab.context.close()


def test_the_editor_removes_a_languages_subtitles(browser, web_stack, published_film):
    """Second to last: it leaves the English subtitles the other tests play."""
    editor = open_page(browser, web_stack, "editor.html")
    panel = find_on_editor_page(editor, web_stack, published_film["video_id"])
    panel.locator("summary", has_text="Subtitles").click()
    panel.get_by_label("Subtitle language").fill("ky")
    panel.get_by_label("Subtitle file").set_input_files(subtitle_file("school-yard.ky.srt", SUBTITLES.encode()))
    panel.get_by_role("button", name="Add subtitles").click()
    expect(panel.get_by_role("status")).to_contain_text("Kyrgyz subtitles (ky) added")
    film_url = f"{published_film['api_url']}/videos/{published_film['video_id']}"
    [kyrgyz] = [s["url"] for s in requests.get(film_url, timeout=10).json()["subtitles"] if s["language"] == "ky"]
    assert requests.get(kyrgyz, timeout=10).status_code == 200

    remove = panel.get_by_role("button", name="Remove the Kyrgyz subtitles")
    remove.focus()
    editor.keyboard.press("Enter")
    expect(panel.get_by_role("status")).to_contain_text("Kyrgyz subtitles (ky) removed")
    expect(panel).to_contain_text("Subtitles: en.")
    expect(remove).to_have_count(0)
    expect(panel.get_by_role("button", name="Remove the English subtitles")).to_be_focused()  # the focus stays
    assert [s["language"] for s in requests.get(film_url, timeout=10).json()["subtitles"]] == ["en"]
    assert requests.get(kyrgyz, timeout=10).status_code != 200, "the file is gone from the media origin"
    screenshot(editor, "editor-subtitles-removed")
    editor.context.close()


def test_the_editor_takes_a_film_down_after_a_confirmation(browser, web_stack, published_film):
    """Last: it removes the published film (the other tests have used it by now)."""
    editor = open_page(browser, web_stack, "editor.html")
    panel = find_on_editor_page(editor, web_stack, published_film["video_id"])
    panel.get_by_role("button", name="Unpublish").click()
    expect(panel.get_by_role("status")).to_contain_text("now UNPUBLISHED")
    panel.get_by_role("button", name="Take down…").click()
    confirm = panel.get_by_role("button", name="Yes, take it down")
    expect(confirm).to_be_focused()
    confirm.click()
    expect(panel).to_contain_text("was taken down")
    screenshot(editor, "editor-taken-down")
    editor.context.close()
    gone = requests.get(f"{published_film['api_url']}/videos/{published_film['video_id']}", timeout=10)
    assert gone.status_code == 404
