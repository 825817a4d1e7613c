"""Timestamps as the catalog stores them: ISO 8601 UTC with milliseconds, sortable as strings."""

from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
