"""A film's history on the editor page: who recorded its consent, published, unpublished and highlighted it,
and when, read from its audit trail and brought up to date after each change made from the panel. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_editor_protection import open_film, ready_film
from tests.e2e.conftest import RunningStack

WHEN = r"\d{4}-\d\d-\d\d \d\d:\d\d UTC · local editor: "


@pytest.fixture(scope="module")
def film(web_stack: RunningStack, tmp_path_factory: pytest.TempPathFactory) -> str:
    return ready_film(web_stack, tmp_path_factory.mktemp("history-films"), "A film with a history")


def test_the_editor_sees_who_did_what_to_a_film_and_it_follows_each_change(page: Page, web_stack, film):
    panel = open_film(page, web_stack, film)
    panel.get_by_text("History", exact=True).click()
    entries = panel.locator("ol.history > li")
    expect(entries).to_have_count(1)
    expect(entries.nth(0)).to_have_text(re.compile(WHEN + "recorded the consent$"))

    panel.get_by_role("button", name="Publish…").click()
    panel.get_by_role("group", name="Confirm publishing").get_by_role("button", name="Yes, publish it").click()
    expect(entries).to_have_count(2)
    expect(entries.nth(1)).to_have_text(re.compile(WHEN + "published the film$"))
    panel.get_by_role("button", name="Unpublish").click()
    expect(entries).to_have_count(3)
    expect(entries.nth(2)).to_have_text(re.compile(WHEN + "unpublished the film$"))
    panel.get_by_role("button", name="Highlight").click()
    expect(entries.nth(3)).to_have_text(re.compile(WHEN + "highlighted the film$"))
    screenshot(page, "editor-history")
