"""The order of a takedown's steps, in memory against fakes of the ports: the catalog first (the
tombstone), then the media stop being public (untagged, the cache emptied), then the deletions, the
multipart aborts last; a failing step stops none of the others."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.change import Change
from chalicelib.domain.film import Film, Status
from chalicelib.domain.takedown_reasons import TakedownReason, TakedownWhy
from chalicelib.services import takedown
from chalicelib.services.dependencies import Dependencies
from tests.fakes.catalog import InMemoryCatalog

WHY = TakedownWhy(TakedownReason.CONSENT_WITHDRAWN)

VIDEO_ID = "6f1c1c3e-2f0e-4a55-9d7a-5b7f0c2a9e11"


class Journal:
    """Every call the takedown makes, in order, as `port.method`."""

    def __init__(self, failing: frozenset[str] = frozenset()) -> None:
        self.calls: list[str] = []
        self.failing = failing

    def record(self, name: str) -> None:
        self.calls.append(name)
        if name in self.failing:
            raise RuntimeError(f"{name} refused")


class JournalCatalog(InMemoryCatalog):
    """The in-memory catalog, each change it applies written in the journal."""

    def __init__(self, journal: Journal, film: Film) -> None:
        super().__init__()
        self.journal = journal
        self.create_film(film)

    def apply(self, change: Change) -> None:
        self.journal.record("catalog.apply")
        super().apply(change)


class FakeStore:
    def __init__(self, journal: Journal, name: str) -> None:
        self.journal = journal
        self.name = name

    def set_public(self, prefix: str, public: bool) -> int:
        assert public is False
        self.journal.record(f"{self.name}.untag {prefix}")
        return 0

    def delete(self, key: str) -> None:
        self.journal.record(f"{self.name}.delete {key}")

    def delete_prefix(self, prefix: str) -> int:
        self.journal.record(f"{self.name}.delete {prefix}")
        return 0

    def abort_multipart_under(self, prefix: str) -> int:
        self.journal.record(f"{self.name}.abort {prefix}")
        return 0


class FakeCache:
    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def invalidate(self, path_pattern: str) -> None:
        self.journal.record(f"cdn.invalidate {path_pattern}")


def deps_for(journal: Journal) -> tuple[Any, JournalCatalog]:
    film = Film(VIDEO_ID, Status.PUBLISHED, "2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z")
    catalog = JournalCatalog(journal, film)
    catalog.listings[VIDEO_ID] = {"country#AZ": {}, "status#PUBLISHED": {}}
    fakes: dict[str, Any] = {
        "settings": None,
        "catalog": catalog,
        "uploads": FakeStore(journal, "uploads"),
        "media": FakeStore(journal, "media"),
        "media_cache": FakeCache(journal),
        "queues": {},
        "idempotency": None,
    }
    return Dependencies(**fakes), catalog


EXPECTED = [
    f"media.untag films/{VIDEO_ID}/",  # private before anything else, the tombstone included
    f"media.delete films/{VIDEO_ID}/share.html",  # what previewers read, gone with its cached copy
    f"cdn.invalidate /films/{VIDEO_ID}/share.html",
    "catalog.apply",  # the tombstone, marked unfinished, out of its listings, with its audit entry
    f"media.untag films/{VIDEO_ID}/",
    f"cdn.invalidate /films/{VIDEO_ID}/*",
    f"media.delete films/{VIDEO_ID}/",
    f"media.delete staging/{VIDEO_ID}/",
    f"uploads.delete uploads/{VIDEO_ID}/",
    f"uploads.abort uploads/{VIDEO_ID}/",
    "catalog.apply",  # the mark goes: nothing left
]


def test_the_media_stop_being_public_before_anything_is_deleted_and_aborts_come_last() -> None:
    journal = Journal()
    deps, catalog = deps_for(journal)

    answer = takedown.take_down(deps, "editor Anna", VIDEO_ID, WHY)

    assert answer == {"video_id": VIDEO_ID, "status": "DELETED"}
    assert journal.calls == EXPECTED
    tombstone = catalog.films[VIDEO_ID]
    assert tombstone.status is Status.DELETED and tombstone.takedown_unfinished_since is None
    assert catalog.listings[VIDEO_ID] == {}
    assert [entry["action"] for entry in catalog.audit_trail(VIDEO_ID)] == ["taken_down"]


@pytest.mark.parametrize("failing", EXPECTED[4:-1])
def test_a_failing_step_stops_no_other_and_the_tombstone_keeps_its_mark(failing: str) -> None:
    journal = Journal(frozenset({failing}))
    deps, catalog = deps_for(journal)

    answer = takedown.take_down(deps, "editor Anna", VIDEO_ID, WHY)

    assert journal.calls == EXPECTED[:-1], "every step ran; the mark stayed"
    assert answer["status"] == "DELETED" and len(answer["left"]) == 1
    tombstone = catalog.films[VIDEO_ID]
    assert tombstone.status is Status.DELETED and tombstone.takedown_unfinished_since is not None
