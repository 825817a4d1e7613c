"""The upload rules a stage publishes to field-office clients, so they can advise before sending.

Built from the very `ValidationLimits` the validator applies and the metadata rules `POST /uploads`
checks: one source of truth. Clients' checks are advice; the server stays the judge.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chalicelib.domain.metadata import (
    CONTAINER_TYPES,
    DESCRIPTION_MAX_CHARS,
    FIRST_NAME_MAX_CHARS,
    MAX_AGE,
    MAX_TOPICS,
    MIN_AGE,
    TITLE_MAX_CHARS,
)
from chalicelib.domain.rules import ValidationLimits


def published_rules(limits: ValidationLimits, topics: Iterable[str], countries: Iterable[str]) -> dict[str, Any]:
    """The rules as `GET /uploads/rules` answers them (documented in docs/API.md)."""
    return {
        "duration_s": {"min": limits.min_duration_s, "max": limits.max_duration_s},
        "max_bytes": limits.max_bytes,
        "resolution": {
            "min_short_side": limits.min_short_side,
            "max_short_side": limits.max_short_side,
            "max_long_side": limits.max_long_side,
        },
        "max_frame_rate": limits.max_frame_rate,
        "containers": [
            {"extension": extension, "content_types": sorted(types)} for extension, types in CONTAINER_TYPES.items()
        ],
        "countries": sorted(countries),
        "topics": sorted(topics),
        "metadata": {
            "title_max_chars": TITLE_MAX_CHARS,
            "description_max_chars": DESCRIPTION_MAX_CHARS,
            "first_name_max_chars": FIRST_NAME_MAX_CHARS,
            "min_age": MIN_AGE,
            "max_age": MAX_AGE,
            "max_topics": MAX_TOPICS,
        },
    }
