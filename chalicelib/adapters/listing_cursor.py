"""A listing's cursor: the last key a page read, as an opaque string for the website to send back.

Only the catalog adapter reads it: a cursor is refused unless it points into the listing asked for,
so one crafted by hand cannot read another listing (or anything else in the table).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from chalicelib.adapters.film_items import FILM_SK
from chalicelib.domain.errors import InvalidRequestError

LISTING_INDEX = "gsi1"


def listing_pk(facet: str) -> str:
    return f"LIST#{facet}"


def encode_cursor(last_key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(last_key, sort_keys=True).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, facet: str) -> dict[str, Any]:
    """The position a cursor points at, refused unless it belongs to the listing asked for."""
    return _position(cursor, {"gsi1pk": listing_pk(facet), "sk": listing_pk(facet)})


def decode_office_cursor(cursor: str, office_partition: str) -> dict[str, Any]:
    """Where an office's uploads listing cursor points, refused unless that office's listing made it."""
    return _position(cursor, {"gsi2pk": office_partition, "sk": FILM_SK})


def _position(cursor: str, expected: dict[str, str]) -> dict[str, Any]:
    """A film's key in an index (`pk`, `sk` and the index's two keys, all strings) whose fields in `expected`
    have those values; anything else is refused."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        key = None
    index_keys = {name.replace("pk", "sk") for name in expected if name.startswith("gsi")}
    valid = (
        isinstance(key, dict)
        and set(key) == {"pk", "sk", *expected, *index_keys}
        and all(isinstance(v, str) and v for v in key.values())
        and key["pk"].startswith("FILM#")
        and all(key[name] == value for name, value in expected.items())
    )
    if not valid:
        raise InvalidRequestError("cursor is not one this listing returned; start again without it.", "invalid_cursor")
    return dict(key)
