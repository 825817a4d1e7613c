"""The upload page as a facilitator uses it at the end of a workshop: many films at once, a reload in
the middle, a wrong key, a film too long refused before a byte is sent; at desktop and phone sizes.
Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, Request, Route, expect

from local.clips import make_clip
from tests.browser.conftest import screenshot
from tests.e2e.conftest import RunningStack

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
PROCESSING_TIMEOUT_MS = 240_000
CHILDREN = [("Aigerim", 12), ("Bakyt", 14), ("Cholpon", 16)]
NOT_HIDDEN = {"faces": False, "voice": False}
BLURRED = {"faces": True, "voice": False}
# Bigger than the tiny clips (noise does not compress), so a throttled link takes seconds per film.
NOISY = ("-vf", "noise=alls=40:allf=t", "-b:v", "120k", "-maxrate", "120k", "-bufsize", "240k")


@pytest.fixture(scope="module")
def workshop_films(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("workshop-films")
    # Three different films (flipped, each picture is another to the duplicate detector), not one sent three times.
    films = {
        f"film-{n}": make_clip(folder / f"film-{n}.mp4", 60, width=160, height=120, fps=2, extra_args=flip)
        for n, flip in ((1, ()), (2, ("-vf", "hflip")), (3, ("-vf", "vflip")))
    }
    films["too-long"] = make_clip(folder / "too-long.mp4", 300, width=160, height=120, fps=1, audio=False)
    films["too-short"] = make_clip(folder / "too-short.mp4", 10, width=160, height=120, fps=2)
    for n in (1, 2, 3):
        films[f"slow-{n}"] = make_clip(folder / f"slow-{n}.mp4", 60, width=240, height=180, fps=5, extra_args=NOISY)
    films["not-a-film"] = folder / "notes.mp4"
    films["not-a-film"].write_text("These are the workshop notes, not a film, renamed.\n")  # 51 bytes of text
    films["unplayable"] = folder / "damaged.mp4"  # bytes no browser can decode, and no plain text either
    films["unplayable"].write_bytes(bytes(range(256)) * 16)
    return films


@pytest.fixture
def office(browser: Browser, web_stack: RunningStack, request: pytest.FixtureRequest) -> Iterator[Page]:
    """The upload page in a fresh desktop tab; its last state is kept as a screenshot."""
    tab = browser.new_context(**DESKTOP).new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(f"{web_stack.info['web_url']}/upload.html")
    yield tab
    screenshot(tab, f"upload-{request.node.name}")
    tab.context.close()
    assert not errors, f"the page threw: {errors}"


def use_office_key(tab: Page, key: str) -> None:
    tab.get_by_label("Your office's key").fill(key)
    tab.get_by_role("button", name="Use this key").click()
    expect(tab.locator("#key-status")).to_contain_text("Key accepted")


def fill_workshop(tab: Page) -> None:
    tab.get_by_label("Country").select_option("KG")
    tab.get_by_label("Language of the films").fill("ky")
    tab.get_by_label("Workshop (").fill("bishkek-2014")


def film_row(tab: Page, film: Path) -> Locator:
    return tab.locator(".film-row", has=tab.locator("legend", has_text=film.name))


def unfold(row: Locator) -> None:
    """A row whose details are complete folds once left: its summary opens it again."""
    if not row.locator("details.film-details").evaluate("details => details.open"):
        row.locator("details.film-details > summary").click()


RECOGNISABLE = "No, this child may be recognised"


def fill_film(
    tab: Page,
    film: Path,
    title: str,
    child: tuple[str, int],
    topics: tuple[str, ...] = ("Violence",),
    protection: tuple[str, ...] | None = (RECOGNISABLE,),
) -> None:
    """The row's details; `protection` the boxes ticked to answer whether the child may be recognised (None:
    left unanswered)."""
    row = film_row(tab, film)
    unfold(row)
    row.get_by_label("Title (in").fill(title)
    row.get_by_label("Child's first name").fill(child[0])
    row.get_by_label("Age", exact=True).fill(str(child[1]))
    for topic in topics:
        row.get_by_role("checkbox", name=topic).check()
    for answer in protection or ():
        row.get_by_role("checkbox", name=answer).check()


def office_uploads(stack: RunningStack) -> list[dict[str, Any]]:
    """Every upload of the office, through the API's cursor."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": "100", **({"cursor": cursor} if cursor else {})}
        page = requests.get(
            f"{stack.info['api_url']}/uploads",
            params=params,
            timeout=10,
            headers={"x-api-key": stack.info["api_keys"]["field_office"]},
        ).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def api_posts(tab: Page, stack: RunningStack) -> list[Request]:
    """The films the page asks the API to create, from now on."""
    created: list[Request] = []
    uploads = f"{stack.info['api_url']}/uploads"
    tab.on(
        "request",
        lambda request: created.append(request) if request.method == "POST" and request.url == uploads else None,
    )
    return created


def api_details(tab: Page, stack: RunningStack) -> list[Request]:
    """The details the page sends to complete (or correct) its films, from now on."""
    sent: list[Request] = []
    uploads = f"{stack.info['api_url']}/uploads/"
    tab.on(
        "request",
        lambda request: sent.append(request) if request.method == "PATCH" and request.url.startswith(uploads) else None,
    )
    return sent


def last_details(sent: list[Request]) -> dict[str, dict[str, Any]]:
    """What the page last sent of each film's details, by title."""
    return {json.loads(request.post_data)["title"]: json.loads(request.post_data) for request in sent}


