"""Identity protection on the editor page: an editor turns it on for a film awaiting review and is told,
in words, that the protected version is being made and that the preview still shows the child as filmed;
publishing waits, and once the protection stage has made it (for real, on the local stack) the film opens
again protected and can be published. A page that did not know (another editor turned it on meanwhile)
gets the API's refusal in the same words, and nothing crashes. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cli.client import DEMO_CONSENT
from local.clips import make_clip
from tests.browser.conftest import screenshot
from tests.e2e.conftest import RunningStack

PROCESSING_TIMEOUT_S = 240
BEING_MADE = (
    "Identity protection: faces blurred. The protected version is being made from the original upload: until it "
    "is, the preview shows the faces as filmed (only editors can see it). Open the film again in a few minutes."
)
READY = re.compile(
    r"Identity protection: faces blurred\. The protected version is ready: the preview shows what visitors will see\."
)


def ready_film(stack: RunningStack, folder: Path, title: str) -> str:
    """A film uploaded by the office, READY, its consent recorded: publishable, no protection asked."""
    office, editor = stack.client("field_office"), stack.client("editor")
    clip = make_clip(folder / f"{title.lower().replace(' ', '-')}.mp4", 60, width=160, height=120, fps=2)
    metadata = {"title": title, "country": "KG", "topics": ["violence"], "author": {"first_name": "Dana", "age": 13}}
    video_id = office.upload(clip, metadata)
    assert office.wait_for_terminal(video_id, timeout_s=PROCESSING_TIMEOUT_S)["status"] == "READY"
    editor.request("POST", f"/videos/{video_id}/consent", json=DEMO_CONSENT).raise_for_status()
    return video_id


@pytest.fixture(scope="module")
def films(web_stack: RunningStack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("protection-films")
    yield {
        "mine": ready_film(web_stack, folder, "Protected here"),
        "stale": ready_film(web_stack, folder, "Stale page"),
    }


def wait_until_ready(editor: Any, video_id: str) -> None:
    """The protection stage and the transcode run on the local stack's workers: wait for READY."""
    deadline = time.monotonic() + PROCESSING_TIMEOUT_S
    while time.monotonic() < deadline:
        status = editor.request("GET", f"/videos/{video_id}/editorial").json()["status"]
        if status == "READY":
            return
        assert status in ("PROTECTING", "TRANSCODING"), status
        time.sleep(0.5)
    raise AssertionError(f"film {video_id} was not READY within {PROCESSING_TIMEOUT_S} s")


def open_film(page: Page, stack: RunningStack, video_id: str):
    page.goto(f"{stack.info['web_url']}/editor.html")
    page.get_by_label("key").fill(stack.info["api_keys"]["editor"])
    page.get_by_role("button", name="Use this key").click()
    page.get_by_label("Film id").fill(video_id)
    page.get_by_role("button", name="Find").click()
    panel = page.locator("#found .panel")
    expect(panel.get_by_role("button", name="Publish…")).to_be_enabled()  # consent is there, nothing asked yet
    return panel


def test_an_editor_turns_protection_on_and_is_told_the_preview_shows_faces_and_publishing_waits(
    page: Page, web_stack, films
):
    panel = open_film(page, web_stack, films["mine"])
    expect(panel.locator(".protection")).to_have_text("Identity protection: none asked.")
    blur = panel.get_by_role("button", name="Blur faces")
    expect(blur).to_have_attribute("aria-pressed", "false")
    blur.click()
    expect(blur).to_have_attribute("aria-pressed", "true")
    expect(panel.get_by_role("status")).to_have_text(BEING_MADE)
    expect(panel.locator(".protection")).to_have_text(BEING_MADE)
    expect(panel.locator(".badges")).to_contain_text("Identity protected")
    expect(panel.get_by_role("button", name="Publish…")).to_have_count(0)  # nothing to publish while it is made
    screenshot(page, "editor-protection-pending")

    editor = web_stack.client("editor")
    wait_until_ready(editor, films["mine"])
    page.get_by_role("button", name="Find").click()  # opened again once the stage is done
    panel = page.locator("#found .panel")
    expect(panel.locator(".protection")).to_have_text(READY)
    publish = panel.get_by_role("button", name="Publish…")
    expect(publish).to_be_enabled()
    panel.get_by_role("button", name="Watch the film").click()
    expect(panel.locator(".preview-unprotected")).to_have_count(0)
    screenshot(page, "editor-protection-ready")

    audit = editor.request("GET", f"/videos/{films['mine']}/audit").json()["items"]
    assert any(entry["action"] == "protection_changed" for entry in audit)
    assert editor.request("GET", f"/videos/{films['mine']}").status_code == 404  # not published


def test_a_page_that_missed_the_change_gets_the_refusal_in_words_and_does_not_crash(page: Page, web_stack, films):
    panel = open_film(page, web_stack, films["stale"])
    editor = web_stack.client("editor")  # another editor turns protection on meanwhile
    turned_on = editor.request("PUT", f"/videos/{films['stale']}/protection", json={"faces": True, "voice": False})
    assert turned_on.status_code == 200, turned_on.text
    panel.get_by_role("button", name="Publish…").click()
    panel.get_by_role("group", name="Confirm publishing").get_by_role("button", name="Yes, publish it").click()
    status = panel.get_by_role("status")
    expect(status).to_have_text(
        "Publishing: not done. Not published: identity protection was asked for this film and its protected "
        "version is not ready yet. It can be published once it is: open the film again later, its "
        "identity-protection line says when."
    )
    expect(status).to_have_attribute("data-kind", "error")
    assert editor.request("GET", f"/videos/{films['stale']}/editorial").json()["status"] != "PUBLISHED"
    page.get_by_role("button", name="Find").click()  # opened again: the page now knows, and says so
    expect(page.locator("#found .panel .protection")).to_have_text(
        re.compile(f"{re.escape(BEING_MADE)}|{READY.pattern}")
    )
