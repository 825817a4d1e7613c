"""Reading many items of the table by key: BatchGetItem, 100 keys a call, keys DynamoDB left unprocessed asked again."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from chalicelib.domain.errors import UnavailableError

# DynamoDB's limit on the keys of one BatchGetItem.
BATCH_GET_MAX_KEYS = 100
# Keys left unprocessed (the table throttled part of a call) are asked again after these pauses, as AWS advises:
# a pause that doubles. Still unprocessed after the last, the read gives up rather than answer with items missing.
UNPROCESSED_PAUSES_S = (0.05, 0.1, 0.2, 0.4, 0.8)


def batch_get(client: Any, table_name: str, keys: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The items (in DynamoDB's wire format, in no particular order) of those `keys` that exist, read
    strongly consistent: one call per 100 keys, and one more for each time some were left unprocessed."""
    items: list[dict[str, Any]] = []
    for start in range(0, len(keys), BATCH_GET_MAX_KEYS):
        items += _read_all(client, table_name, list(keys[start : start + BATCH_GET_MAX_KEYS]))
    return items


def _read_all(client: Any, table_name: str, keys: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    request: dict[str, Any] = {table_name: {"Keys": keys, "ConsistentRead": True}}
    for pause_s in (0.0, *UNPROCESSED_PAUSES_S):
        time.sleep(pause_s)
        response = client.batch_get_item(RequestItems=request)
        items += response["Responses"].get(table_name, [])
        request = response.get("UnprocessedKeys") or {}
        if not request:
            return items
    left = len(request[table_name]["Keys"])
    raise UnavailableError(f"The catalog is busy: {left} of {len(keys)} films could not be read; try again shortly.")
