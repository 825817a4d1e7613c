"""The upload page sends each film as soon as it is chosen (a draft), before any detail is typed; the facilitator
types the details while the bytes go, through a dropped connection, and the films reach the editors' review once
complete. A film whose details never come says when it is deleted. On a stack of its own: it leaves drafts and
films waiting for review behind, which the shared stack's pages' tests would count."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, Request, expect

from local.clips import make_clip
from tests.browser.conftest import running_stack, screenshot
from tests.browser.test_upload_page import (
    CHILDREN,
    DESKTOP,
    NOISY,
    PROCESSING_TIMEOUT_MS,
    fill_film,
    film_row,
    throttle,
)
from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def drafts_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    yield from running_stack(tmp_path_factory, "drafts-stack")


@pytest.fixture(scope="module")
def slow_films(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("draft-films")
    return [
        make_clip(folder / f"VID_2024051{n}_101500.mp4", 60, width=240, height=180, fps=5, extra_args=NOISY)
        for n in (1, 2, 3)
    ]


@pytest.fixture
def office(browser: Browser, drafts_stack: RunningStack) -> Iterator[Page]:
    tab = browser.new_context(**DESKTOP).new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(f"{drafts_stack.info['web_url']}/upload.html")
    yield tab
    screenshot(tab, "upload-drafts")
    tab.context.close()
    assert not errors, f"the page threw: {errors}"


def test_films_start_sending_before_their_details_and_reach_review_once_completed_through_a_dropped_link(
    office, drafts_stack, slow_films
):
    info = drafts_stack.info
    api_calls: list[Request] = []
    office.on("request", lambda request: api_calls.append(request) if request.url.startswith(info["api_url"]) else None)
    throttle(office, 100_000)
    office.get_by_label("Your office's key").fill(info["api_keys"]["field_office"])
    office.get_by_role("button", name="Use this key").click()
    expect(office.locator("#key-status")).to_contain_text("Key accepted")
    expect(office.locator("#drafts-note")).to_contain_text("deleted, with everything sent of it, 14 days after")

    office.get_by_label("Choose the films").set_input_files([str(film) for film in slow_films])
    first = film_row(office, slow_films[0])
    # Nothing typed and nothing pressed: the first film's bytes are going.
    expect(first.locator(".film-progress")).to_contain_text(re.compile(r" of .*kB/s"), timeout=60_000)
    expect(first.get_by_label("Title (in")).to_have_value("")
    drafts = [
        json.loads(call.post_data) for call in api_calls if call.method == "POST" and call.url.endswith("/uploads")
    ]
    assert drafts and drafts[0]["draft"] is True and "title" not in drafts[0]

    office.context.set_offline(True)  # the link drops while the first film goes
    workshop_bar = office.locator("#workshop-bar")
    expect(workshop_bar).to_contain_text("The connection is lost")
    office.get_by_label("Country").select_option("KG")  # the details are typed meanwhile
    office.get_by_label("Workshop (").fill("osh-2026")
    for film, child in zip(slow_films[:2], CHILDREN, strict=False):
        fill_film(office, film, f"Draft film {child[0]}", child)
    office.get_by_role("button", name="Send the films").click()  # the one press: the last row's details go too
    office.context.set_offline(False)  # and the link comes back by itself

    for film in slow_films[:2]:
        expect(film_row(office, film)).to_have_attribute("data-status", "READY", timeout=PROCESSING_TIMEOUT_MS)
    third = film_row(office, slow_films[2])  # never described: sent, waiting for its details, and said so
    expect(third).to_have_attribute("data-status", "DRAFT", timeout=PROCESSING_TIMEOUT_MS)
    expect(third.locator(".film-outcome")).to_contain_text(re.compile(r"it is deleted on \d+ \w+ 20\d\d"))
    expect(office.locator(".upload-item", has_text=slow_films[2].name)).to_contain_text("Details missing")
    expect(office.get_by_role("button", name="Send the films")).to_be_enabled()
    assert not [call for call in api_calls if call.method == "POST" and call.url.endswith("/publish")]
    sends = [call for call in api_calls if call.method == "POST" and call.url.endswith("/uploads")]
    assert len(sends) == 3, "each film was created once, the one sent through the dropped link included"

    review = requests.get(f"{info['api_url']}/review", headers={"x-api-key": info["api_keys"]["editor"]}, timeout=30)
    titles = sorted(film.get("title", "") for film in review.json()["items"])
    assert titles == ["Draft film Aigerim", "Draft film Bakyt"], "the draft waits outside the review queue"
    listed = requests.get(
        f"{info['api_url']}/uploads", headers={"x-api-key": info["api_keys"]["field_office"]}, timeout=30
    )
    waiting = [item for item in listed.json()["items"] if item.get("draft")]
    assert [item["filename"] for item in waiting] == [slow_films[2].name] and waiting[0]["delete_after"]