def test_a_workshops_films_go_in_one_sitting_and_a_second_click_sends_nothing(office, web_stack, workshop_films):
    films = [workshop_films[f"film-{n}"] for n in (1, 2, 3)]
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    fill_workshop(office)
    created = api_posts(office, web_stack)
    office.get_by_label("Choose the films").set_input_files([str(film) for film in films])
    expect(office.locator(".film-row")).to_have_count(3)
    for n, (film, child) in enumerate(zip(films, CHILDREN, strict=True)):
        expect(film_row(office, film).locator(".film-check")).to_contain_text("1 min")  # its length, read here
        fill_film(
            office, film, f"Workshop film {n + 1}", child, ("Violence", "HIV and AIDS") if n == 0 else ("Violence",)
        )
    send = office.get_by_role("button", name="Send the films")
    send.click()  # the films went as they were chosen: this sends the last row's details, which was still open
    for film in films:
        expect(film_row(office, film)).to_have_attribute("data-status", "READY", timeout=PROCESSING_TIMEOUT_MS)
        expect(film_row(office, film).locator("progress")).to_have_js_property("value", 1)
    expect(office.locator("#send-status")).to_contain_text("3 films sent")
    listed = office.locator(".upload-item", has_text="Workshop film")
    expect(listed).to_have_count(3)
    expect(listed.first).to_contain_text("Ready")
    expect(office.locator(".upload-item", has_text="Workshop film 2")).to_contain_text("Bakyt, 14")
    screenshot(office, "upload-workshop-desktop")

    second = film_row(office, films[1])  # a typo seen after sending: corrected in place
    second.get_by_role("button", name="Correct the details").click()
    expect(second.get_by_label("Title (in")).to_be_focused()
    second.get_by_label("Title (in").fill("Workshop film 2, corrected")
    # No mistake was ever listed: nothing claims that "every listed mistake is fixed".
    expect(office.locator("#send-status")).to_have_text(re.compile(r"^3 films sent\. Each is checked now"))
    second.get_by_role("button", name="Save the corrections").click()
    expect(second.locator(".film-check")).to_have_text("Corrected.")
    expect(second.get_by_label("Title (in")).to_be_disabled()
    expect(office.locator(".upload-item", has_text="Workshop film 2, corrected")).to_have_count(1)

    send.click()  # again, with everything sent
    expect(office.locator("#send-status")).to_have_text("Every film in the list has been sent.")
    office.get_by_label("Choose the films").set_input_files(str(films[0]))  # the same file chosen again
    expect(office.locator(".film-row")).to_have_count(3)
    assert len(created) == 3
    mine = [item for item in office_uploads(web_stack) if item.get("title", "").startswith("Workshop film")]
    assert sorted(item["title"] for item in mine) == [
        "Workshop film 1",
        "Workshop film 2, corrected",
        "Workshop film 3",
    ]
    first = next(item for item in mine if item["title"] == "Workshop film 1")
    assert (first["country"], first["workshop"], first["language"]) == ("KG", "bishkek-2014", "ky")
    assert sorted(first["topics"]) == ["hiv-aids", "violence"] and first["author"] == {
        "first_name": "Aigerim",
        "age": 12,
    }


def test_a_wrong_key_is_found_as_soon_as_it_is_entered(office, web_stack):
    office.get_by_label("Your office's key").fill("not-the-office-key")
    office.get_by_role("button", name="Use this key").click()
    expect(office.locator("#key-status")).to_have_text(re.compile(r"This key was not accepted\. Check that it was"))
    expect(office.locator("#key-status")).to_have_attribute("data-kind", "error")
    expect(office.get_by_label("Country")).to_have_text("Use your key first")
    screenshot(office, "upload-wrong-key")
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    expect(office.get_by_label("Country").locator("option[value=KG]")).to_have_count(1)


def test_a_film_of_the_wrong_length_is_refused_before_a_byte_is_sent(office, web_stack, workshop_films):
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    fill_workshop(office)
    too_long, too_short, good = workshop_films["too-long"], workshop_films["too-short"], workshop_films["film-1"]
    sent_bytes: list[str] = []
    office.on("request", lambda request: sent_bytes.append(request.url) if request.method == "PUT" else None)
    created = api_posts(office, web_stack)
    office.get_by_label("Choose the films").set_input_files([str(too_long), str(too_short), str(good)])
    long_row = film_row(office, too_long)
    expect(long_row.locator(".film-check")).to_have_text(
        "This film lasts 5 min. A OneMinutesJr film lasts between 58 and 62 seconds: edit it to the right length, "
        "then choose it again. Nothing was sent."
    )
    expect(film_row(office, too_short).locator(".film-check")).to_contain_text("lasts 10 s")
    expect(long_row.get_by_label("Title (in")).to_be_hidden()  # it needs another file, not details
    fill_film(office, good, "Refusals film", CHILDREN[0])
    office.get_by_role("button", name="Send the films").click()
    expect(film_row(office, good)).to_have_attribute(
        "data-status", re.compile("SENT|UPLOADED|VALIDATING|TRANSCODING|READY"), timeout=PROCESSING_TIMEOUT_MS
    )
    expect(office.locator("#rows-status")).to_contain_text("2 refused before sending")
    assert len(created) == 1 and len(sent_bytes) == 1, "only the good film was sent"
    assert json.loads(created[0].post_data)["filename"] == good.name
    expect(long_row).to_have_attribute("data-status", "REFUSED_HERE")


def test_after_a_reload_a_film_refused_before_sending_still_says_why_and_is_not_asked_for_again(
    office, web_stack, workshop_films
):
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    fill_workshop(office)
    too_long, good = workshop_films["too-long"], workshop_films["film-2"]
    office.get_by_label("Choose the films").set_input_files([str(too_long), str(good)])
    expect(film_row(office, too_long).locator(".film-check")).to_contain_text("This film lasts 5 min.")
    expect(office.locator("#rows-status")).to_have_text("2 films: 1 to send, 1 refused before sending.")
    office.reload()
    expect(office.locator("#key-status")).to_contain_text("Key accepted")  # the rows were checked again
    long_row = film_row(office, too_long)
    expect(long_row.locator(".film-check")).to_contain_text("This film lasts 5 min.")
    expect(long_row.locator(".film-check")).not_to_contain_text("again to send it")
    expect(long_row).to_have_attribute("data-status", "REFUSED_HERE")
    expect(film_row(office, good).locator(".film-check")).to_contain_text(f"Choose {good.name} again")
    expect(office.locator("#rows-status")).to_have_text("2 films: 1 refused before sending, 1 to choose again.")
    office.get_by_role("button", name="Send the films").click()
    expect(office.locator("#send-status")).to_have_text(f"Choose {good.name} again to send it.")


