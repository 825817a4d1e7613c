"""What a request costs: the DynamoDB operations the functions' own client makes, counted with botocore's events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from chalicelib import wiring


@contextmanager
def dynamodb_calls() -> Iterator[list[str]]:
    """The names of the DynamoDB operations (`GetItem`, `Query`, ...) the functions call while the block runs."""
    calls: list[str] = []

    def record(model: Any, **_: Any) -> None:
        calls.append(model.name)

    events = wiring.dependencies().catalog._client.meta.events
    events.register("before-call.dynamodb.*", record)
    try:
        yield calls
    finally:
        events.unregister("before-call.dynamodb.*", record)  # the functions' clients are kept across cases
