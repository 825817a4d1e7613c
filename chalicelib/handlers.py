"""Lambda entry points, observed the same way; `app.py` hands them raw events and the context."""

from __future__ import annotations

from typing import Any

from chalicelib import wiring
from chalicelib.observability import observed
from chalicelib.services import recovery, transcode, validate


@observed
def validate_upload(event: dict[str, Any], context: Any) -> None:
    deps = wiring.dependencies()
    for record in event.get("Records", []):
        validate.handle_record(deps, record, context)


@observed
def transcode_film(event: dict[str, Any], context: Any) -> None:
    deps = wiring.dependencies()
    for record in event.get("Records", []):
        transcode.handle_record(deps, record, context)


@observed
def sweep_stuck_films(event: dict[str, Any], context: Any) -> dict[str, int]:
    deps = wiring.dependencies()
    return recovery.sweep(deps, deps.settings.sweep)