def test_a_film_whose_bytes_all_left_the_page_never_reads_waiting_to_be_sent(office, web_stack, workshop_films):
    def not_yet_noticed(route: Route) -> None:  # the service has not yet noticed the film's arrival
        page = route.fetch().json()
        for item in page["items"]:
            item["status"] = "AWAITING_UPLOAD"
        route.fulfill(json=page, headers={"access-control-allow-origin": "*"})

    office.route(re.compile(r".*/uploads\?limit=.*"), not_yet_noticed)
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    fill_workshop(office)
    film = workshop_films["film-3"]
    office.get_by_label("Choose the films").set_input_files(str(film))
    fill_film(office, film, "Arrival film", CHILDREN[2])
    office.get_by_role("button", name="Send the films").click()
    row = film_row(office, film)
    expect(row).to_have_attribute("data-status", "AWAITING_UPLOAD", timeout=60_000)
    expect(row.locator(".film-outcome")).to_have_text("Sent; waiting for the upload service to receive it.")


def test_a_file_the_browser_cannot_read_is_left_to_the_server_which_says_why_in_plain_words(
    office, web_stack, workshop_films
):
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    fill_workshop(office)
    notes = workshop_films["unplayable"]
    office.get_by_label("Choose the films").set_input_files(str(notes))
    expect(film_row(office, notes).locator(".film-check")).to_contain_text("the server will check it")
    expect(film_row(office, notes).locator(".film-thumb-none")).to_contain_text("No preview")
    fill_film(office, notes, "Workshop notes", CHILDREN[1])
    office.get_by_role("button", name="Send the films").click()
    row = film_row(office, notes)
    expect(row).to_have_attribute("data-status", "REJECTED", timeout=PROCESSING_TIMEOUT_MS)
    expect(row.locator(".film-outcome")).to_contain_text("Refused: ")
    expect(office.locator(".upload-item", has_text="Workshop notes")).to_contain_text("Refused: ")
    assert "/uploads" not in row.inner_text()


def test_a_reload_in_the_middle_continues_without_sending_any_film_twice(office, web_stack, workshop_films):
    films = [workshop_films[f"slow-{n}"] for n in (1, 2, 3)]
    slow = office.context.new_cdp_session(office)  # a workshop's connection: 200 kB/s up
    slow.send("Network.enable")
    slow.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 200_000},
    )
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    fill_workshop(office)
    created = api_posts(office, web_stack)  # heard across the reload
    office.get_by_label("Choose the films").set_input_files([str(film) for film in films])
    for n, (film, child) in enumerate(zip(films, CHILDREN, strict=True)):
        fill_film(office, film, f"Reloaded film {n + 1}", child)
    office.get_by_role("button", name="Send the films").click()
    expect(film_row(office, films[0])).not_to_have_attribute("data-status", "SENDING", timeout=60_000)
    second = film_row(office, films[1]).locator(".film-progress")
    expect(second).to_contain_text(re.compile(r" of .* kB/s"), timeout=60_000)  # speed, then time left
    expect(second).to_contain_text("left")
    held: list[Route] = []  # the key's check answers slowly after the reload: the files are chosen first

    def hold(route: Route) -> None:  # a plain function: Playwright cannot wrap a bound builtin method
        held.append(route)

    office.route("**/uploads/rules", hold)
    office.reload()  # the tab reloads mid-film: the second film's transfer stops

    for n, film in enumerate(films):  # the rows and their details are still there
        expect(film_row(office, film).get_by_label("Title (in")).to_have_value(f"Reloaded film {n + 1}")
    expect(office.get_by_label("Workshop (")).to_have_value("bishkek-2014")
    expect(film_row(office, films[1]).locator(".film-check")).to_contain_text(f"Choose {films[1].name} again")
    office.get_by_label("Choose the films").set_input_files([str(film) for film in films])
    expect(office.locator("#rows-status")).to_contain_text("to send")
    assert held, "the key is being checked"
    for route in held:
        route.continue_()
    office.unroute("**/uploads/rules")
    # Nothing is pressed: with its files chosen again, the sending goes on by itself.
    expect(office.get_by_label("Country")).to_have_value("KG")  # the workshop's country survived it all
    for film in films:
        expect(film_row(office, film)).to_have_attribute("data-status", "READY", timeout=PROCESSING_TIMEOUT_MS)
    assert len(created) == 3, "each film was created once, the one cut by the reload included"
    titles = sorted(item["title"] for item in office_uploads(web_stack) if item.get("title", "").startswith("Reloaded"))
    assert titles == ["Reloaded film 1", "Reloaded film 2", "Reloaded film 3"]


def test_the_upload_page_works_on_a_phone_and_with_the_keyboard(browser, web_stack, workshop_films):
    tab = browser.new_context(**PHONE).new_page()
    tab.goto(f"{web_stack.info['web_url']}/upload.html")
    use_office_key(tab, web_stack.info["api_keys"]["field_office"])
    fill_workshop(tab)
    films = [workshop_films["film-2"], workshop_films["too-long"]]
    tab.get_by_label("Choose the films").set_input_files([str(film) for film in films])
    expect(film_row(tab, films[1]).locator(".film-check")).to_contain_text("lasts 5 min")
    expect(film_row(tab, films[0]).get_by_label("Title (in")).to_be_focused()  # straight to the first film's title
    tab.keyboard.type("Typed on a phone")
    tab.keyboard.press("Tab")
    tab.keyboard.type("Dana")
    tab.keyboard.press("Tab")
    tab.keyboard.type("11")
    tab.keyboard.press("Tab")
    tab.keyboard.press("Space")  # the first topic
    tab.evaluate("() => { window.sent = 0; document.forms['workshop-form'].addEventListener('submit', () => sent++); }")
    tab.keyboard.press("Enter")  # ends the row: never sends, goes to what is left to fill in
    expect(film_row(tab, films[0]).get_by_role("checkbox", name=RECOGNISABLE)).to_be_focused()
    tab.keyboard.press("Space")
    tab.keyboard.press("Enter")  # nothing left to fill in: Send, pressed only as a button
    expect(tab.get_by_role("button", name="Send the films")).to_be_focused()
    assert tab.evaluate("() => window.sent") == 0, "Enter in a field sent the form"
    widths = tab.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    screenshot(tab, "upload-workshop-phone")
    row = film_row(tab, films[0])
    expect(row.get_by_label("Child's first name")).to_have_value("Dana")
    expect(row.get_by_label("Age", exact=True)).to_have_value("11")
    expect(row.locator("input[name=topics]").first).to_be_checked()
    unnamed = tab.evaluate("""() => [...document.querySelectorAll('input, select, button, progress')]
        .filter(e => !e.labels?.length && !e.getAttribute('aria-label') && !e.textContent.trim())
        .map(e => e.outerHTML)""")
    tab.context.close()
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide on a {widths[1]} px screen"
    assert not unnamed, unnamed


