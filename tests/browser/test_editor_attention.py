"""The editor page's Needs attention group: a failed film with its reason and a button that starts it again,
after which it goes through processing and comes back awaiting review; a film stuck in processing past its
stage's limit, with the limit it hit. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from chalicelib.clock import now_iso
from chalicelib.domain import lifecycle
from chalicelib.domain.film import Film, Status
from local.clips import make_clip
from tests.browser.conftest import screenshot
from tests.browser.test_editor_protection import PROCESSING_TIMEOUT_S
from tests.e2e.conftest import RunningStack, aws, film, queue_is_empty, wait_for, workers_of

REASON = "Transcoding did not finish within its time limit (900 s) and was stopped."
LONG_AGO = "2020-01-01T00:00:00.000Z"


def catalog(stack: RunningStack) -> DynamoDBCatalog:
    return DynamoDBCatalog(aws(stack, "dynamodb"), stack.info["resources"]["CatalogTable"])


@pytest.fixture(scope="module")
def failed(web_stack: RunningStack, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A film uploaded by the office and validated, FAILED in its transcode as a time limit leaves it (the
    stage's own command, while the transcode workers wait: the time limit itself is tested in tests/functional)."""
    office = web_stack.client("field_office")
    clip = make_clip(tmp_path_factory.mktemp("attention") / "failed.mp4", 60, width=160, height=120, fps=2)
    metadata = {"title": "A film that failed", "country": "KG", "author": {"first_name": "Dana", "age": 13}}
    transcoders = workers_of(web_stack, "TranscodeQueue")
    assert transcoders, "the stack runs transcode workers"
    for pid in transcoders:
        os.kill(pid, signal.SIGSTOP)
    try:
        video_id = office.upload(clip, {**metadata, "topics": ["violence"]})
        wait_for(lambda: film(web_stack, video_id)["status"] == "TRANSCODING", PROCESSING_TIMEOUT_S, "validation")
        films = catalog(web_stack)
        waiting = films.get_film(video_id)
        assert waiting is not None
        films.apply(lifecycle.failed(waiting, "processing_timeout", REASON, now_iso()))
    finally:
        for pid in transcoders:
            os.kill(pid, signal.SIGCONT)
    # The message of the attempt that failed is read and let go: the film stays FAILED.
    wait_for(lambda: queue_is_empty(web_stack, "TranscodeQueue"), PROCESSING_TIMEOUT_S, "the transcode queue")
    assert film(web_stack, video_id)["status"] == "FAILED"
    return video_id


@pytest.fixture
def stuck(web_stack: RunningStack) -> Iterator[str]:
    """A film waiting to be transcoded since long ago (its message lost): past its stage's limit. The local
    scheduler's sweep (every minute) would queue it again at once: it waits while the test runs."""
    found = subprocess.run(
        ["pgrep", "-P", str(web_stack.process.pid), "-f", "local.scheduler"],
        capture_output=True,
        text=True,
        check=False,
    )
    schedulers = [int(pid) for pid in found.stdout.split()]
    assert schedulers, "the stack runs a scheduler"
    for pid in schedulers:
        os.kill(pid, signal.SIGSTOP)
    try:
        video_id = str(uuid.uuid4())
        film = Film(
            video_id, Status.TRANSCODING, LONG_AGO, LONG_AGO, office_id="kg-bishkek", title="A film that is stuck"
        )
        catalog(web_stack).create_film(film)
        yield video_id
    finally:
        for pid in schedulers:
            os.kill(pid, signal.SIGCONT)


def test_an_editor_sees_failed_and_stuck_films_and_starts_a_failed_one_again(page: Page, web_stack, failed, stuck):
    page.goto(f"{web_stack.info['web_url']}/editor.html")
    page.get_by_label("key").fill(web_stack.info["api_keys"]["editor"])
    page.get_by_role("button", name="Use this key").click()
    group = page.locator("#attention")
    failed_card = group.locator(f'.panel[data-video-id="{failed}"]')
    stuck_card = group.locator(f'.panel[data-video-id="{stuck}"]')
    expect(failed_card.locator(".reason")).to_have_text(REASON)
    expect(failed_card.locator(".badges")).to_have_text(re.compile(r"^Failed on \d{4}-\d\d-\d\d \d\d:\d\d UTC$"))
    expect(stuck_card.locator(".badges")).to_have_text("Stuck: being prepared since 2020-01-01 00:00 UTC")
    expect(stuck_card.locator(".limit")).to_have_text(
        re.compile(r"^Limit hit: \d+ (minutes|seconds) for its transcode")
    )
    expect(stuck_card.get_by_role("button")).to_have_count(0)  # the sweep queues it again, then fails it
    expect(page.locator("#attention-status")).to_have_text(re.compile(r"^\d+ films? failed, \d+ stuck\.$"))
    expect(page.locator(f'#review .panel[data-video-id="{failed}"]')).to_have_count(0)

    # Opened by its id, the film says why it failed and where to start it again, never "open it again later".
    page.get_by_label("Film id").fill(failed)
    page.get_by_role("button", name="Find").click()
    expect(page.locator("#found .panel .failure")).to_have_text(
        f"Failed: {REASON} Start it again under “Needs attention” at the top of this page."
    )
    failed_card.get_by_role("button", name="Start it again").click()
    expect(failed_card.get_by_role("status")).to_have_text(re.compile(r"^Started again: it is being checked"))
    expect(failed_card.get_by_role("button", name="Start it again")).to_have_count(0)
    screenshot(page, "editor-needs-attention")

    # Back on its way: validated and transcoded again, it comes back awaiting review, out of Needs attention.
    office = web_stack.client("field_office")
    assert office.wait_for_terminal(failed, timeout_s=PROCESSING_TIMEOUT_S)["status"] == "READY"
    page.get_by_role("button", name="Refresh").click()
    expect(page.locator(f'#review .panel[data-video-id="{failed}"]')).to_have_count(1)
    expect(group.locator(f'.panel[data-video-id="{failed}"]')).to_have_count(0)
    expect(stuck_card).to_have_count(1)
    trail = web_stack.client("editor").request("GET", f"/videos/{failed}/audit").json()["items"]
    assert [(entry["action"], entry["actor"]) for entry in trail] == [("retried", "local editor")]
