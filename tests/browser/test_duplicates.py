"""Duplicates as the editor and the office meet them: a film sent again (re-encoded, smaller) while the first is
already published shows, in the review queue, as a duplicate of that published film, and the published film
names it back; the office's row says what it was already sent as. On a stack of its own (it publishes a film).
Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from local.clips import make_clip
from tests.browser.conftest import running_stack, screenshot
from tests.browser.test_editor_bulk import open_editor
from tests.browser.test_upload_page import use_office_key
from tests.e2e.conftest import RunningStack

FIRST, SECOND = "Our street, first sending", "Our street, sent again"


@pytest.fixture(scope="module")
def dupes_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    yield from running_stack(tmp_path_factory, "duplicates-stack")


@pytest.fixture(scope="module")
def films(dupes_stack: RunningStack, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The first sending, published; the same film re-encoded smaller and sent again, awaiting review."""
    folder = tmp_path_factory.mktemp("duplicate-films")
    first = make_clip(folder / "street.mp4", 60, width=320, height=180, fps=5)
    again = folder / "street-phone.mp4"
    encode = ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "33", "-c:a", "aac"]
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(first), "-vf", "scale=240:136", *encode, str(again)],
        check=True,
    )
    office, editor = dupes_stack.client("field_office"), dupes_stack.client("editor")
    metadata = {"country": "AZ", "topics": ["violence"], "author": {"first_name": "Aygun", "age": 12}}
    ids = {}
    for name, clip, title in (("first", first, FIRST), ("again", again, SECOND)):
        ids[name] = office.upload(clip, {**metadata, "title": title})
        assert office.wait_for_terminal(ids[name])["status"] == "READY"
        if name == "first":
            editor.publish(ids[name])
    # The first file sent once more, as a draft (no details): its office may have sent it by mistake.
    ids["draft"] = office.upload(first, {"draft": True})
    assert office.wait_for_terminal(ids["draft"])["status"] == "READY"
    return ids


def test_the_editor_sees_a_film_sent_again_as_a_duplicate_of_the_published_one_beside_both(
    page: Page, dupes_stack, films
):
    open_editor(page, dupes_stack)
    queued = page.locator(f"#review .panel[data-video-id='{films['again']}']")
    expect(queued.locator(".badges")).to_contain_text("Duplicate of a published film")
    expect(queued.get_by_role("note", name="Duplicates")).to_contain_text(
        f"Same picture as “{FIRST}” (published, film id {films['first']})"
    )
    screenshot(page, "duplicates-queue")

    page.get_by_label("Film id").fill(films["first"])
    page.get_by_role("button", name="Find").click()
    published = page.locator("#found .panel")
    expect(published.locator(".badges")).to_contain_text("Possible duplicate")
    expect(published.get_by_role("note", name="Duplicates")).to_contain_text(
        f"Same picture as “{SECOND}” (awaiting review, film id {films['again']})"
    )
    expect(published.get_by_role("note", name="Duplicates")).to_contain_text(  # a draft has no title to name
        f"Same file as a copy whose details its office has not completed (no editor reviews it, film id "
        f"{films['draft']})"
    )

    # Found by its id, the draft says what it is, and offers nothing the API would refuse until its office
    # completes it: no consent, no publishing, no highlight; it can still be protected, flagged sensitive or taken
    # down.
    page.get_by_label("Film id").fill(films["draft"])
    page.get_by_role("button", name="Find").click()
    expect(page.locator("#find-status")).to_have_text("Found: a draft whose details its office has not completed.")
    draft = page.locator("#found .panel")
    expect(draft.get_by_role("heading", name="Draft: details missing")).to_be_visible()
    expect(draft).to_contain_text("no editor reviews it, and it cannot be given consent, highlighted or published")
    expect(draft.locator(".badges")).to_contain_text("Status: draft, details missing")
    for refused in ("consent", "publish", "highlight"):
        expect(draft.locator(f"[data-action={refused}]")).to_have_count(0)
    expect(draft.get_by_role("button", name="Blur faces")).to_be_enabled()
    expect(draft.get_by_role("button", name="Sensitive")).to_be_enabled()
    expect(draft.get_by_role("button", name="Take down…")).to_be_visible()


def test_the_office_row_says_the_film_was_already_sent(browser: Browser, dupes_stack, films):
    tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    tab.goto(f"{dupes_stack.info['web_url']}/upload.html")
    use_office_key(tab, dupes_stack.info["api_keys"]["field_office"])
    again = tab.locator(f".upload-item[data-video-id='{films['again']}']")
    expect(again.locator(".upload-duplicate")).to_have_text(f"Already sent as “{FIRST}”: the editors see both.")
    expect(tab.locator(f".upload-item[data-video-id='{films['first']}'] .upload-duplicate")).to_have_count(0)
    draft = tab.locator(f".upload-item[data-video-id='{films['draft']}']")
    expect(draft.locator(".upload-outcome")).to_contain_text("Details missing: no editor sees it")
    expect(draft.locator(".upload-duplicate")).to_have_text(  # never "the editors see both" beside that
        re.compile(
            f"^Already sent as (“{FIRST}” and “{SECOND}”|“{SECOND}” and “{FIRST}”): if this copy was sent by "
            "mistake, leave its details empty: no editor sees it, and it is deleted on its date.$"
        )
    )
    screenshot(tab, "duplicates-office-row")
    tab.context.close()
