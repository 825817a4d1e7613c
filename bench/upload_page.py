"""The upload page as a scripted facilitator meets it: issue 26's protocol, scaled to this machine.

A workshop's files (good films, a 3-minute film, a text file renamed .mp4) go through the page in
Chromium on a throttled link (CDP: 2 Mbit/s down, 1 Mbit/s up, 300 ms), with the protocol's five
mistakes (a missing first name, an age of 4, a wrong topic, an empty title, a workshop name with a
street address) and a reload midway. The facilitator is a script that does what the page needs, and
counts it: every click (one that focuses a field included; a drop-down is two, the file dialog two),
every typed field, every press of Send. A person is slower than a script: each click waits CLICK_S and
each typed field FIELD_S, so typing and sending overlap only where the page lets them.

A page without drafts (items 2-6 of issue 26 only: every mistake listed at once, checks as typed, one topic
for all, resumes by itself) sends nothing until every row is complete and valid; a page with drafts (it has
the note `#drafts-note`) sends each film as soon as it is chosen, and its details once the facilitator has
typed them. On both the reload comes while the middle film is sending, whatever is being typed then. Where
the page asks whether each child may be recognised, the facilitator answers "No" for all with the topic.

`--page before` serves the page of commit `--before-ref` (its web/ files from git, routed in place of this
tree's); `--page after` is this tree's. Each run starts its own stack (`python -m local`, no demo films).

    .venv/bin/python -m bench.upload_page --page before --before-ref main
    .venv/bin/python -m bench.upload_page --page after
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Locator, Page, Route, expect, sync_playwright

from local.clips import make_clip
from local.resources import ROOT
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.conftest import RunningStack

DOWN, UP, LATENCY_MS = 250_000, 125_000, 300  # 2 Mbit/s, 1 Mbit/s, in bytes per second
CLICK_S, FIELD_S = 1.0, 3.0
NOISY = ("-vf", "noise=alls=40:allf=t", "-b:v", "120k", "-maxrate", "120k", "-bufsize", "240k")
SENT = re.compile("SENT|AWAITING_UPLOAD|UPLOADED|VALIDATING|PROTECTING|TRANSCODING|READY|REJECTED|FAILED")
WAIT_MS = 900_000
# A page fulfilled by a route has no address, so Chromium refuses its calls to the loopback API; both
# runs are launched alike.
OPEN = "--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessChecks"


def workshop_files(folder: Path, films: int) -> tuple[list[Path], Path, Path]:
    good = [
        make_clip(folder / f"VID_2024051{n}_101500.mp4", 60, width=240, height=180, fps=5, extra_args=NOISY)
        for n in range(films)
    ]
    long = make_clip(folder / "VID_20240513_120000.mp4", 180, width=160, height=120, fps=1, audio=False)
    text = folder / "VID_20240513_130000.mp4"
    text.write_text("These are the workshop notes, not a film, renamed.\n")  # 54 bytes
    return good, long, text


@dataclass
class Facilitator:
    """Does what the page asks, as slowly as a person, and counts it."""

    tab: Page
    clicks: int = 0
    typed: int = 0
    sends: int = 0
    log: list[str] = field(default_factory=list)

    def click(self, target: Locator, times: int = 1) -> None:
        target.click()
        self.clicks += times
        self.tab.wait_for_timeout(CLICK_S * 1000 * times)

    def type(self, target: Locator, text: str, focused: bool = False) -> None:
        """A field: a click to focus it (unless the page already did), then the text."""
        if not focused:
            self.click(target)
        target.fill(text)
        self.typed += 1
        self.tab.wait_for_timeout(FIELD_S * 1000)

    def choose(self, files: list[Path]) -> None:
        self.tab.get_by_label("Choose the films").set_input_files([str(f) for f in files])
        self.clicks += 2  # the button and the dialog's Open
        self.tab.wait_for_timeout(CLICK_S * 2000)

    def select(self, target: Locator, value: str) -> None:
        target.select_option(value)
        self.clicks += 2
        self.tab.wait_for_timeout(CLICK_S * 2000)

    def send(self) -> None:
        self.sends += 1
        self.click(self.tab.get_by_role("button", name="Send the films"))


def row(tab: Page, film: Path) -> Locator:
    return tab.locator(".film-row", has=tab.locator("legend", has_text=film.name))


def serve_earlier_page(tab: Page, web_url: str, ref: str) -> None:
    """The upload page and its assets as commit `ref` had them, in place of this tree's (config.js stays the
    stack's)."""
    names = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", ref, "web/"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()

    def from_main(route: Route) -> None:
        path = "web" + route.request.url.removeprefix(web_url).split("?")[0]
        if path not in names:
            route.continue_()
            return
        body = subprocess.run(["git", "show", f"{ref}:{path}"], cwd=ROOT, capture_output=True, check=True).stdout
        kind = {"js": "text/javascript", "css": "text/css", "html": "text/html", "svg": "image/svg+xml"}
        route.fulfill(body=body, content_type=kind[path.rsplit(".", 1)[1]])

    tab.route(f"{web_url}/**", from_main)


