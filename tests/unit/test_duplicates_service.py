"""Who is told of a duplicate (services/duplicates.py), on the in-memory catalog: both films' editors, the office
of its own earlier films only, and no one of a film taken down."""

import random
from dataclasses import replace
from typing import Any

import pytest

from chalicelib.domain.errors import ConflictError
from chalicelib.domain.film import Film, Status
from chalicelib.domain.fingerprint import SAMPLES_PER_S, Fingerprint
from chalicelib.domain.protection import Protection
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.duplicates import (
    already_sent,
    check_protected_as_its_copies,
    duplicates_for_editor,
    record_duplicates,
)
from tests.fakes.catalog import InMemoryCatalog

PICTURE = [(1 << 63) | random.Random(1).getrandbits(63) for _ in range(60 * SAMPLES_PER_S)]
OTHER = [(1 << 63) | random.Random(2).getrandbits(63) for _ in range(60 * SAMPLES_PER_S)]


def film(video_id: str, created: str, office: str, hashes: list[int], content: str, status=Status.READY) -> Film:
    return replace(
        Film(video_id, status, created, created),
        office_id=office,
        title=f"Film {video_id}",
        fingerprint=Fingerprint.made(content, hashes),
    )


def deps(*films: Film) -> tuple[Any, InMemoryCatalog]:
    catalog = InMemoryCatalog(films={each.video_id: each for each in films})
    fakes: dict[str, Any] = dict.fromkeys(("settings", "uploads", "media", "media_cache", "idempotency"))
    return Dependencies(catalog=catalog, queues={}, **fakes), catalog


def test_a_match_is_recorded_on_both_films_and_the_office_is_told_of_its_own_earlier_film_only():
    first = film("a", "2026-01-01", "office-1", PICTURE, "same-bytes", Status.PUBLISHED)
    theirs = film("t", "2026-01-02", "office-2", PICTURE, "same-bytes")
    distinct = film("d", "2026-01-03", "office-1", OTHER, "other-bytes")
    again = film("b", "2026-01-04", "office-1", PICTURE, "same-bytes")
    services, catalog = deps(first, theirs, distinct, again)

    found = record_duplicates(services, again)

    assert [(d.video_id, d.same.value) for d in found] == [("a", "file")], "another office, no workshop: not read"
    assert duplicates_for_editor(services, catalog.films["a"]) == [
        {
            "video_id": "b",
            "title": "Film b",
            "status": "READY",
            "same": "file",
            "protect_identity": {"faces": False, "voice": False},
            "draft": False,
        }
    ]
    assert duplicates_for_editor(services, catalog.films["b"])[0]["status"] == "PUBLISHED"
    sent = already_sent(services, [catalog.films[v] for v in ("a", "b", "d")])
    assert sent == {"a": [], "b": [{"video_id": "a", "title": "Film a", "draft": False}]}


def test_a_film_taken_down_is_no_ones_duplicate():
    first = film("a", "2026-01-01", "office-1", PICTURE, "one")
    again = film("b", "2026-01-02", "office-1", PICTURE, "two")
    services, catalog = deps(first, again)
    record_duplicates(services, again)
    catalog.films["a"] = Film("a", Status.DELETED, "2026-01-01", "2026-01-05")  # its tombstone

    assert duplicates_for_editor(services, catalog.films["b"]) == []
    assert already_sent(services, [catalog.films["b"]]) == {"b": []}
    assert catalog.add_duplicates("a", catalog.films["b"].duplicates) is False, "a tombstone keeps none"


def test_a_draft_copy_is_named_as_one_to_the_editors_and_still_holds_its_protection():
    first = film("a", "2026-01-01", "office-1", PICTURE, "same-bytes")
    draft = replace(
        film("b", "2026-01-02", "office-1", PICTURE, "same-bytes"),
        title="",
        draft=True,
        protect_identity=Protection(faces=True, voice=False),
    )
    services, catalog = deps(first, draft)
    record_duplicates(services, draft)

    [seen] = duplicates_for_editor(services, catalog.films["a"])
    assert seen["draft"] is True
    with pytest.raises(ConflictError) as refused:
        check_protected_as_its_copies(services, catalog.films["a"])
    assert refused.value.code == "copy_protected"
    assert str(refused.value).startswith("A copy whose details its office has not completed (film b) is the same film")
