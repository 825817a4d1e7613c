"""GET /videos: newest first, paginated with a cursor that cannot be turned to another listing."""

import time

import pytest

from chalicelib.clock import now_iso
from tests.functional.calls import dynamodb_calls
from tests.functional.conftest import get, publish
from tests.functional.factories import write_ready_film


@pytest.fixture
def published(api, stack):
    """Three READY films (from the factory: the listing never reads their media; the pipeline's own tests list a
    transcoded film), published one after the other."""
    ids = []
    for number, country in enumerate(["AZ", "AM", "AZ"]):
        video_id = write_ready_film(stack, title=f"Film {number}", country=country)
        assert publish(api, stack, video_id).status_code == 200
        ids.append(video_id)
        published_by = now_iso()
        while now_iso() == published_by:  # the next film is published at a later millisecond: it is newer
            time.sleep(0.001)
    return ids


def test_newest_first_in_pages(api, published):
    first = get(api, "/videos?limit=2").json_body
    assert [item["video_id"] for item in first["items"]] == published[::-1][:2]
    rest = get(api, f"/videos?limit=2&cursor={first['next_cursor']}").json_body
    assert [item["video_id"] for item in rest["items"]] == published[:1]


def test_filters(api, published):
    assert [i["video_id"] for i in get(api, "/videos?country=az").json_body["items"]] == [published[2], published[0]]
    assert [i["video_id"] for i in get(api, "/videos?topic=leave-no-child-out").json_body["items"]] == published[::-1]


def test_filters_combine_and_a_page_reads_one_listing(api, published):
    ids = lambda query: [item["video_id"] for item in get(api, f"/videos?{query}").json_body["items"]]  # noqa: E731
    assert ids("country=AZ&topic=leave-no-child-out") == [published[2], published[0]]
    assert ids("country=AM&topic=leave-no-child-out&workshop=baku-2012") == [published[1]]
    assert ids("country=AZ&topic=violence") == []
    assert ids("topic=leave-no-child-out&workshop=other-workshop") == []
    with dynamodb_calls() as calls:
        first = get(api, "/videos?country=AZ&topic=leave-no-child-out&workshop=baku-2012&limit=1").json_body
        assert calls == ["BatchGetItem", "Query"], "the counters, to choose the rarest value's listing; never a Scan"
        calls.clear()
        cursor = first["next_cursor"]
        rest = get(api, f"/videos?country=AZ&topic=leave-no-child-out&workshop=baku-2012&cursor={cursor}").json_body
        assert calls == ["Query"], "a cursor names its listing: the next page is one Query"
    assert [item["video_id"] for item in first["items"] + rest["items"]] == [published[2], published[0]]


def test_combined_cursors_stay_in_their_combination(api, published):
    first = get(api, "/videos?country=AZ&topic=leave-no-child-out&limit=1").json_body
    rest = get(api, f"/videos?country=AZ&topic=leave-no-child-out&limit=1&cursor={first['next_cursor']}").json_body
    assert [item["video_id"] for item in first["items"] + rest["items"]] == [published[2], published[0]]
    response = get(api, f"/videos?country=AM&topic=leave-no-child-out&cursor={first['next_cursor']}")
    assert (response.status_code, response.json_body["error"]) == (400, "invalid_cursor")


def test_a_cursor_cannot_read_another_listing(api, published):
    cursor = get(api, "/videos?country=AZ&limit=1").json_body["next_cursor"]
    response = get(api, f"/videos?country=AM&cursor={cursor}")
    assert (response.status_code, response.json_body["error"]) == (400, "invalid_cursor")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("limit=0", "invalid_limit"),
        ("limit=101", "invalid_limit"),
        ("limit=ten", "invalid_limit"),
        ("country=Narnia", "invalid_country"),
        ("topic=cooking", "invalid_topic"),
        ("cursor=garbage", "invalid_cursor"),
        ("country=AZ&topic=cooking", "invalid_topic"),
        ("country=AZ&highlight=yes", "invalid_filter"),
    ],
)
def test_bad_queries_say_what_to_fix(api, stack, query, code):
    response = get(api, f"/videos?{query}")
    assert (response.status_code, response.json_body["error"]) == (400, code)