def test_the_list_of_uploads_pages_with_its_cursor(office, web_stack):
    key = web_stack.info["api_keys"]["field_office"]
    body = {
        "title": "Listed film",
        "country": "KG",
        "topics": ["violence"],
        "author": {"first_name": "Ali", "age": 13},
        "filename": "listed.mp4",
        "size_bytes": 1000,
        "content_type": "video/mp4",
    }
    for _ in range(21):  # more than a page
        assert (
            requests.post(
                f"{web_stack.info['api_url']}/uploads", json=body, headers={"x-api-key": key}, timeout=10
            ).status_code
            == 201
        )
    total = len(office_uploads(web_stack))
    use_office_key(office, key)
    items = office.locator(".upload-item")
    expect(items).to_have_count(20)
    more = office.get_by_role("button", name="Show older uploads")
    for _ in range(total // 20 + 1):
        if not more.is_visible():
            break
        shown = items.count()
        more.click()
        expect(items).not_to_have_count(shown)
        expect(office.locator("#more")).to_be_enabled()  # the page arrived (the button may now be hidden)
    expect(items).to_have_count(total)
    expect(more).to_be_hidden()
    ids = items.evaluate_all("nodes => nodes.map(n => n.dataset.videoId)")
    assert len(set(ids)) == total


def test_films_dropped_on_the_page_get_their_rows(office, web_stack):
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    office.evaluate("""() => {
        const films = new DataTransfer();
        for (const name of ["dropped-1.mp4", "dropped-2.mov"]) films.items.add(new File(["not a film"], name));
        document.querySelector("h1").dispatchEvent(new DragEvent("drop", {dataTransfer: films, bubbles: true,
                                                                          cancelable: true}));
    }""")
    expect(office.locator(".film-row")).to_have_count(2)
    expect(office.locator("#rows-status")).to_contain_text("2 films")
    assert office.url.endswith("/upload.html"), "the page stays"


# axe-core's rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA (as tests/browser/test_pages.py runs them).
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
HIDDEN_FACES_NOTE = "This child's identity will be hidden: faces blurred. The film takes longer to be ready."


def assert_axe_finds_nothing(tab: Page, where: str) -> None:
    results = Axe().run(tab, options=WCAG_AA)
    assert results.violations_count == 0, f"{where}: {results.generate_report()}"


def test_a_facilitator_hides_one_childs_identity_and_it_is_kept_sent_shown_and_added_to(
    office, web_stack, workshop_films
):
    hidden, plain = workshop_films["film-1"], workshop_films["film-2"]
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    fill_workshop(office)
    details = api_details(office, web_stack)
    office.get_by_label("Choose the films").set_input_files([str(hidden), str(plain)])
    fill_film(office, hidden, "Hidden child's film", CHILDREN[0], protection=None)
    row = film_row(office, hidden)
    faces = row.get_by_role("checkbox", name="Blur faces")  # asked before moving on: the details wait for it
    expect(row.get_by_role("group", name="Hide this child's identity? (answer for each film)")).to_be_visible()
    expect(faces).to_have_accessible_description(re.compile("must not be recognised.*takes longer to be ready"))
    faces.check()
    expect(row.locator(".film-protect-note")).to_have_text(HIDDEN_FACES_NOTE)
    fill_film(office, plain, "Plain film", CHILDREN[1])
    expect(film_row(office, plain).locator(".film-protect-note")).to_be_hidden()
    assert_axe_finds_nothing(office, "upload page with rows")

    office.reload()  # the choice is kept for the tab like the other details of the row, and the films go on
    expect(office.locator("#key-status")).to_contain_text("Key accepted")
    expect(film_row(office, hidden).get_by_role("checkbox", name="Blur faces")).to_be_checked()
    expect(film_row(office, hidden).get_by_role("checkbox", name="Disguise voice")).not_to_be_checked()
    expect(film_row(office, plain).get_by_role("checkbox", name="Blur faces")).not_to_be_checked()
    expect(film_row(office, plain).get_by_role("checkbox", name=RECOGNISABLE)).to_be_checked()
    office.get_by_label("Choose the films").set_input_files([str(hidden), str(plain)])  # for any not all sent
    for film in (hidden, plain):
        expect(film_row(office, film)).to_have_attribute(
            "data-status", re.compile("SENT|UPLOADED|VALIDATING|PROTECTING|TRANSCODING|READY"), timeout=60_000
        )
    asked = {title: body.get("protect_identity") for title, body in last_details(details).items()}
    assert asked == {"Hidden child's film": {"faces": True, "voice": False}, "Plain film": NOT_HIDDEN}
    first_sent = next(body for request in details if (body := json.loads(request.post_data))["title"].startswith("Hid"))
    assert first_sent["protect_identity"] == {"faces": True, "voice": False}, "never completed without it"

    # After sending: the row and the office's list say what was asked.
    expect(row.locator(".film-protect-note")).to_have_text(HIDDEN_FACES_NOTE)
    unfold(row)
    expect(row.get_by_role("checkbox", name="Blur faces")).to_be_disabled()
    listed = office.locator(".upload-item", has_text="Hidden child's film")
    expect(listed.locator(".upload-protect")).to_have_text("Identity protection asked: faces blurred")
    expect(office.locator(".upload-item", has_text="Plain film").locator(".upload-protect")).to_have_count(0)

    # A correction may add to the protection, never take it back (only the editors turn it off). Asked once
    # the film is ready, it has the film made again with it.
    expect(film_row(office, hidden)).to_have_attribute("data-status", "READY", timeout=PROCESSING_TIMEOUT_MS)
    row.get_by_role("button", name="Correct the details").click()
    expect(row.get_by_role("checkbox", name="Blur faces")).to_be_disabled()
    row.get_by_role("checkbox", name="Disguise voice").check()
    row.get_by_role("button", name="Save the corrections").click()
    expect(row.locator(".film-check")).to_have_text("Corrected.")
    expect(listed.locator(".upload-protect")).to_have_text(
        "Identity protection asked: faces blurred and voice disguised"
    )
    expect(row.locator(".film-protect-note")).to_contain_text("faces blurred and voice disguised")
    mine = next(item for item in office_uploads(web_stack) if item.get("title") == "Hidden child's film")
    assert mine["protect_identity"] == {"faces": True, "voice": True}
    screenshot(office, "upload-identity-hidden-desktop")


def test_hiding_a_childs_identity_is_reached_with_the_keyboard_and_fits_a_phone(browser, web_stack, workshop_films):
    tab = browser.new_context(**PHONE).new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(f"{web_stack.info['web_url']}/upload.html")
    use_office_key(tab, web_stack.info["api_keys"]["field_office"])
    film = workshop_films["film-3"]
    tab.get_by_label("Choose the films").set_input_files(str(film))
    row = film_row(tab, film)
    expect(row.get_by_label("Title (in")).to_be_focused()
    last_topic = row.locator("input[name=topics]").last
    expect(last_topic).to_be_visible()
    last_topic.focus()
    tab.keyboard.press("Tab")  # from the topics straight to the choice, "No" first
    expect(row.get_by_role("checkbox", name=RECOGNISABLE)).to_be_focused()
    tab.keyboard.press("Space")
    tab.keyboard.press("Tab")
    faces = row.get_by_role("checkbox", name="Blur faces")
    expect(faces).to_be_focused()
    tab.keyboard.press("Space")  # and hiding takes the "No" back
    expect(row.get_by_role("checkbox", name=RECOGNISABLE)).not_to_be_checked()
    tab.keyboard.press("Tab")
    expect(row.get_by_role("checkbox", name="Disguise voice")).to_be_focused()
    tab.keyboard.press("Space")
    expect(faces).to_be_checked()
    expect(row.locator(".film-protect-note")).to_contain_text("faces blurred and voice disguised")
    widths = tab.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    box = row.locator(".film-protect label.check").first.bounding_box()
    row_width = (row.bounding_box() or {"width": 0})["width"]
    screenshot(tab, "upload-identity-hidden-phone")
    assert_axe_finds_nothing(tab, "upload page on a phone")
    tab.context.close()
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide on a {widths[1]} px screen"
    assert box and box["height"] >= 24, f"the choice is {box} on a phone: too small to touch"
    assert row_width >= 0.85 * widths[1], f"a film's row is {row_width} px wide on a {widths[1]} px screen"
    assert not errors, errors


def throttle(tab: Page, up_bytes_per_s: int, latency_ms: int = 20) -> None:
    """A workshop's connection, through the browser's own network emulation (CDP)."""
    cdp = tab.context.new_cdp_session(tab)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": up_bytes_per_s},
    )


