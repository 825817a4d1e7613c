"""Listings without a ceiling: one entry per filter value, combined filters read from the rarest value's
listing page by page, any edit an editor makes goes through, and `ops relist` moves a catalog from the
combined form (one entry per combination of filters) to this one."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib import wiring
from chalicelib.domain.catalog import Listing, combined_facets, public_record, search_text, status_facet
from chalicelib.domain.change import listed_as
from chalicelib.domain.film import Film, Status
from chalicelib.services import editorial
from tests.catalog_seed import seed_catalog
from tests.functional.conftest import get, publish
from tests.functional.factories import ready_film, write_ready_film
from tests.functional.test_editor_lists import call

TEN_TOPICS = [
    "juvenile-justice",
    "hiv-aids",
    "roma-children",
    "violence",
    "leave-no-child-out",
    "education",
    "health",
    "disability",
    "migration",
    "environment",
]
COUNTRIES = ["AZ", "KG"]
WORKSHOPS = ["baku-2012"]
# A page of a combined filter reads at most this many entries here (100 in production), so that the
# catalog below, small to stay fast, has pages that end their read before they are full.
PAGE_READ = 3
LIMIT = 2


@pytest.fixture
def ten_topics(stack: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("TOPICS", ",".join(TEN_TOPICS))
    stack.settings_changed()
    return TEN_TOPICS


@pytest.fixture
def small_pages(stack: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wiring.dependencies().catalog, "page_read", PAGE_READ, raising=False)


# Each film of the seeded catalog: country, topics, workshop, highlighted (film 12 is unpublished).
# KG is rare (2 published films), `migration` too (3), and the two meet in film 2 only. Film 5 has
# five topics, a workshop and a highlight: 48 public entries in the combined form.
CATALOG = [
    ("AZ", ("hiv-aids",), "baku-2012", True),
    ("AZ", ("violence",), None, False),
    ("KG", ("migration", "violence"), "baku-2012", False),
    ("AZ", ("hiv-aids", "violence"), "baku-2012", False),
    ("AZ", ("migration",), None, True),
    ("AZ", tuple(TEN_TOPICS[:5]), "baku-2012", True),
    ("KG", ("hiv-aids",), None, True),
    ("AZ", ("violence",), "baku-2012", False),
    ("AZ", ("hiv-aids",), None, False),
    ("AZ", ("migration", "hiv-aids"), "baku-2012", False),
    ("AZ", ("violence",), "baku-2012", True),
    ("AZ", ("hiv-aids", "violence"), None, False),
    ("KG", ("migration",), "baku-2012", False),
]


def catalog_films() -> list[Film]:
    films = []
    for number, (country, topics, workshop, highlighted) in enumerate(CATALOG):
        status = Status.UNPUBLISHED if number == 12 else Status.PUBLISHED
        films.append(film(number, status, country=country, topics=topics, workshop=workshop, highlighted=highlighted))
    return films


def film(number: int, status: Status = Status.PUBLISHED, **fields: Any) -> Film:
    """A film published at second `number` of a day (a later number is newer)."""
    video_id = str(uuid.UUID(int=number + 1, version=4))
    at = f"2026-11-01T10:00:{number:02d}.000Z"
    return ready_film(video_id, at, status=status, title=f"Film {number}", published_at=at, **fields)


def seed(films: list[Film], *, combined: bool = False) -> None:
    """Films listed as the lifecycle commands list them (domain/change.py), or, with `combined`, as the release before
    this one did (every combination, no highlight counter)."""
    deps = wiring.dependencies()
    listed = []
    for each in films:
        if combined:
            record = {**public_record(each), "search": search_text(each)}
            facets = combined_facets(each) if each.status is Status.PUBLISHED else []
            listed.append(
                (each, Listing([], [*facets, status_facet(each.status.value)], record, each.status_changed_at))
            )
        else:
            as_listed = listed_as(each)
            listing = Listing([], list(as_listed.facets), as_listed.record, as_listed.sort_at)
            listed.append((each, listing))
    seed_catalog(deps.catalog, listed, uncounted=frozenset({"highlight"} if combined else ()))


def every_filter_combination() -> Iterator[dict[str, str]]:
    topics = ["hiv-aids", "violence", "migration", "roma-children"]
    for country, topic, workshop, highlight in itertools.product(
        [None, *COUNTRIES], [None, *topics], [None, *WORKSHOPS], [None, "true"]
    ):
        picked = {"country": country, "topic": topic, "workshop": workshop, "highlight": highlight}
        yield {name: value for name, value in picked.items() if value}


def matching(films: list[Film], filters: dict[str, str]) -> list[str]:
    """What a visitor must get: the published films that meet every filter, newest first."""
    found = [
        each
        for each in films
        if each.status is Status.PUBLISHED
        and filters.get("country", each.country) == each.country
        and filters.get("topic", each.topics[0]) in each.topics
        and filters.get("workshop", each.workshop) == each.workshop
        and (each.highlighted or "highlight" not in filters)
    ]
    return [each.video_id for each in sorted(found, key=lambda each: each.published_at or "", reverse=True)]


def read_to_the_end(api: Any, filters: dict[str, str], scanned: list[int]) -> tuple[list[str], int]:
    """Every page of a listing, following next_cursor to its end; and how many pages were short of
    `limit` while a cursor followed. Each page's read stays within its bound."""
    ids: list[str] = []
    short = 0
    cursor = None
    for _ in range(100):
        query = "&".join(f"{name}={value}" for name, value in {**filters, "limit": LIMIT}.items())
        scanned.clear()
        page = get(api, f"/videos?{query}" + (f"&cursor={cursor}" if cursor else "")).json_body
        assert sum(scanned) <= max(LIMIT, PAGE_READ), (filters, scanned)
        ids += [item["video_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return ids, short
        short += len(page["items"]) < LIMIT
    raise AssertionError(f"{filters}: no end after 100 pages")


@pytest.fixture
def scanned(stack: Any) -> Iterator[list[int]]:
    """Entries read by each Query of the functions' catalog client, as DynamoDB reports them."""
    counts: list[int] = []

    def after(parsed: dict[str, Any], **_: Any) -> None:
        counts.append(int(parsed.get("ScannedCount", 0)))

    events = wiring.dependencies().catalog._client.meta.events
    events.register("after-call.dynamodb.Query", after)
    yield counts
    events.unregister("after-call.dynamodb.Query", after)  # the functions' clients are kept across cases


def check_every_listing(api: Any, films: list[Film], scanned: list[int]) -> int:
    short = 0
    for filters in every_filter_combination():
        ids, short_pages = read_to_the_end(api, filters, scanned)
        assert ids == matching(films, filters), filters
        short += short_pages
    return short


def test_a_ten_topic_edit_that_the_combined_form_refused_goes_through(api, stack, ten_topics):
    editor = stack.keys["editor"]
    video_id = write_ready_film(stack, topics=tuple(TEN_TOPICS[:5]), workshop="baku-2012")
    assert publish(api, stack, video_id).status_code == 200
    assert call(api, "post", f"/videos/{video_id}/highlight", editor, {"highlighted": True}).status_code == 200
    edit = call(api, "patch", f"/videos/{video_id}", editor, {"topics": TEN_TOPICS[5:], "workshop": "ganja-2013"})
    assert edit.status_code == 200, edit.json_body
    ids = lambda query: [item["video_id"] for item in get(api, f"/videos?{query}").json_body["items"]]  # noqa: E731
    assert ids("topic=environment&workshop=ganja-2013&highlight=true&country=AZ") == [video_id]
    assert ids("topic=hiv-aids") == [] and ids("workshop=baku-2012") == []
    counts = {item["topic"]: item["films"] for item in get(api, "/topics").json_body["items"]}
    assert counts == {topic: int(topic in TEN_TOPICS[5:]) for topic in TEN_TOPICS}
    assert len(wiring.dependencies().catalog.listed_facets(video_id)) == 1 + 1 + 5 + 1 + 1 + 1, (
        "all, country, five topics, workshop, highlight, the editors' list"
    )


def test_every_combination_pages_to_its_end_each_film_once_newest_first(api, stack, ten_topics, small_pages, scanned):
    films = catalog_films()
    seed(films)
    rare = matching(films, {"country": "KG", "topic": "migration"})
    assert len(rare) == 1 and len(matching(films, {"country": "KG"})) < len(matching(films, {"topic": "migration"}))
    for published in films[:12]:
        facets = wiring.dependencies().catalog.listed_facets(published.video_id)
        assert len(facets) == 2 + len(published.topics) + bool(published.workshop) + published.highlighted + 1
    assert check_every_listing(api, films, scanned) > 0, "some pages end their read before they are full"


def test_relist_moves_a_combined_catalog_to_one_entry_per_value(api, stack, ten_topics, small_pages, scanned):
    films = catalog_films()
    seed(films, combined=True)
    catalog = wiring.dependencies().catalog
    assert len(catalog.listed_facets(films[5].video_id)) == 2 * 6 * 2 * 2 + 1, "the combined form: every combination"
    topics = get(api, "/topics").json_body

    assert editorial.relist_all(wiring.dependencies()) == {"PUBLISHED": 12, "UNPUBLISHED": 1}

    for each in films:
        facets = catalog.listed_facets(each.video_id)
        assert not any("&" in facet for facet in facets), "no entry of the combined form is left"
    assert catalog.listed_facets(films[12].video_id) == [status_facet("UNPUBLISHED")]
    assert get(api, "/topics").json_body == topics, "counters unchanged"
    assert catalog.count_of("highlight") == len(matching(films, {"highlight": "true"})), "highlights now counted"
    check_every_listing(api, films, scanned)
    editor = stack.keys["editor"]
    listed = get(api, "/editorial/films?status=published&limit=100", editor).json_body["items"]
    assert [item["video_id"] for item in listed] == matching(films, {})
    assert editorial.relist_all(wiring.dependencies()) == {"PUBLISHED": 12, "UNPUBLISHED": 1}, "and again, as a repair"
    assert catalog.count_of("highlight") == len(matching(films, {"highlight": "true"}))
