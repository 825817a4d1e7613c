"""The editors' review queue: the READY films waiting for a decision, oldest first, a page read at a bounded cost."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from chalicelib import wiring
from chalicelib.domain.errors import UnavailableError
from chalicelib.domain.film import Status
from chalicelib.services.editorial import REVIEW_PAGE
from tests.functional.calls import dynamodb_calls
from tests.functional.conftest import get
from tests.functional.factories import write_ready_film


def ready_films(stack, count):
    """`count` READY films, oldest first (copies of one film from the factory, each with its own id and time)."""
    catalog = wiring.dependencies().catalog
    first = catalog.get_film(write_ready_film(stack))
    films = [first]
    for number in range(1, count):
        at = _later(first.status_changed_at, number)
        films.append(replace(first, video_id=str(uuid.uuid4()), title=f"Film {number}", status_changed_at=at))
        catalog.create_film(films[-1])
    return [film.video_id for film in films]


def _later(at, milliseconds):
    moment = datetime.fromisoformat(at) + timedelta(milliseconds=milliseconds)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_a_full_page_of_the_queue_is_read_in_two_calls(api, stack):
    ids = ready_films(stack, REVIEW_PAGE + 1)
    with dynamodb_calls() as calls:
        response = get(api, "/review", stack.keys["editor"])
    assert response.status_code == 200, response.json_body
    items = response.json_body["items"]
    assert [item["video_id"] for item in items] == ids[:REVIEW_PAGE], "the oldest first, one page"
    assert items[-1]["title"] == f"Film {REVIEW_PAGE - 1}" and items[-1]["preview"]["video_url"]
    # The editor's key, then the page: the ids from the status index, and the films in one BatchGetItem.
    assert calls == ["GetItem", "Query", "BatchGetItem"]


def test_films_are_read_in_batches_of_a_hundred_in_the_order_asked(stack):
    ids = ready_films(stack, 150)
    catalog = wiring.dependencies().catalog
    asked = [*ids[::-1], "00000000-0000-4000-8000-000000000000", "not an id", ids[0]]
    with dynamodb_calls() as calls:
        films = catalog.get_films(asked)
    assert [film.video_id for film in films] == ids[::-1], "each once, the missing and impossible ones left out"
    assert all(film.status is Status.READY for film in films)
    assert calls == ["BatchGetItem", "BatchGetItem"]
    with dynamodb_calls() as calls:
        assert catalog.get_films([]) == []
    assert calls == []


def throttle(times):
    """A botocore hook that makes DynamoDB leave the second half of each BatchGetItem's keys unprocessed, `times`
    times, as a throttled table does: the response loses those items and names their keys instead."""
    left = [times]

    def leave_unprocessed(parsed, model, **_):
        if model.name != "BatchGetItem" or not left[0]:
            return
        left[0] -= 1
        [(table, items)] = parsed["Responses"].items()
        kept, dropped = items[: len(items) // 2], items[len(items) // 2 :]
        parsed["Responses"][table] = kept
        keys = [{"pk": item["pk"], "sk": item["sk"]} for item in dropped]
        parsed["UnprocessedKeys"] = {table: {"Keys": keys, "ConsistentRead": True}}

    return leave_unprocessed


@pytest.mark.parametrize(("throttled", "answered"), [(2, True), (6, False)])
def test_films_left_unprocessed_are_asked_again_until_read_or_the_read_gives_up(stack, throttled, answered):
    ids = ready_films(stack, 8)
    catalog = wiring.dependencies().catalog
    events = catalog._client.meta.events
    hook = throttle(throttled)
    events.register("after-call.dynamodb.BatchGetItem", hook)
    try:
        with dynamodb_calls() as calls:
            if answered:
                assert [film.video_id for film in catalog.get_films(ids)] == ids
            else:
                with pytest.raises(UnavailableError, match="could not be read"):
                    catalog.get_films(ids)
    finally:
        events.unregister("after-call.dynamodb.BatchGetItem", hook)
    assert calls == ["BatchGetItem"] * min(throttled + 1, 6)


def test_a_film_decided_while_the_page_is_read_is_not_shown_as_waiting(api, stack, monkeypatch):
    """The status index is read before the films: a film published (or taken down) in between is no longer
    waiting, and the queue does not offer it again."""
    waiting, decided = ready_films(stack, 2)
    catalog = wiring.dependencies().catalog
    read_films = catalog.get_films

    def decided_meanwhile(ids):
        films = read_films(ids)
        return [replace(film, status=Status.PUBLISHED) if film.video_id == decided else film for film in films]

    monkeypatch.setattr(catalog, "get_films", decided_meanwhile)
    response = get(api, "/review", stack.keys["editor"])
    assert [item["video_id"] for item in response.json_body["items"]] == [waiting]