def test_every_mistake_shows_at_once_by_film_each_linking_to_its_field(office, web_stack, workshop_films):
    films = [workshop_films[f"film-{n}"] for n in (1, 2, 3)]
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    fill_workshop(office)
    workshop = office.get_by_label("Workshop (")
    workshop.fill("12 Nizami street")  # checked as it is typed
    expect(office.locator("#workshop-error")).to_have_text(
        "“12 Nizami street”: Small letters, digits and dashes, such as baku-2012."
    )
    expect(workshop).to_have_attribute("aria-invalid", "true")
    office.get_by_label("Choose the films").set_input_files([str(film) for film in films])
    fill_film(office, films[0], "No name given", ("", 12))
    surname = film_row(office, films[1]).get_by_label("Child's first name")
    surname.fill("Dana Aliyeva")  # a surname: said as it is typed
    expect(film_row(office, films[1]).locator(".field-error").filter(has_text="Aliyeva")).to_have_text(
        "“Dana Aliyeva”: The first name only: one word, no surname."
    )
    fill_film(office, films[1], "Too young", ("Dana", 4))
    expect(film_row(office, films[1]).locator(".field-error").filter(has_text="Aliyeva")).to_have_count(0)
    expect(film_row(office, films[1]).locator(".field-error").filter(has_text="4 is")).to_have_text(
        "4 is not an age the project takes: a whole number of years from 5 to 25."
    )
    fill_film(office, films[2], "", ("Emil", 13), protection=None)
    details = api_details(office, web_stack)
    answers: list[int] = []
    office.on("response", lambda response: answers.append(response.status) if response.request in details else None)

    send = office.get_by_role("button", name="Send the films")
    send.click()  # one press shows everything; no film reaches the editors with a mistake
    mistakes = office.locator("#mistakes")
    expect(mistakes).to_be_focused()
    expect(mistakes.get_by_role("heading")).to_have_text("5 things to fix before sending, in 4 places")
    by_film = mistakes.locator(":scope > ul > li")
    expect(by_film).to_have_count(4)
    expect(by_film.nth(0)).to_contain_text("The workshop")
    expect(by_film.nth(1)).to_contain_text(f"{films[0].name}Child's first name: Empty: write the child's first name.")
    expect(by_film.nth(2)).to_contain_text("Age: 4 is not an age the project takes")
    expect(by_film.nth(3)).to_contain_text("Title: Empty: write the film's title.")
    expect(by_film.nth(3)).to_contain_text(  # never taken from a box left empty
        "Hide this child's identity?: Answer for this child: “No, this child may be recognised”, or “Blur faces”"
    )
    assert_axe_finds_nothing(office, "upload page listing its mistakes")
    screenshot(office, "upload-mistakes-desktop")

    mistakes.get_by_role("link", name="Age").click()  # each mistake leads to its field
    age = film_row(office, films[1]).get_by_label("Age", exact=True)
    expect(age).to_be_focused()
    age.fill("11")
    expect(by_film).to_have_count(3)  # the list follows the fixes
    mistakes.get_by_role("link", name="Workshop").click()
    expect(workshop).to_be_focused()
    workshop.fill("bishkek-2014")
    mistakes.get_by_role("link", name="Child's first name").click()
    # Typed only once the link has moved the focus: on a busy machine the keys can outrun the click's focus.
    expect(film_row(office, films[0]).get_by_label("Child's first name")).to_be_focused()
    office.keyboard.type("Ali")
    mistakes.get_by_role("link", name="Hide this child's identity?").click()
    expect(film_row(office, films[2]).get_by_role("checkbox", name=RECOGNISABLE)).to_be_focused()
    office.keyboard.press("Space")  # answered: it leaves the list
    expect(mistakes.get_by_role("link", name="Hide this child's identity?")).to_have_count(0)
    mistakes.get_by_role("link", name="Title").click()
    expect(film_row(office, films[2]).get_by_label("Title (in")).to_be_focused()
    office.keyboard.type("A title at last")
    expect(mistakes).to_be_hidden()
    send.click()
    for film in films:
        expect(film_row(office, film)).to_have_attribute(
            "data-status", re.compile("SENT|UPLOADED|VALIDATING|TRANSCODING|READY"), timeout=PROCESSING_TIMEOUT_MS
        )
    sent = last_details(details)
    assert sorted(sent) == ["A title at last", "No name given", "Too young"]
    assert sent["Too young"]["author"] == {"first_name": "Dana", "age": 11}
    assert sent["A title at last"]["workshop"] == "bishkek-2014"
    assert sent["A title at last"]["protect_identity"] == NOT_HIDDEN
    assert sent["No name given"]["author"] == {"first_name": "Ali", "age": 12}
    assert answers and set(answers) == {200}, "no detail with a mistake was ever sent"


