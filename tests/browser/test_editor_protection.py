"""Identity protection on the editor page: an editor turns it on for a film awaiting review and is told,
in words, that the protected version is being made and that the preview still shows the child as filmed;
publishing waits, and once the protection stage has made it (for real, on the local stack) the panel
comes back protected and publishable by itself, without opening the film again; published, then
unpublished, its protection can no longer change (the upload is deleted) and the page says so. A page
that did not know (another editor turned it on meanwhile) gets the API's refusal in the same words, and
nothing crashes. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import os
import re
import signal
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cli.client import DEMO_CONSENT
from local.clips import make_clip
from tests.browser.conftest import screenshot
from tests.e2e.conftest import RunningStack, workers_of

PROCESSING_TIMEOUT_S = 240

BEING_MADE = (
    "Identity protection: faces blurred. The protected version is being made from the original upload: until it is, "
    "the preview shows the faces as filmed (only editors can see it). This takes a few minutes; this line says when "
    "it is ready."
)
READY = "Identity protection: faces blurred. The protected version is ready: the preview shows what visitors will see."


def ready_film(stack: RunningStack, folder: Path, title: str) -> str:
    """A film uploaded by the office, READY, its consent recorded: publishable, no protection asked."""
    office, editor = stack.client("field_office"), stack.client("editor")
    # A picture of its own per title: the same picture twice on one stack is one film to the duplicate check, and
    # one of them asking for protection would hold the other's publishing (copy_protected).
    seed = zlib.crc32(title.encode())
    clip = make_clip(
        folder / f"{title.lower().replace(' ', '-')}.mp4",
        60,
        width=160,
        height=120,
        fps=2,
        pattern=f"cellauto=random_seed={seed}",
    )
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
        "retitled": ready_film(web_stack, folder, "Retitled meanwhile"),
    }


def open_film(page: Page, stack: RunningStack, video_id: str):
    page.goto(f"{stack.info['web_url']}/editor.html")
    page.get_by_label("key").fill(stack.info["api_keys"]["editor"])
    page.get_by_role("button", name="Use this key").click()
    page.get_by_label("Film id").fill(video_id)
    page.get_by_role("button", name="Find").click()
    panel = page.locator("#found .panel")
    expect(panel.get_by_role("button", name="Publish…")).to_be_enabled()  # consent is there, nothing asked yet
    return panel


def test_an_editor_turns_protection_on_is_told_publishing_waits_and_sees_the_film_come_back_protected(
    page: Page, web_stack, films
):
    page.clock.install()  # the page's own timers wait for the test: its first look is checked before any refresh
    panel = open_film(page, web_stack, films["mine"])
    expect(panel.locator(".protection")).to_have_text("Identity protection: none asked.")
    page.clock.pause_at(datetime.now(UTC) + timedelta(minutes=1))
    blur = panel.get_by_role("button", name="Blur faces")
    expect(blur).to_have_attribute("aria-pressed", "false")
    blur.click()
    expect(blur).to_have_attribute("aria-pressed", "true")
    expect(panel.get_by_role("status")).to_have_text(BEING_MADE)
    expect(panel.locator(".protection")).to_have_text(BEING_MADE)
    expect(panel.locator(".badges")).to_contain_text("Status: faces or voice being hidden")
    expect(panel.locator(".badges")).to_contain_text("Identity protection not ready yet")
    expect(panel.get_by_role("button", name="Publish…")).to_have_count(0)  # nothing to publish while it is made
    listed = page.locator(f"#review .panel[data-video-id='{films['mine']}']")  # the same film, awaiting review
    expect(listed.locator(".protection")).to_have_text(BEING_MADE)
    expect(listed.get_by_role("button", name="Publish…")).to_have_count(0)
    for toggle in ("Blur faces", "Disguise voice"):  # the API would refuse a change now: said, not refused
        expect(panel.get_by_role("button", name=toggle)).to_be_disabled()
        expect(panel.get_by_role("button", name=toggle)).to_have_accessible_description(
            "Identity protection can be changed again once the film is awaiting review."
        )
    screenshot(page, "editor-protection-pending")

    audit = web_stack.client("editor").request("GET", f"/videos/{films['mine']}/audit").json()["items"]
    assert any(entry["action"] == "protection_changed" for entry in audit)
    public = web_stack.client("editor").request("GET", f"/videos/{films['mine']}")
    assert public.status_code == 404  # not published

    # The editor waits on the page: the panel asks again while the film is made, and says when it is ready.
    page.clock.resume()
    expect(panel.locator(".protection")).to_have_text(READY, timeout=PROCESSING_TIMEOUT_S * 1000)
    expect(panel.get_by_role("status")).to_have_text(READY)
    # Both panels of the film say so, whichever of them asked first (the other learns it from that one).
    expect(listed.get_by_role("status")).to_have_text(READY)
    expect(panel.locator(".badges")).to_contain_text("Identity protected")
    expect(panel.locator(".badges")).to_contain_text("Status: awaiting review")
    expect(panel.get_by_role("button", name="Publish…")).to_be_enabled()
    panel.get_by_role("button", name="Watch the film").click()
    expect(panel.locator("video")).not_to_have_accessible_description(re.compile("Not protected yet"))
    screenshot(page, "editor-protection-ready")
    expect(panel.get_by_role("button", name="Disguise voice")).to_be_enabled()

    # Published, its upload is deleted at once (docs/PROTECTION.md); unpublished, its protection cannot change.
    panel.get_by_role("button", name="Publish…").click()
    panel.get_by_role("group", name="Confirm publishing").get_by_role("button", name="Yes, publish it").click()
    expect(panel.get_by_role("status")).to_have_text("Published: visitors can watch it now.")
    panel.get_by_role("button", name="Unpublish").click()
    expect(panel.get_by_role("status")).to_contain_text("Unpublishing: done.")
    expect(panel.get_by_role("button", name="Blur faces")).to_be_disabled()
    expect(panel.get_by_role("button", name="Blur faces")).to_have_accessible_description(
        "The original upload has been deleted: identity protection can no longer change."
    )


def test_a_page_that_missed_the_change_gets_the_refusal_in_words_and_does_not_crash(page: Page, web_stack, films):
    panel = open_film(page, web_stack, films["stale"])
    editor = web_stack.client("editor")  # another editor turns protection on meanwhile
    # The protection workers wait meanwhile: the click must land while the protected version is being made,
    # however fast the machine makes it.
    protectors = workers_of(web_stack, "ProtectQueue")
    assert protectors, "the stack runs protection workers"
    for pid in protectors:
        os.kill(pid, signal.SIGSTOP)
    try:
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
        # The panel shows the film as it is now, without opening it again: no card to confirm, the line says why.
        expect(panel.locator(".protection")).to_have_text(BEING_MADE)
        expect(panel.get_by_role("group", name="Confirm publishing")).to_have_count(0)
        expect(panel.get_by_role("button", name="Publish…")).to_have_count(0)
    finally:
        for pid in protectors:
            os.kill(pid, signal.SIGCONT)
    assert editor.request("GET", f"/videos/{films['stale']}/editorial").json()["status"] != "PUBLISHED"
    page.get_by_role("button", name="Find").click()  # opened again: the page now knows, and says so
    expect(page.locator("#found .panel .protection")).to_have_text(
        re.compile(f"{re.escape(BEING_MADE)}|{re.escape(READY)}")
    )


def test_a_refused_publish_shows_another_editors_title_and_a_save_after_it_keeps_it(page: Page, web_stack, films):
    # Another editor renames the film while this page shows it: the publish is refused (the film changed), the
    # panel shows the film as it is now, and saving a description afterwards writes the description alone (the
    # form sent the title it had shown too, putting the old one back).
    video_id = films["retitled"]
    panel = open_film(page, web_stack, video_id)
    editor = web_stack.client("editor")
    renamed = editor.request("PATCH", f"/videos/{video_id}", json={"title": "Renamed by another editor"})
    assert renamed.status_code == 200, renamed.text
    panel.get_by_role("button", name="Publish…").click()
    panel.get_by_role("group", name="Confirm publishing").get_by_role("button", name="Yes, publish it").click()
    expect(panel.get_by_role("status")).to_have_text(
        "Publishing: not done. This film changed since the page showed it: its title is now “Renamed by another "
        "editor”. It is shown above as it is now: look at it again before publishing."
    )
    expect(panel.get_by_role("heading", name="Renamed by another editor")).to_be_visible()
    expect(panel.get_by_role("group", name="Confirm publishing")).to_be_hidden()

    panel.locator("summary", has_text="English title").click()
    panel.get_by_role("textbox", name="Description").fill("Filmed in the courtyard.")
    panel.get_by_role("button", name="Save title and description").click()
    expect(panel.get_by_role("status")).to_contain_text("Saved:")
    saved = editor.request("GET", f"/videos/{video_id}/editorial").json()
    assert (saved["title"], saved["description"]) == ("Renamed by another editor", "Filmed in the courtyard.")
