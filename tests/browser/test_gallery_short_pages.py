"""The gallery under a combined filter whose first pages come back short or empty: the API reads at most
100 entries of the rarest value's listing per page, so a page may hold fewer films than asked for, none
even, while `next_cursor` says more may follow. A visitor still gets a screenful of films, or is told
plainly that nothing matches; never an empty list with a "More" button.

A stack of its own, seeded with 425 published films straight into its catalog (the counts it shows
differ from the other browser tests' stack).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from chalicelib.domain.catalog import Listing, listing_facets, public_record, search_text, status_facet
from chalicelib.domain.film import Film, Status
from chalicelib.domain.metadata import Author
from tests.catalog_seed import seed_catalog
from tests.e2e.conftest import RunningStack, aws

# Each page of the listing index is a Query that moto answers by sorting the whole table: on busy
# machines three pages take longer than Playwright's default 5 s.
LISTING_TIMEOUT_MS = 60_000
SCREENFUL = 20  # what the gallery shows before a visitor asks for more (the API's default page)
NEWEST = datetime(2026, 11, 30, 12, 0)
# Newest first, (films, country, topic, highlighted). "Kyrgyzstan, highlights only" reads the
# highlights' listing (225 films, Kyrgyzstan has 230): its first page reads 100 films from Azerbaijan
# and holds none, its second finds 5 among the next 100, its third is full. Azerbaijan (195) is rarer
# than HIV and AIDS (200), and the two never meet: two pages that hold nothing.
GROUPS = [
    (100, "AZ", "violence", True),
    (5, "KG", "violence", True),
    (95, "AZ", "violence", True),
    (25, "KG", "violence", True),
    (200, "KG", "hiv-aids", False),
]


def catalog_films() -> list[Film]:
    films = []
    for country, topic, highlighted in (group[1:] for group in GROUPS for _ in range(group[0])):
        number = len(films)
        at = (NEWEST - timedelta(minutes=number)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        films.append(
            Film(
                video_id=str(uuid.UUID(int=number + 1, version=4)),
                status=Status.PUBLISHED,
                created_at=at,
                status_changed_at=at,
                title=f"Film {number:03d} from {country}",
                country=country,
                topics=(topic,),
                highlighted=highlighted,
                author=Author("Aigerim", 12),
                duration_s=60.0,
                published_at=at,
            )
        )
    return films


@pytest.fixture(scope="module")
def crowded_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    stack = RunningStack(tmp_path_factory.mktemp("crowded-stack"), samples=False)
    try:
        catalog = DynamoDBCatalog(aws(stack, "dynamodb"), stack.info["resources"]["CatalogTable"])
        published = [status_facet(Status.PUBLISHED.value)]
        seed_catalog(
            catalog,
            (
                (film, Listing([], [*listing_facets(film), *published], record(film), film.published_at))
                for film in catalog_films()
            ),
        )
        yield stack
    finally:
        stack.stop()


def record(film: Film) -> dict[str, object]:
    return {**public_record(film), "search": search_text(film)}


def api_page(stack: RunningStack, query: str) -> dict[str, Any]:
    response = requests.get(f"{stack.info['api_url']}/videos?{query}", timeout=30)
    response.raise_for_status()
    page: dict[str, Any] = response.json()
    return page


def titles(films: list[Film]) -> list[str]:
    return [film.title for film in films]


def test_short_and_empty_pages_still_fill_the_gallery_s_screenful(page: Page, crowded_stack):
    query = "country=KG&highlight=true"
    first = api_page(crowded_stack, query)
    second = api_page(crowded_stack, f"{query}&cursor={first['next_cursor']}")
    assert first["items"] == [] and first["next_cursor"], "the API's first page is empty, with a cursor"
    assert 0 < len(second["items"]) < SCREENFUL and second["next_cursor"], "its second page is short, with a cursor"
    matching = [film for film in catalog_films() if film.country == "KG" and film.highlighted]

    page.goto(f"{crowded_stack.info['web_url']}/index.html?{query}")

    status = page.get_by_role("status")
    expect(status).to_have_text(re.compile(r"^\d+ films shown\.$"), timeout=LISTING_TIMEOUT_MS)
    shown = int(status.inner_text().split()[0])
    assert SCREENFUL <= shown < len(matching), "a screenful, and the rest for later"
    expect(page.locator("#films .card-title")).to_have_text(titles(matching[:shown]))  # newest first
    more = page.get_by_role("button", name="More films")
    more.click()
    expect(status).to_have_text(f"{len(matching)} films shown.", timeout=LISTING_TIMEOUT_MS)
    expect(page.locator("#films .card-title")).to_have_text(titles(matching))  # each once, newest first
    expect(more).to_be_hidden()


def test_filters_that_never_meet_say_so_after_reading_through_the_empty_pages(page: Page, crowded_stack):
    query = "country=AZ&topic=hiv-aids"
    first = api_page(crowded_stack, query)
    second = api_page(crowded_stack, f"{query}&cursor={first['next_cursor']}")
    assert first["items"] == [] and first["next_cursor"], "the API's first page is empty, with a cursor"
    assert second["items"] == [] and second["next_cursor"] is None, "and so is its second, the last"

    page.goto(f"{crowded_stack.info['web_url']}/index.html?{query}")

    expect(page.get_by_role("status")).to_have_text(
        "No published films match all of these filters yet. Remove one to see more.", timeout=LISTING_TIMEOUT_MS
    )
    expect(page.locator("#films .card")).to_have_count(0)
    expect(page.get_by_role("button", name="More films")).to_be_hidden()
