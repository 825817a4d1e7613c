"""A film's history on the editor page: who recorded its consent, published, unpublished and highlighted it,
and when, read from its audit trail and brought up to date after each change made from the panel; and the
review queue's count of workshops, which films without one are not. Screenshots go to test-artifacts/browser/."""

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


@pytest.fixture(scope="module")
def waiting(web_stack: RunningStack, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A film awaiting review, with no workshop, that no test here publishes."""
    return ready_film(web_stack, tmp_path_factory.mktemp("waiting-films"), "Waiting without a workshop")


def test_the_review_queue_counts_workshops_without_the_films_that_have_none(page: Page, web_stack, waiting):
    page.goto(f"{web_stack.info['web_url']}/editor.html")
    page.get_by_label("key").fill(web_stack.info["api_keys"]["editor"])
    page.get_by_role("button", name="Use this key").click()
    expect(page.locator(f'#review .workshop-group[data-workshop=""] .panel[data-video-id="{waiting}"]')).to_have_count(
        1
    )
    named = page.locator("#review .workshop-group > h3").filter(has_text=re.compile(r"^Workshop ")).count()
    loose = page.locator('#review .workshop-group[data-workshop=""] .panel').count()
    total = page.locator("#review .panel").count()
    if named:
        workshops = f"{named} workshop{'s' if named > 1 else ''}"
        expected = f"{total} films awaiting review: {total - loose} in {workshops}, {loose} without a workshop."
    else:
        expected = f"{total} film{'s' if total > 1 else ''} awaiting review, none with a workshop."
    expect(page.locator("#review-status")).to_have_text(expected)


def test_the_history_says_what_the_office_answered_on_hiding_the_child_when_it_completed_a_draft(page: Page, web_stack):
    page.goto(f"{web_stack.info['web_url']}/editor.html")
    said = page.evaluate(
        """async () => {
            const { entryText } = await import("./assets/editor-history.js");
            const entry = (answered, more = {}) => entryText({ actor: "local office", action: "details_completed",
                at: "2026-12-07T10:00:00.000Z", details: { fields: ["title"], answered, ...more } });
            return [entry({ faces: false, voice: false }),
                    entry({ faces: true, voice: false }, { protect_identity: { faces: true, voice: false },
                      rendered_again: true })];
        }"""
    )
    assert said == [
        "2026-12-07 10:00 UTC · local office: completed the details of its draft (field office); "
        "said the child may be recognised",
        "2026-12-07 10:00 UTC · local office: completed the details of its draft (field office); "
        "asked to hide the child: faces blurred; the film is made again from its upload",
    ]