def fill_details(
    person: Facilitator, tab: Page, films: list[Path], between: Callable[[], object] = lambda: None
) -> None:
    """Each film's details with the protocol's mistakes: film 0 has no first name, film 1 an age of 4
    (said as it is typed: fixed at once to 11), film 2 the wrong topic, film 3 no title; one topic for all
    by "Apply to the selected films". `between` runs after each film."""
    person.click(tab.get_by_label("Select all the films"))
    person.click(tab.locator("#bulk").get_by_role("checkbox", name="Violence"))
    recognisable = tab.locator("#bulk").get_by_role("checkbox", name="No, may be recognised")
    if recognisable.count():  # a page that asks whether each child may be recognised: none is hidden here
        person.click(recognisable)
    person.click(tab.get_by_role("button", name="Apply to the selected films"))
    for n, film in enumerate(films):
        here = row(tab, film)
        if not here.get_by_label("Title (in").is_visible():
            person.click(here.locator("summary"))
        if n != 3:
            person.type(here.get_by_label("Title (in"), f"Our film {n + 1}")
        if n != 0:
            person.type(here.get_by_label("Child's first name"), f"Child{chr(65 + n)}")
        age = here.get_by_label("Age", exact=True)
        person.type(age, "4" if n == 1 else "12")
        if n == 1 and tab.locator(f"#{age.get_attribute('id')}-error").is_visible():
            person.type(age, "11", focused=True)
        if n == 2:  # noticed on reading the row again: HIV and AIDS, not Violence
            person.click(here.get_by_role("checkbox", name="Violence"))
            person.click(here.get_by_role("checkbox", name="HIV and AIDS"))
        between()


def fix_listed_mistakes(person: Facilitator, tab: Page) -> None:
    """One press of Send lists every mistake: a click on each link, then the field."""
    right = {"workshop": "bishkek-2014", "first_name": "Aida", "age": "11", "title": "Our film 4"}
    person.send()
    while tab.locator("#mistakes a").count():
        link = tab.locator("#mistakes a").first
        name = (link.get_attribute("href") or "").lstrip("#")
        field_name = tab.locator(f"#{name}").get_attribute("name") or ""
        person.click(link)
        person.type(tab.locator(f"#{name}"), right[field_name], focused=True)


