"""Lambda entry points for the pipeline stages, observed the same way; `app.py` hands them raw events."""

from __future__ import annotations

from typing import Any

from chalicelib import wiring
from chalicelib.observability import observed
from chalicelib.services import transcode, validate


def seconds_left(context: Any) -> float:
    return float(context.get_remaining_time_in_millis()) / 1000.0


@observed
def validate_upload(event: dict[str, Any], context: Any) -> None:
    validate.handle_event(wiring.dependencies(), event, seconds_left(context))


@observed
def transcode_film(event: dict[str, Any], context: Any) -> None:
    transcode.handle_event(wiring.dependencies(), event, seconds_left(context))
