"""Clicks to publish a workshop's consented films on the editor page, before and after bulk decisions (issue 27).

Ten films of one workshop await review with their consent recorded, two of them flagged sensitive (written
straight into the stack's catalog: tests/browser/review_films.py). A scripted editor types the key and publishes
all ten, counting every click (one that ticks a box included) and every typed field; the run ends when the API
lists the ten as published.

- `--page before` serves main's editor page (its web/ files from git, routed in place of this tree's): each film
  from its own panel, Publish… then Yes (a sensitive film's "Safeguarding checked" ticked first).
- `--page after` is this tree's: "Publish all consented…" and its one confirmation for the eight, then each
  sensitive film apart, its safeguarding box ticked and its own Publish.

Each run starts its own stack (`python -m local`, no demo films).

    .venv/bin/python -m bench.editor_page --page before
    .venv/bin/python -m bench.editor_page --page after
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass
from pathlib import Path

import requests
from playwright.sync_api import Locator, Page, expect, sync_playwright

from bench.upload_page import OPEN, serve_main_page
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.review_films import ReviewFilm, write_review_films
from tests.e2e.conftest import RunningStack

FILMS = [
    *(ReviewFilm(f"Film {number}", "Nino", 10 + number) for number in range(1, 9)),
    ReviewFilm("Sensitive one", "Tamar", 14, sensitive=True),
    ReviewFilm("Sensitive two", "Levan", 15, sensitive=True),
]
WAIT_MS = 60_000


@dataclass
class Editor:
    """Does what the page asks and counts it."""

    tab: Page
    clicks: int = 0
    typed: int = 0

    def click(self, target: Locator) -> None:
        target.click()
        self.clicks += 1

    def type(self, target: Locator, text: str) -> None:
        self.click(target)
        target.fill(text)
        self.typed += 1


def publish_one_by_one(editor: Editor, ids: dict[str, str]) -> None:
    for film in FILMS:
        panel = editor.tab.locator(f'#review .panel[data-video-id="{ids[film.title]}"]')
        if film.sensitive:
            editor.click(panel.get_by_label("Safeguarding checked"))
        editor.click(panel.get_by_role("button", name="Publish…"))
        editor.click(panel.get_by_role("button", name="Yes, publish it"))
        expect(panel.get_by_role("status").last).to_contain_text("Published", timeout=WAIT_MS)


def publish_together(editor: Editor) -> None:
    group = editor.tab.locator(".workshop-group").first
    editor.click(group.get_by_role("button", name="Publish all consented…"))
    plain = [film for film in FILMS if not film.sensitive]
    editor.click(group.get_by_role("button", name=f"Yes, publish these {len(plain)} films"))
    expect(group.locator(".bulk-actions + [role=status]")).to_contain_text("Published", timeout=WAIT_MS)
    for film in FILMS:
        if not film.sensitive:
            continue
        apart = group.locator(".apart", has_text=film.title)
        editor.click(apart.get_by_label("Safeguarding checked"))
        editor.click(apart.get_by_role("button", name=f"Publish “{film.title}”"))
        expect(apart).to_contain_text("is published", timeout=WAIT_MS)


def run(page: str) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        (Path(scratch) / "stack").mkdir()
        stack = RunningStack(Path(scratch) / "stack", samples=False)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_ARGS, OPEN])
        try:
            ids = dict(
                zip(
                    (film.title for film in FILMS),
                    write_review_films(stack, Path(scratch), "tbilisi-2015", FILMS),
                    strict=True,
                )
            )
            tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            if page == "before":
                serve_main_page(tab, stack.info["web_url"])
            tab.goto(f"{stack.info['web_url']}/editor.html")
            editor = Editor(tab)
            editor.type(tab.get_by_label("Your editor key"), stack.info["api_keys"]["editor"])
            editor.click(tab.get_by_role("button", name="Use this key"))
            expect(tab.locator("#review .panel")).to_have_count(len(FILMS), timeout=WAIT_MS)
            key_clicks = editor.clicks
            if page == "before":
                publish_one_by_one(editor, ids)
            else:
                publish_together(editor)
            headers = {"x-api-key": stack.info["api_keys"]["editor"]}
            for video_id in ids.values():
                answer = requests.get(
                    f"{stack.info['api_url']}/videos/{video_id}/editorial", headers=headers, timeout=30
                )
                assert answer.json()["status"] == "PUBLISHED", answer.text
            return {
                "clicks": editor.clicks,
                "clicks to publish (after the key)": editor.clicks - key_clicks,
                "typed fields": editor.typed,
            }
        finally:
            browser.close()
            stack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--page", choices=("before", "after"), required=True)
    args = parser.parse_args()
    for name, value in run(args.page).items():
        print(f"{args.page}: {name}: {value}")


if __name__ == "__main__":
    main()
