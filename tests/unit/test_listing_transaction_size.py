"""No change an editor (or `ops relist`, or a takedown) makes can exceed DynamoDB's 100 items per
transaction: a film stands in one listing per filter value, so a change holds at most the film, its
old and new entries and the counters they move, whatever the vocabulary grows to. The worst cases are
built from the limits themselves (MAX_TOPICS topics per film, every filter set, every value traded),
so a limit raised past what one transaction holds fails here, not in an editor's hands."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from chalicelib.adapters.dynamodb_films import TRANSACTION_MAX_ITEMS, DynamoDBFilms
from chalicelib.domain.catalog import combined_facets, listing_facets, status_facet
from chalicelib.domain.change import AuditEntry, Change, Listed
from chalicelib.domain.film import Film, Status
from chalicelib.domain.metadata import MAX_TOPICS

# A vocabulary twice what a film may hold, so that an edit can trade every topic for others.
VOCABULARY = [f"topic-{number}" for number in range(2 * MAX_TOPICS)]
PUBLISHED = status_facet(Status.PUBLISHED.value)
FULL = Film(
    video_id="0b8f6a52-8a0e-4f1e-9a53-2a4f7d3e2c11",
    status=Status.PUBLISHED,
    created_at="2026-11-25T09:00:00Z",
    status_changed_at="2026-11-25T10:00:00Z",
    country="AZ",
    topics=tuple(VOCABULARY[:MAX_TOPICS]),
    workshop="baku-2012",
    highlighted=True,
    published_at="2026-11-25T10:00:00Z",
)
# Every value traded: another country, the other topics, another workshop, no longer highlighted.
TRADED = replace(FULL, country="KG", topics=tuple(VOCABULARY[MAX_TOPICS:]), workshop="bishkek-2013", highlighted=False)


def listed(film: Film) -> list[str]:
    return [*listing_facets(film), PUBLISHED]


def listed_before_relist(film: Film) -> list[str]:
    """A film on a stack not relisted yet: one entry per combination (what `ops relist` replaces)."""
    return [*combined_facets(film), PUBLISHED]


WORST_CASES = {
    "publish a highlighted film with every topic it may have": ([], listed(FULL)),
    "edit: trade the country, every topic and the workshop, unhighlight": (listed(FULL), listed(TRADED)),
    "edit: trade the country, every topic and the workshop, highlight": (listed(TRADED), listed(FULL)),
    "unpublish": (listed(FULL), [status_facet(Status.UNPUBLISHED.value)]),
    "take down": (listed(FULL), []),
    "edit a film not relisted yet, every value traded": (listed_before_relist(FULL), listed(TRADED)),
    "relist a film": (listed_before_relist(FULL), listed(FULL)),
    "take down a film not relisted yet": (listed_before_relist(FULL), []),
}


class RecordingDynamoDB:
    """Answers which listings the film stands in (`old`) and keeps the transaction it is asked to write (a
    fake client: the adapter shapes it, DynamoDB would refuse it above 100 items)."""

    def __init__(self, old: list[str]) -> None:
        self.old = old
        self.transactions: list[list[dict[str, Any]]] = []

    def query(self, **_: Any) -> dict[str, Any]:
        return {"Items": [{"sk": {"S": f"LIST#{facet}"}} for facet in self.old]}

    def transact_write_items(self, TransactItems: list[dict[str, Any]]) -> dict[str, Any]:  # noqa: N803 (boto3's name)
        self.transactions.append(TransactItems)
        return {}


def items_written(old: list[str], new: list[str]) -> int:
    """The items of the one transaction an editor's change of a published film makes, its audit entry included."""
    client = RecordingDynamoDB(old)
    at = "2026-11-26T10:00:00Z"
    change = Change(
        before=FULL,
        after=replace(FULL, title="Edited"),
        at=at,
        expect=frozenset({Status.PUBLISHED}),
        audit=AuditEntry("editor Anna", "edited"),
        listed=Listed(tuple(new), {"video_id": FULL.video_id}, FULL.published_at),
    )
    DynamoDBFilms(client, "catalog").apply(change)
    [written] = client.transactions
    return len(written)


@pytest.mark.parametrize("case", WORST_CASES)
def test_no_change_of_a_film_exceeds_one_transaction(case: str) -> None:
    assert items_written(*WORST_CASES[case]) <= TRANSACTION_MAX_ITEMS


def test_the_worst_edit_is_far_below_the_limit_and_does_not_grow_with_the_vocabulary() -> None:
    """Trading everything costs the same whatever the vocabulary holds: the film, the entries it
    leaves and enters, and one counter for each value that changes."""
    old, new = WORST_CASES["edit: trade the country, every topic and the workshop, unhighlight"]
    # 1 film + its audit entry + (3 + MAX_TOPICS) entries left + (4 + MAX_TOPICS) written (all and status
    # rewritten with the new record) + (3 + MAX_TOPICS) counters down + (2 + MAX_TOPICS) counters up: 34 today.
    assert items_written(old, new) == 14 + 4 * MAX_TOPICS