def test_a_dropped_connection_resumes_by_itself_under_one_bar_that_ends_with_a_summary(
    office, web_stack, workshop_films
):
    films = [workshop_films[f"slow-{n}"] for n in (1, 2, 3)]
    refused = [workshop_films["too-long"], workshop_films["not-a-film"]]
    throttle(office, 100_000)
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    fill_workshop(office)
    created = api_posts(office, web_stack)
    office.get_by_label("Choose the films").set_input_files([str(film) for film in films + refused])
    expect(film_row(office, refused[1]).locator(".film-check")).to_contain_text("not a film")
    for n, (film, child) in enumerate(zip(films, CHILDREN, strict=True)):
        fill_film(office, film, f"Resumed film {n + 1}", child)
    office.get_by_role("button", name="Send the films").click()
    workshop_bar = office.locator("#workshop-bar")
    expect(workshop_bar).to_contain_text(re.compile(r"1 of 3 films sent · .* of .* left"), timeout=120_000)
    assert workshop_bar.evaluate("bar => getComputedStyle(bar).position") == "sticky"

    office.context.set_offline(True)  # the link drops in the middle of the second film
    expect(workshop_bar).to_contain_text("The connection is lost: 1 of 3 films sent. Sending continues by itself")
    expect(workshop_bar).to_have_attribute("data-kind", "error")
    screenshot(office, "upload-offline-desktop")
    office.context.set_offline(False)  # and comes back: nothing is pressed
    expect(workshop_bar).to_contain_text(re.compile(r"[23] of 3 films sent"), timeout=120_000)
    for film in films:
        expect(film_row(office, film)).to_have_attribute("data-status", "READY", timeout=PROCESSING_TIMEOUT_MS)
    expect(workshop_bar.locator(".workshop-bar-text")).to_have_text("3 ready, 2 refused:")
    reasons = workshop_bar.locator(".workshop-bar-why li")
    expect(reasons).to_have_count(2)
    expect(reasons.nth(0)).to_contain_text("too-long.mp4: This film lasts 5 min.")
    expect(reasons.nth(1)).to_contain_text("notes.mp4: This file holds text")
    assert len(created) == 3, "each film was created once, the resumed one included"
    titles = sorted(item["title"] for item in office_uploads(web_stack) if item.get("title", "").startswith("Resumed"))
    assert titles == ["Resumed film 1", "Resumed film 2", "Resumed film 3"]


def test_rows_show_the_film_share_details_fold_when_complete_and_refuse_text_at_once(office, web_stack, workshop_films):
    films = [workshop_films["film-1"], workshop_films["film-2"], workshop_films["unplayable"]]
    notes = workshop_films["not-a-film"]
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    fill_workshop(office)
    office.get_by_label("Choose the films").set_input_files([str(film) for film in [*films, notes]])
    # 51 bytes of text renamed .mp4: refused at once, its size told as it is, before any detail is asked
    expect(film_row(office, notes).locator(".film-check")).to_have_text(
        "This file holds text (51 bytes), not a film: it was renamed, or saved from the wrong program. "
        "Choose the film itself. Nothing was sent."
    )
    expect(film_row(office, notes)).to_have_attribute("data-status", "REFUSED_HERE")
    # a picture of the film from the local file, which plays; a placeholder where the browser cannot
    thumb = film_row(office, films[0]).get_by_label(f"Preview of {films[0].name}")
    expect(thumb).to_be_visible()
    office.wait_for_function(
        "name => document.querySelector(`video[aria-label='Preview of ${name}']`).readyState >= 2", arg=films[0].name
    )
    thumb.evaluate("video => video.play()")
    office.wait_for_function(
        "name => document.querySelector(`video[aria-label='Preview of ${name}']`).currentTime > 1.5",
        arg=films[0].name,
    )
    expect(film_row(office, films[2]).locator(".film-thumb-none")).to_have_text(
        "No preview: this browser cannot play this film. Its length is measured once it is sent."
    )

    # topics and protection for every film at once; "No" only where a film has no answer yet
    # By the keyboard: at this scroll the workshop's sticky bar lies over the box, and a click would land on the bar.
    film_row(office, films[0]).get_by_role("checkbox", name="Disguise voice").focus()
    office.keyboard.press("Space")
    office.get_by_label("Select all the films").check()
    shared = office.locator("#bulk")
    shared.get_by_role("checkbox", name="Violence").check()
    shared.get_by_role("checkbox", name="No, may be recognised").check()
    shared.get_by_role("button", name="Apply to the selected films").click()
    expect(shared.get_by_role("status")).to_have_text("Applied to 3 films (“No” only where a film had no answer yet).")
    expect(film_row(office, films[0]).get_by_role("checkbox", name="Disguise voice")).to_be_checked()
    expect(film_row(office, films[0]).get_by_role("checkbox", name=RECOGNISABLE)).not_to_be_checked()
    for film in films[1:]:
        expect(film_row(office, film).get_by_role("checkbox", name=RECOGNISABLE)).to_be_checked()
    shared.get_by_role("checkbox", name="Blur faces").check()  # and hiding is added to every film
    expect(shared.get_by_role("checkbox", name="No, may be recognised")).not_to_be_checked()
    shared.get_by_role("button", name="Apply to the selected films").click()
    for film in films:
        row = film_row(office, film)
        expect(row.get_by_role("checkbox", name="Violence")).to_be_checked()
        expect(row.get_by_role("checkbox", name="Blur faces")).to_be_checked()
        expect(row.get_by_role("checkbox", name=RECOGNISABLE)).not_to_be_checked()
        expect(row.get_by_role("checkbox", name="HIV and AIDS")).not_to_be_checked()
    expect(film_row(office, notes).get_by_label(f"Select {notes.name}")).to_be_disabled()

    # a row folds once its details are complete and the facilitator moves on
    first = film_row(office, films[0])
    first.get_by_label("Title (in").fill("Our street")
    first.get_by_label("Child's first name").fill("Aigerim")
    first.get_by_label("Age", exact=True).fill("12")
    expect(first.locator("details.film-details")).to_have_attribute("open", "")
    film_row(office, films[1]).get_by_label("Title (in").click()
    expect(first.locator("details.film-details")).not_to_have_attribute("open", "")
    expect(first.locator("summary")).to_have_text(
        "Details complete: “Our street”, Aigerim, 12; Violence; hidden: faces blurred and voice disguised"
    )
    expect(first.get_by_label("Title (in")).to_be_hidden()
    screenshot(office, "upload-rows-desktop")
    assert_axe_finds_nothing(office, "upload page with previews and shared details")
    first.locator("summary").click()  # and opens again
    expect(first.get_by_label("Title (in")).to_have_value("Our street")


