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
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        key = None
    valid = (
        isinstance(key, dict)
        and set(key) == {"pk", "sk", "gsi1pk", "gsi1sk"}
        and all(isinstance(v, str) and v for v in key.values())
        and key["pk"].startswith("FILM#")
        and key["gsi1pk"] == listing_pk(facet)
        and key["sk"] == listing_pk(facet)
    )
    if not valid:
        raise InvalidRequestError("cursor is not one this listing returned; start again without it.", "invalid_cursor")
    return dict(key)


def decode_office_cursor(cursor: str, office_partition: str) -> dict[str, Any]:
    """Where an office's uploads listing cursor points, refused unless that office's listing made it."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        key = None
    valid = (
        isinstance(key, dict)
        and set(key) == {"pk", "sk", "gsi2pk", "gsi2sk"}
        and all(isinstance(v, str) and v for v in key.values())
        and key["pk"].startswith("FILM#")
        and key["sk"] == FILM_SK
        and key["gsi2pk"] == office_partition
    )
    if not valid:
        raise InvalidRequestError("cursor is not one this listing returned; start again without it.", "invalid_cursor")
    return dict(key)
