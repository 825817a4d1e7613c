"""The gallery under a combined filter whose first pages come back short or empty: the API reads at most
100 entries of the rarest value's listing per page, so a page may hold fewer films than asked for, none
even, while `next_cursor` says more may follow. A visitor still gets a screenful of films, or is told
plainly that nothing matches; never an empty list with a "More" button.

A stack of its own, seeded with 260 published films straight into its catalog (the counts it shows
differ from the other browser tests' stack).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import requests
from playwright.sync_api import Page, expect

from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from chalicelib.domain.catalog import Listing, listing_facets, public_record, search_text, status_facet
from chalicelib.domain.film import Film, Status
from chalicelib.domain.metadata import Author
from tests.catalog_seed import seed_catalog
from tests.e2e.conftest import RunningStack, aws

SCREENFUL = 20  # what the gallery shows before a visitor asks for more (the API's default page)
# Newest first: 110 highlighted films from Azerbaijan, then 30 highlighted from Kyrgyzstan, then 120
# from Kyrgyzstan not highlighted. Highlights (140) are rarer than Kyrgyzstan (150): "Kyrgyzstan,
# highlights only" reads the highlights' listing, whose first 100 entries hold none of its films.
# Azerbaijan (110) is rarer than HIV and AIDS (120), and the two never meet.
NEWEST = datetime(2026, 11, 30, 12, 0)
GROUPS = [(110, "AZ", "violence", True), (30, "KG", "violence", True), (120, "KG", "hiv-aids", False)]


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


def first_api_page(stack: RunningStack, query: str) -> dict[str, object]:
    response = requests.get(f"{stack.info['api_url']}/videos?{query}", timeout=30)
    response.raise_for_status()
    page: dict[str, object] = response.json()
    return page


def titles(films: list[Film]) -> list[str]:
    return [film.title for film in films]


def test_short_and_empty_pages_still_fill_the_gallery_s_screenful(page: Page, crowded_stack):
    query = "country=KG&highlight=true"
    first = first_api_page(crowded_stack, query)
    assert first["items"] == [] and first["next_cursor"], "the API's first page is empty, with a cursor"
    matching = [film for film in catalog_films() if film.country == "KG" and film.highlighted]

    page.goto(f"{crowded_stack.info['web_url']}/index.html?{query}")

    expect(page.get_by_role("status")).to_have_text(f"{SCREENFUL} films shown.")
    expect(page.locator("#films .card-title")).to_have_text(titles(matching[:SCREENFUL]))
    more = page.get_by_role("button", name="More films")
    expect(more).to_be_visible()
    more.click()
    expect(page.get_by_role("status")).to_have_text(f"{len(matching)} films shown.")
    expect(page.locator("#films .card-title")).to_have_text(titles(matching))  # each once, newest first
    expect(more).to_be_hidden()


def test_filters_that_never_meet_say_so_after_reading_through_the_empty_pages(page: Page, crowded_stack):
    query = "country=AZ&topic=hiv-aids"
    first = first_api_page(crowded_stack, query)
    assert first["items"] == [] and first["next_cursor"], "the API's first page is empty, with a cursor"

    page.goto(f"{crowded_stack.info['web_url']}/index.html?{query}")

    expect(page.get_by_role("status")).to_have_text(
        "No published films match all of these filters yet. Remove one to see more."
    )
    expect(page.locator("#films .card")).to_have_count(0)
    expect(page.get_by_role("button", name="More films")).to_be_hidden()