def test_a_film_taken_down_by_the_editors_says_so_and_the_list_keeps_loading(office, web_stack, workshop_films):
    film = workshop_films["film-2"]
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    fill_workshop(office)
    office.get_by_label("Choose the films").set_input_files(str(film))
    fill_film(office, film, "Taken down film", CHILDREN[1])
    office.get_by_role("button", name="Send the films").click()
    row = film_row(office, film)
    expect(row).to_have_attribute("data-status", "READY", timeout=PROCESSING_TIMEOUT_MS)
    video_id = office.locator(".upload-item", has_text="Taken down film").get_attribute("data-video-id")
    taken = requests.delete(
        f"{web_stack.info['api_url']}/videos/{video_id}",
        headers={"x-api-key": web_stack.info["api_keys"]["editor"]},
        timeout=30,
    )
    assert taken.status_code in (200, 202, 204), taken.text

    office.get_by_role("button", name="Refresh").click()
    expect(row).to_have_attribute("data-status", "REMOVED")
    expect(row.locator(".film-outcome")).to_have_text("No longer available: removed by the editors.")
    # The list loaded (with the office's other films, or none when this was its only one).
    expect(office.locator("#list-status")).to_have_text(re.compile("shown, newest first|No uploads yet"))
    expect(office.locator(".upload-item", has_text="Taken down film")).to_have_count(0)

    office.reload()  # the row waits for news no more
    expect(row).to_have_attribute("data-status", "REMOVED")
    expect(row.locator(".film-outcome")).to_have_text("No longer available: removed by the editors.")
    # The list loaded (with the office's other films, or none when this was its only one).
    expect(office.locator("#list-status")).to_have_text(re.compile("shown, newest first|No uploads yet"))


def test_a_detail_the_api_refuses_joins_the_list_of_mistakes_at_its_field(office, web_stack, workshop_films):
    film = workshop_films["film-3"]
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    office.get_by_label("Country").select_option("KG")  # no workshop name: only the title can hold it
    office.get_by_label("Choose the films").set_input_files(str(film))
    details = api_details(office, web_stack)
    fill_film(office, film, "Leyla at 12 Nizami street", CHILDREN[0])
    office.get_by_role("button", name="Send the films").click()
    row = film_row(office, film)
    expect(row.locator(".film-check")).to_have_text(
        "The upload service refused a detail (see the list of things to fix)."
    )
    mistakes = office.locator("#mistakes")
    expect(mistakes).to_contain_text(f"{film.name}Title: The title seems to hold a street address")
    expect(mistakes).not_to_contain_text("The workshop")
    mistakes.get_by_role("link", name="Title").click()
    expect(row.get_by_label("Title (in")).to_be_focused()
    office.keyboard.press("ControlOrMeta+a")
    office.keyboard.type("Leyla's street")
    expect(mistakes).to_be_hidden()
    office.get_by_role("button", name="Send the films").click()
    expect(row).to_have_attribute(
        "data-status", re.compile("SENT|UPLOADED|VALIDATING|TRANSCODING|READY"), timeout=PROCESSING_TIMEOUT_MS
    )
    assert [json.loads(request.post_data)["title"] for request in details] == [
        "Leyla at 12 Nizami street",
        "Leyla's street",
    ]


def details_held_while(
    office: Page, web_stack: RunningStack, film: Path, fill: Callable[[], None]
) -> Callable[[], None]:
    """The film's details sent by Send after `fill`, held on their way to the API; what lets them go."""
    held: list[Route] = []
    pattern = f"{web_stack.info['api_url']}/uploads/*"

    def hold(route: Route) -> None:
        if route.request.method == "PATCH" and not held:
            held.append(route)
        else:
            route.continue_()

    office.route(pattern, hold)
    fill()
    office.get_by_role("button", name="Send the films").click()
    for _ in range(600):
        if held:
            break
        office.wait_for_timeout(100)
    assert held, f"the details of {film.name} went"

    def let_go() -> None:
        held[0].continue_()
        office.unroute(pattern, hold)

    return let_go


