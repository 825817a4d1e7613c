"""A workshop's films decided together on the editor page, as an editor meets it the morning after: "Select all",
"Publish all consented…" behind one confirmation that shows every card; films flagged sensitive and films with
identity protection listed apart, each published only after its own check; a film changed by another editor
meanwhile (after the confirmation showed it) refused, named and said what changed, never published; the queue and its counts following without a reload. Also a
takedown that asks why, and "Identity protected" as a good state (a story previewed before it goes public:
test_pages.py). A stack of its own: these tests publish films."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import running_stack, screenshot
from tests.browser.review_films import ReviewFilm, write_review_films
from tests.browser.test_pages import WCAG_AA
from tests.e2e.conftest import RunningStack

WORKSHOP = "tbilisi-2015"
PLAIN = [
    ReviewFilm("My street", "Nino", 13),
    ReviewFilm("Grandmother's garden", "Giorgi", 11),
    ReviewFilm("The bus to school", "Mariam", 14),
    ReviewFilm("Football after rain", "Luka", 12),
    ReviewFilm("Bread at dawn", "Ana", 15),
    ReviewFilm("The old lift", "Saba", 10),
    ReviewFilm("My sister's song", "Elene", 16),
    ReviewFilm("Renamed meanwhile", "Dato", 13),
]
SENSITIVE = [ReviewFilm("What happened at home", "Tamar", 14, sensitive=True)]
PROTECTED = [ReviewFilm("Behind the wall", "Levan", 15, faces_blurred=True)]
UNCONSENTED = [ReviewFilm("No forms yet", "Keti", 12, consent=False)]
OTHER_EDITOR = [ReviewFilm("Published by a colleague", "Irakli", 13, sensitive=True)]
# Each film is published by its own call (its media tagged, its share page written): on a busy machine the eight
# take a while. A wait for the outcome, never a limit on how fast.
PUBLISHING_MS = 120_000
ALL = [*PLAIN, *SENSITIVE, *PROTECTED, *UNCONSENTED, *OTHER_EDITOR]


@pytest.fixture(scope="module")
def bulk_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    yield from running_stack(tmp_path_factory, "bulk-stack")


@pytest.fixture(scope="module")
def films(bulk_stack: RunningStack, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    ids = write_review_films(bulk_stack, tmp_path_factory.mktemp("review-posters"), WORKSHOP, ALL)
    return {film.title: video_id for film, video_id in zip(ALL, ids, strict=True)}


def api(stack: RunningStack, method: str, path: str, body: Any = None) -> requests.Response:
    headers = {"x-api-key": stack.info["api_keys"]["editor"]}
    return requests.request(method, f"{stack.info['api_url']}{path}", json=body, headers=headers, timeout=30)


def status_of(stack: RunningStack, video_id: str) -> str:
    return api(stack, "GET", f"/videos/{video_id}/editorial").json()["status"]


def open_editor(page: Page, stack: RunningStack) -> None:
    page.goto(f"{stack.info['web_url']}/editor.html")
    page.get_by_label("Your editor key").fill(stack.info["api_keys"]["editor"])
    page.get_by_role("button", name="Use this key").click()


def test_an_editor_publishes_a_workshops_consented_films_together_and_the_checked_ones_apart(
    page: Page, bulk_stack, films
):
    open_editor(page, bulk_stack)
    group = page.locator(".workshop-group", has=page.get_by_role("heading", name=re.compile("^Workshop Tbilisi 2015")))
    expect(group.locator(":scope > h3")).to_have_text("Workshop Tbilisi 2015 · 12 films awaiting review")

    # Select all, for the consent form: every film's box, and the box says when only some are ticked.
    select_all = group.get_by_label("Select all films of Workshop Tbilisi 2015")
    select_all.check()
    boxes = group.locator(".panels.awaiting input[data-select]")
    expect(boxes).to_have_count(12)
    assert all(box.is_checked() for box in boxes.all())
    boxes.first.uncheck()
    assert select_all.evaluate("box => box.indeterminate") is True
    select_all.click()  # from some to all
    assert all(box.is_checked() for box in boxes.all())
    select_all.uncheck()
    assert not any(box.is_checked() for box in boxes.all())
    # "Identity protected" is a good state, in the colour of "Consent recorded", not a warning's.
    protected_panel = group.locator(f'.panel[data-video-id="{films["Behind the wall"]}"]')
    badge = protected_panel.locator(".badges li", has_text="Identity protected")
    expect(badge).to_have_attribute("data-kind", "ok")
    consent_badge = protected_panel.locator(".badges li", has_text="Consent recorded")
    assert badge.evaluate("b => getComputedStyle(b).color") == consent_badge.evaluate("b => getComputedStyle(b).color")

    group.get_by_role("button", name="Publish all consented…").click()
    confirm = group.get_by_role("group", name="Confirm publishing the consented films")
    plain = confirm.locator(".bulk-plain .card")
    expect(plain).to_have_count(len(PLAIN))  # every card it publishes, with the child's first name and age
    for film in PLAIN:
        card = plain.filter(has_text=film.title)
        expect(card).to_contain_text(f"{film.first_name}, {film.age}")
        assert card.locator("img").evaluate("img => img.complete && img.naturalWidth > 0"), film.title
    yes = confirm.get_by_role("button", name=f"Yes, publish these {len(PLAIN)} films")
    expect(yes).to_be_focused()
    apart = confirm.locator(".apart")
    expect(apart).to_have_count(3)  # the two sensitive films and the protected one, each with its own check
    for title in ("What happened at home", "Behind the wall", "Published by a colleague"):
        expect(apart.filter(has_text=title).locator(".card")).to_contain_text(title)
    expect(confirm).to_contain_text("1 film without consent is not included")
    screenshot(page, "editor-bulk-confirm")
    results = Axe().run(page, options=WCAG_AA)  # the confirmation open, its films apart included
    assert results.violations_count == 0, results.generate_report()
    page.set_viewport_size({"width": 390, "height": 844})  # on a phone: no sideways scrolling
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    screenshot(page, "editor-bulk-confirm-phone")
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide on a {widths[1]} px screen"
    page.set_viewport_size({"width": 1280, "height": 900})

    # Another editor renames one of them while the confirmation is open: what the editor confirmed is not what
    # would be published, so it is refused, named with what changed, and not published.
    renamed = films["Renamed meanwhile"]
    edited = api(bulk_stack, "PATCH", f"/videos/{renamed}", {"title": "Now with another title"})
    assert edited.status_code == 200, edited.text
    yes.click()
    bulk_status = group.locator(".bulk-actions + [role=status]")
    expect(bulk_status).to_have_text(
        f"Published {len(PLAIN) - 1} of {len(PLAIN)} films. Not published: “Renamed meanwhile”: Changed since you "
        "looked: its title is now “Now with another title”; look again.",
        timeout=PUBLISHING_MS,
    )
    assert status_of(bulk_stack, renamed) == "READY"
    expect(group.locator(f'.panel[data-video-id="{renamed}"]')).to_contain_text("Now with another title")
    for film in PLAIN[:-1]:
        assert status_of(bulk_stack, films[film.title]) == "PUBLISHED", film.title
    # They left the queue at once; the counts followed, with no reload.
    expect(group.locator(":scope > h3")).to_have_text("Workshop Tbilisi 2015 · 5 films awaiting review")
    expect(page.locator("#review-status")).to_have_text("5 films awaiting review, in 1 workshop.")
    expect(group.locator(".published-here .panel")).to_have_count(len(PLAIN) - 1)

    # Apart: the sensitive film waits for its safeguarding check, the protected one for its preview.
    sensitive = apart.filter(has_text="What happened at home")
    publish_sensitive = sensitive.get_by_role("button", name="Publish “What happened at home”")
    expect(publish_sensitive).to_be_disabled()
    sensitive.get_by_label("Safeguarding checked").check()
    publish_sensitive.click()
    expect(sensitive).to_contain_text("“What happened at home” is published.", timeout=PUBLISHING_MS)
    protected = apart.filter(has_text="Behind the wall")
    publish_protected = protected.get_by_role("button", name="Publish “Behind the wall”")
    expect(publish_protected).to_be_disabled()
    expect(protected.locator(".why")).to_have_text("Watch the protected version first: it is what visitors will see.")
    protected.get_by_role("button", name="Watch the protected version").click()
    expect(protected.locator("video")).to_have_attribute("aria-label", "Protected version of “Behind the wall”")
    publish_protected.click()
    expect(protected).to_contain_text("“Behind the wall” is published.", timeout=PUBLISHING_MS)
    assert status_of(bulk_stack, films["What happened at home"]) == status_of(bulk_stack, films["Behind the wall"])
    assert status_of(bulk_stack, films["Behind the wall"]) == "PUBLISHED"
    expect(group.locator(":scope > h3")).to_have_text("Workshop Tbilisi 2015 · 3 films awaiting review")
    screenshot(page, "editor-bulk-published")

    # The queue updates itself: a film another editor publishes leaves it, and the counts follow.
    colleague = films["Published by a colleague"]
    published = api(bulk_stack, "POST", f"/videos/{colleague}/publish", {"safeguarding_confirmed": True})
    assert published.status_code == 200, published.text
    expect(group.locator(f'.panels.awaiting .panel[data-video-id="{colleague}"]')).to_have_count(0, timeout=90_000)
    expect(apart.filter(has_text="Published by a colleague")).to_have_count(0)  # no longer offered apart either
    expect(group.locator(":scope > h3")).to_have_text("Workshop Tbilisi 2015 · 2 films awaiting review")
    expect(page.locator("#review-status")).to_have_text("2 films awaiting review, in 1 workshop.")


def test_a_takedown_asks_why_and_the_history_keeps_it(page: Page, bulk_stack, films):
    video_id = films["No forms yet"]
    open_editor(page, bulk_stack)
    panel = page.locator(f'#review .panel[data-video-id="{video_id}"]')
    panel.get_by_role("button", name="Take down…").click()
    why = panel.get_by_role("group", name="Why is it taken down?")
    expect(why.get_by_role("radio", name="Consent withdrawn")).to_be_focused()
    confirm = panel.get_by_role("button", name="Yes, take it down")
    confirm.click()  # no reason chosen: nothing is sent
    expect(panel.get_by_role("status").last).to_have_text("Choose why the film is taken down first.")
    assert status_of(bulk_stack, video_id) == "READY"
    why.get_by_role("radio", name="Other").check()
    # The note outlives the film in its history: never who the child is, never how to reach the family.
    note = panel.get_by_label("For “Other”: what happened")
    note.fill("Keti's mother asked for it.")
    confirm.click()
    expect(panel.get_by_role("status").last).to_contain_text("The note names the child")
    assert status_of(bulk_stack, video_id) == "READY"
    note.fill("The partner organisation asked for it.")
    confirm.click()
    expect(panel).to_contain_text("“No forms yet” was taken down")
    expect(page.locator("#review-status")).to_have_text(re.compile(r"^1 film awaiting review"))
    trail = api(bulk_stack, "GET", f"/videos/{video_id}/audit").json()["items"]
    assert trail[-1]["action"] == "taken_down"
    assert trail[-1]["details"] == {"was": "READY", "reason": "other", "note": "The partner organisation asked for it."}
    screenshot(page, "editor-takedown-reason")


def test_a_single_publish_is_refused_once_the_film_changed_since_its_card_was_shown(page: Page, bulk_stack, films):
    video_id = films["Renamed meanwhile"]  # READY and consented, left waiting by the first test
    open_editor(page, bulk_stack)
    panel = page.locator(f'#review .panel[data-video-id="{video_id}"]')
    panel.get_by_role("button", name="Publish…").click()
    confirm = panel.get_by_role("group", name="Confirm publishing")
    expect(confirm.locator(".card")).to_be_visible()
    edited = api(bulk_stack, "PATCH", f"/videos/{video_id}", {"title": "Renamed once more"})
    assert edited.status_code == 200, edited.text
    confirm.get_by_role("button", name="Yes, publish it").click()
    expect(panel).to_contain_text(
        "Publishing: not done. This film changed since the page showed it: its title is now “Renamed once more”.",
        timeout=PUBLISHING_MS,
    )
    assert status_of(bulk_stack, video_id) == "READY"


def test_a_waiting_film_changed_by_another_editor_is_shown_as_it_is_now(page: Page, bulk_stack, films):
    video_id = films["Renamed meanwhile"]  # still waiting: the single publish above was refused
    open_editor(page, bulk_stack)
    panel = page.locator(f'#review .panel[data-video-id="{video_id}"]')
    about = panel.get_by_role("list", name="About this film")
    expect(about).to_be_visible()
    expect(about.get_by_text("Sensitive", exact=True)).to_have_count(0)

    flagged = api(bulk_stack, "PATCH", f"/videos/{video_id}", {"sensitive": True})
    assert flagged.status_code == 200, flagged.text
    page.get_by_role("button", name="Refresh").click()  # what the page also does every 30 s

    expect(panel).to_contain_text("Changed by another editor meanwhile: shown as it is now.")
    expect(about.get_by_text("Sensitive", exact=True)).to_be_visible()
    api(bulk_stack, "PATCH", f"/videos/{video_id}", {"sensitive": False})


def test_consent_half_typed_survives_another_change_to_the_panel_and_is_then_recorded(
    page: Page, bulk_stack, tmp_path: Path
):
    [video_id] = write_review_films(
        bulk_stack, tmp_path, "kutaisi-2016", [ReviewFilm("Forms on their way", "Nika", 12, consent=False)]
    )
    open_editor(page, bulk_stack)
    page.get_by_label("Film id").fill(video_id)
    page.get_by_role("button", name="Find").click()
    panel = page.locator("#found .panel")
    panel.locator("summary", has_text="Record consent for this film only").click()
    form = panel.get_by_role("form", name="Consent for this film")
    form.get_by_label("The guardian gave written consent").check()
    form.get_by_label("Where the signed forms are kept").fill("Tbilisi office, folder 7")

    panel.get_by_role("button", name="Highlight").click()  # the panel is drawn again, with the film as saved
    expect(panel.get_by_role("status")).to_have_text("Highlighted, once published.")
    expect(form).to_be_visible()  # still open, with what was ticked and typed
    expect(form.get_by_label("The guardian gave written consent")).to_be_checked()
    expect(form.get_by_label("The child gave their own assent")).not_to_be_checked()
    expect(form.get_by_label("Where the signed forms are kept")).to_have_value("Tbilisi office, folder 7")

    form.get_by_label("The child gave their own assent").check()
    form.get_by_role("button", name="Record consent").click()
    expect(panel.get_by_role("status")).to_have_text("Consent recorded: the film can be published.")
    recorded = api(bulk_stack, "GET", f"/videos/{video_id}/editorial").json()["consent"]
    assert recorded["reference"] == "Tbilisi office, folder 7"
