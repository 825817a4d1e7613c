"""Listing cursors are signed with the stack's key: only the API's own cursors open a listing (issue 22, item 5)."""

from __future__ import annotations

import pytest

from chalicelib.adapters.listing_cursor import MAX_CURSOR_CHARS, ListingCursors
from chalicelib.domain.catalog import filter_facets
from chalicelib.domain.errors import InvalidRequestError

FACET = "workshop#baku-2012"
KEY = {
    "pk": "FILM#5f0c3c1e-2f7b-4a53-9d55-0d3c1a4b6e21",
    "sk": f"LIST#{FACET}",
    "gsi1pk": f"LIST#{FACET}",
    "gsi1sk": "2012-03-09T10:00:00Z#5f0c3c1e-2f7b-4a53-9d55-0d3c1a4b6e21",
}


def test_a_cursor_made_with_the_stack_s_key_opens_its_listing_and_the_key_is_asked_for_once():
    asked = []
    cursors = ListingCursors(lambda: asked.append(1) or b"k" * 64)
    cursor = cursors.encode(KEY)
    assert cursors.decode(cursor, FACET) == KEY
    assert cursors.decode(cursors.encode(KEY), FACET) == KEY
    assert len(asked) == 1 and len(cursor) < MAX_CURSOR_CHARS


def test_a_cursor_signed_with_another_stack_s_key_or_for_another_listing_is_refused():
    cursor = ListingCursors(lambda: b"another stack's key").encode(KEY)
    ours = ListingCursors(lambda: b"this stack's key")
    for forged, facet in ((cursor, FACET), (ours.encode(KEY), "country#AZ")):
        with pytest.raises(InvalidRequestError) as refused:
            ours.decode(forged, facet)
        assert refused.value.code == "invalid_cursor"


def test_a_cursor_longer_than_any_the_api_makes_is_refused_before_it_is_read():
    asked = []
    cursors = ListingCursors(lambda: asked.append(1) or b"key")
    with pytest.raises(InvalidRequestError):
        cursors.decode("A" * (MAX_CURSOR_CHARS + 1), FACET)
    assert asked == [], "not even the key was needed"


def test_the_longest_listing_s_cursor_fits_under_the_limit():
    filters = {"country": "AZ", "topic": "leave-no-child-out", "workshop": "w" * 64, "highlight": "true"}
    facet = max(filter_facets(filters), key=len)  # one listing per filter value: the longest is the workshop's
    video_id = "5f0c3c1e-2f7b-4a53-9d55-0d3c1a4b6e21"
    key = {
        "pk": f"FILM#{video_id}",
        "sk": f"LIST#{facet}",
        "gsi1pk": f"LIST#{facet}",
        "gsi1sk": f"2026-12-06T20:43:48.123456+00:00#{video_id}",
    }
    cursors = ListingCursors(lambda: b"key")
    assert len(cursors.encode(key)) < MAX_CURSOR_CHARS / 1.5
    assert cursors.decode(cursors.encode(key), facet) == key