def test_an_answer_changed_while_the_details_go_is_sent_too_and_hiding_is_never_taken_back(
    office, web_stack, workshop_films
):
    added, kept = workshop_films["film-1"], workshop_films["film-2"]
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    fill_workshop(office)
    office.get_by_label("Choose the films").set_input_files([str(added), str(kept)])
    for film in (added, kept):  # sent first: only the details are left to go
        expect(film_row(office, film)).to_have_attribute("data-status", "DRAFT", timeout=PROCESSING_TIMEOUT_MS)
    # Processed too: the answers below land on films that are ready.
    processing = {"UPLOADED", "VALIDATING", "PROTECTING", "TRANSCODING"}
    for _ in range(PROCESSING_TIMEOUT_MS // 500):
        if not [item for item in office_uploads(web_stack) if item.get("draft") and item["status"] in processing]:
            break
        office.wait_for_timeout(500)
    details = api_details(office, web_stack)

    # A child found to need hiding just as the "No" went: the hiding goes too.
    let_go = details_held_while(
        office, web_stack, added, lambda: fill_film(office, added, "Hidden after all", CHILDREN[0])
    )
    unfold(film_row(office, added))
    film_row(office, added).get_by_role("checkbox", name="Blur faces").focus()
    office.keyboard.press("Space")
    let_go()
    listed = office.locator(".upload-item", has_text="Hidden after all")
    expect(listed.locator(".upload-protect")).to_have_text(
        "Identity protection asked: faces blurred", timeout=PROCESSING_TIMEOUT_MS
    )

    # A "No" ticked by mistake as the hiding went: the hiding stays (only the editors take it off).
    let_go = details_held_while(
        office,
        web_stack,
        kept,
        lambda: fill_film(office, kept, "Hidden from the start", CHILDREN[1], ("Violence",), ("Blur faces",)),
    )
    row = film_row(office, kept)
    unfold(row)
    row.get_by_role("checkbox", name=RECOGNISABLE).focus()
    office.keyboard.press("Space")
    let_go()
    expect(row).to_have_attribute("data-status", re.compile("SENT|UPLOADED|VALIDATING|PROTECTING|TRANSCODING|READY"))
    expect(row.get_by_role("checkbox", name="Blur faces")).to_be_checked()
    expect(row.get_by_role("checkbox", name=RECOGNISABLE)).not_to_be_checked()
    listed = office.locator(".upload-item", has_text="Hidden from the start")
    expect(listed.locator(".upload-protect")).to_have_text(
        "Identity protection asked: faces blurred", timeout=PROCESSING_TIMEOUT_MS
    )

    sent = [json.loads(request.post_data) for request in details]
    later = [body["protect_identity"] for body in sent if body["title"] == "Hidden after all"]
    assert later[0] == NOT_HIDDEN and later[-1] == {"faces": True, "voice": False}, later
    mine = {item.get("title"): item.get("protect_identity") for item in office_uploads(web_stack)}
    assert mine["Hidden after all"] == mine["Hidden from the start"] == {"faces": True, "voice": False}


def wait_for(office: Page, what: str, holds: Callable[[], bool]) -> None:
    """Until `holds()`, for at most a minute of the page's time."""
    for _ in range(600):
        if holds():
            return
        office.wait_for_timeout(100)
    raise AssertionError(f"never: {what}")


def test_hiding_ticked_after_the_details_went_is_saved_before_the_film_is_done_even_across_a_reload(
    office, web_stack, workshop_films
):
    late, reloaded = workshop_films["film-3"], workshop_films["slow-1"]
    api = web_stack.info["api_url"]
    use_office_key(office, web_stack.info["api_keys"]["field_office"])
    fill_workshop(office)

    # Ticked once the "No" went, while the film's last bytes are still on their way.
    joins: list[Route] = []

    def hold_join(route: Route) -> None:  # a plain function: Playwright cannot wrap a bound builtin method
        joins.append(route)

    office.route(f"{api}/uploads/*/complete", hold_join)
    office.get_by_label("Choose the films").set_input_files(str(late))
    fill_film(office, late, "Hidden while its bytes went", CHILDREN[2])
    office.get_by_role("button", name="Send the films").click()
    row = film_row(office, late)
    expect(row.locator(".film-check")).to_have_text(
        "Details complete: the film goes to the editors once every byte has arrived.", timeout=60_000
    )
    wait_for(office, "the last bytes are held", lambda: bool(joins))
    unfold(row)
    row.get_by_role("checkbox", name="Blur faces").focus()
    office.keyboard.press("Space")
    row.get_by_label("Age", exact=True).fill("")  # and the row made invalid meanwhile: the hiding goes all the same
    joins[0].continue_()
    office.unroute(f"{api}/uploads/*/complete")

    def asked_of(title: str) -> Any:
        return next(
            (item.get("protect_identity") for item in office_uploads(web_stack) if item.get("title") == title), None
        )

    wait_for(office, "the hiding saved alone", lambda: asked_of("Hidden while its bytes went") == BLURRED)
    row.get_by_label("Age", exact=True).fill(str(CHILDREN[2][1]))
    office.get_by_role("button", name="Send the films").focus()  # the row left: its details go again
    listed = office.locator(".upload-item", has_text="Hidden while its bytes went")
    expect(listed.locator(".upload-protect")).to_have_text(
        "Identity protection asked: faces blurred", timeout=PROCESSING_TIMEOUT_MS
    )
    expect(row).to_have_attribute("data-status", re.compile("SENT|PROTECTING|TRANSCODING|READY"), timeout=60_000)
    expect(row.get_by_role("checkbox", name="Blur faces")).to_be_checked()

    # Ticked as the "No" went, and the page reloaded while the hiding was being saved.
    office.get_by_label("Choose the films").set_input_files(str(reloaded))
    second = film_row(office, reloaded)
    expect(second).to_have_attribute("data-status", "DRAFT", timeout=PROCESSING_TIMEOUT_MS)
    patches: list[Route] = []
    office.route(
        f"{api}/uploads/*",
        lambda route: patches.append(route) if route.request.method == "PATCH" else route.continue_(),
    )
    fill_film(office, reloaded, "Hidden across a reload", CHILDREN[0])
    office.get_by_role("button", name="Send the films").click()
    wait_for(office, "the details went", lambda: len(patches) == 1)
    unfold(second)
    second.get_by_role("checkbox", name="Blur faces").focus()
    office.keyboard.press("Space")
    patches[0].continue_()
    wait_for(office, "the hiding is being saved", lambda: len(patches) == 2)
    office.unroute_all(behavior="ignoreErrors")
    office.reload()
    expect(office.locator("#key-status")).to_contain_text("Key accepted")
    expect(second.get_by_role("checkbox", name="Blur faces")).to_be_checked()
    listed = office.locator(".upload-item", has_text="Hidden across a reload")
    expect(listed.locator(".upload-protect")).to_have_text(
        "Identity protection asked: faces blurred", timeout=PROCESSING_TIMEOUT_MS
    )
    expect(second.get_by_role("checkbox", name="Blur faces")).to_be_checked()
    expect(second.get_by_role("checkbox", name=RECOGNISABLE)).not_to_be_checked()
    mine = {item.get("title"): item.get("protect_identity") for item in office_uploads(web_stack)}
    assert mine["Hidden while its bytes went"] == mine["Hidden across a reload"] == {"faces": True, "voice": False}