def reload_when_sending(person: Facilitator, tab: Page, films: list[Path], files: list[Path]) -> Callable[[], bool]:
    """The reload, once, as soon as the middle film (or a later one, if it went by meanwhile) is sending;
    then the files are chosen again. True once done."""
    done = False

    def check() -> bool:
        nonlocal done
        if done or not any(row(tab, f).get_attribute("data-status") == "SENDING" for f in films[len(films) // 2 :]):
            return done
        done = True
        tab.reload()
        expect(tab.locator("#key-status")).to_contain_text("Key accepted", timeout=60_000)
        person.choose(files)
        return True

    return check


def facilitate(person: Facilitator, tab: Page, good: list[Path], files: list[Path], drafts: bool) -> float:
    """The films' details, the fixes and the reload as each page lets them; the time sending started."""
    reload = reload_when_sending(person, tab, good, files)
    if drafts:  # the films go as they are chosen; the details follow, through the reload
        first_byte = time.monotonic()
        fill_details(person, tab, good, between=reload)
        fix_listed_mistakes(person, tab)
        wait_for_reload(tab, good, reload)
        return first_byte
    # main's page: nothing goes until every row is valid; after the reload the sending resumes by itself
    fill_details(person, tab, good)
    fix_listed_mistakes(person, tab)
    person.send()
    expect(tab.locator("#send-status")).to_contain_text("Sending film", timeout=30_000)
    first_byte = time.monotonic()
    wait_for_reload(tab, good, reload)
    return first_byte


def wait_for_reload(tab: Page, films: list[Path], reload: Callable[[], bool]) -> None:
    """Until the reload is done, or every film from the middle on went by (said: the run had none)."""
    while not reload():
        statuses = [row(tab, film).get_attribute("data-status") for film in films[len(films) // 2 :]]
        if all(status not in (None, "", "SENDING") for status in statuses):
            print("no reload: the films from the middle on were all sent before it could come", flush=True)
            return
        tab.wait_for_timeout(200)


def run(page: str, films: int, before_ref: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        good, long, text = workshop_files(Path(scratch), films)
        (Path(scratch) / "stack").mkdir()
        stack = RunningStack(Path(scratch) / "stack", samples=False)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_ARGS, OPEN])
        try:
            tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            tab.on("console", lambda message: print(f"page: {message.text}", flush=True))
            if page == "before":
                serve_earlier_page(tab, stack.info["web_url"], before_ref)
            cdp = tab.context.new_cdp_session(tab)
            cdp.send("Network.enable")
            conditions = {"offline": False, "latency": LATENCY_MS, "downloadThroughput": DOWN, "uploadThroughput": UP}
            cdp.send("Network.emulateNetworkConditions", conditions)
            tab.goto(f"{stack.info['web_url']}/upload.html")
            drafts = tab.locator("#drafts-note").count() > 0
            person = Facilitator(tab)
            started = time.monotonic()
            person.type(tab.get_by_label("Your office's key"), stack.info["api_keys"]["field_office"])
            person.click(tab.get_by_role("button", name="Use this key"))
            expect(tab.locator("#key-status")).to_contain_text("Key accepted", timeout=60_000)
            person.select(tab.get_by_label("Country"), "KG")
            person.type(tab.get_by_label("Language of the films"), "ky")
            workshop = tab.get_by_label("Workshop (")
            person.type(workshop, "12 Nizami street")
            if tab.locator("#workshop-error").is_visible():
                person.type(workshop, "bishkek-2014", focused=True)  # said as it was typed: fixed at once
            files = [*good, long, text]
            person.choose(files)
            expect(row(tab, text).locator(".film-check")).not_to_be_empty(timeout=60_000)
            expect(row(tab, long).locator(".film-check")).to_contain_text("lasts", timeout=60_000)
            first_byte = facilitate(person, tab, good, files, drafts)
            for film in good:
                expect(row(tab, film)).to_have_attribute("data-status", SENT, timeout=WAIT_MS)
            elapsed = time.monotonic() - started  # the reload's time to choose the files again included
            sent_bytes = sum(film.stat().st_size for film in good)
            return {
                "clicks": person.clicks,
                "typed fields": person.typed,
                "presses of Send": person.sends,
                "minutes until the last film is sent": elapsed / 60,
                "minutes from the start of sending to the last film sent": (time.monotonic() - first_byte) / 60,
                "minutes of the bytes' own transfer": sent_bytes / UP / 60,
                "MB sent": sent_bytes / 1e6,
            }
        finally:
            browser.close()
            stack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--page", choices=("before", "after"), required=True)
    parser.add_argument("--films", type=int, default=6, help="good films (the protocol has 15)")
    parser.add_argument("--before-ref", default="main", help="the commit whose page `--page before` serves")
    args = parser.parse_args()
    for name, value in run(args.page, args.films, args.before_ref).items():
        print(f"{args.page}: {name}: {value:.1f}" if isinstance(value, float) else f"{args.page}: {name}: {value}")


if __name__ == "__main__":
    main()
