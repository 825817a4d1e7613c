"""Films that need someone: FAILED films, and films waiting in a processing status past their stage's limit
(the stage's stuck-after setting, domain/stages.py). The editors' Needs attention list and `ops status`
find films waiting in processing here, each by Queries on the status index.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.film import PROCESSING, Film, Status
from chalicelib.domain.paging import parse_limit
from chalicelib.domain.stages import Stage, stage_for
from chalicelib.domain.sweep import SweepLimits, retried_automatically, seconds_in_status, stale_before
from chalicelib.services.dependencies import Dependencies

DEFAULT_PAGE = 24
MAX_PAGE = 100
# Stuck films shown at most, per processing status: the sweep queues them once more, then fails them.
STUCK_SHOWN = 10


@dataclass(frozen=True)
class Waiting:
    """A film in a processing status, and the stage it waits for."""

    film: Film
    stage: Stage


def waiting_in_processing(deps: Dependencies, changed_before: Callable[[Status], str], limit: int) -> list[Waiting]:
    """Films in each processing status since before `changed_before(status)`, oldest first within a status,
    at most `limit` per status."""
    waiting = []
    for status in sorted(PROCESSING):
        ids = deps.catalog.list_by_status(status, changed_before(status), limit)
        waiting += [Waiting(film, stage_for(status)) for film in deps.catalog.get_films(ids) if film.status is status]
    return waiting


def stuck(deps: Dependencies, now: datetime | None = None) -> list[Waiting]:
    """Films waiting in processing longer than their stage's limit: what the sweep finds stale."""
    at = now or datetime.now(UTC)
    limits = deps.settings.sweep

    def before(status: Status) -> str:
        return stale_before(status, at, limits).isoformat(timespec="milliseconds").replace("+00:00", "Z")

    return waiting_in_processing(deps, before, STUCK_SHOWN)


def needs_attention(deps: Dependencies, params: Mapping[str, str]) -> dict[str, Any]:
    """`GET /editorial/films?status=failed`: FAILED films, the latest first, page by page; the first page
    also carries the films stuck in processing (`stuck`), which are few (the sweep fails them soon)."""
    limit = parse_limit(params.get("limit"), DEFAULT_PAGE, MAX_PAGE)
    cursor = params.get("cursor") or None
    ids, next_cursor = deps.catalog.page_in_status(Status.FAILED, limit, cursor)
    failed = [film for film in deps.catalog.get_films(ids) if film.status is Status.FAILED]
    limits = deps.settings.sweep
    now = datetime.now(UTC)
    return {
        "status": Status.FAILED.value,
        "items": [_failed_view(film, _retried_soon(film, now, limits)) for film in failed],
        "stuck": [] if cursor else [_stuck_view(w, limits.stuck_after_s[w.film.status]) for w in stuck(deps)],
        "next_cursor": next_cursor,
    }


def _film_view(film: Film) -> dict[str, Any]:
    view: dict[str, Any] = {
        "video_id": film.video_id,
        "title": film.title,
        "status": film.status.value,
        "since": film.status_changed_at,
    }
    if film.workshop:
        view["workshop"] = film.workshop
    if film.draft:  # no title yet: its office has not completed its details, and it cannot be published
        view["draft"] = True
    return view


def _retried_soon(film: Film, now: datetime, limits: SweepLimits) -> bool:
    """Whether the sweep starts the film again by itself (once, after a transient failure) in a few minutes."""
    return retried_automatically(film) and seconds_in_status(film, now) <= limits.auto_retry_window_s


def _failed_view(film: Film, retried_soon: bool) -> dict[str, Any]:
    return {
        **_film_view(film),
        "reason_code": film.reason_code,
        "reason": film.reason or "Processing stopped without saying why.",
        "can_retry": True,
        "retried_automatically": retried_soon,
    }


def _stuck_view(waiting: Waiting, limit_s: int) -> dict[str, Any]:
    stage = waiting.stage.name
    return {
        **_film_view(waiting.film),
        "waits_for": stage,
        "limit_s": limit_s,
        "reason": (
            f"Waiting for its {stage} stage for longer than its limit of {_duration(limit_s)}. It is queued once "
            "more on its own; if it still does not move on, it fails and can be retried here."
        ),
        "can_retry": False,
    }


def _duration(seconds: int) -> str:
    if seconds % 60 == 0 and seconds >= 120:
        return f"{seconds // 60} minutes"
    return f"{seconds} seconds"
