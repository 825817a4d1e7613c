"""How processing ends when it does not end READY: the film's fault (REJECTED) or ours (FAILED)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from chalicelib.clock import now_iso
from chalicelib.domain import lifecycle
from chalicelib.domain.change import Change
from chalicelib.domain.errors import StaleTransitionError
from chalicelib.domain.film import Film
from chalicelib.domain.sweep import retried_automatically
from chalicelib.observability import count, logger, record_rejection
from chalicelib.services.dependencies import Dependencies

# Reads of a film whose attempt is to end, each after another change won the write (a correction, a consent).
ENDING_TRIES = 5


def reject(deps: Dependencies, video_id: str, code: str, reason: str) -> None:
    """The film's own fault: REJECTED with a reason the field office can act on."""
    if _ended(deps, video_id, lambda film: lifecycle.rejected(film, code, reason, now_iso())) is None:
        logger.info("film left processing before it could be rejected")
        return
    record_rejection(code)
    logger.info("upload rejected", extra={"reason_code": code, "reason": reason})


def fail(
    deps: Dependencies, video_id: str, reason: str, code: str = "processing_failed", attempt: int | None = None
) -> None:
    """Not the film's fault (a time limit, an outage): FAILED with a reason, and it can be retried.

    A first failure from a transient cause is started again by the sweep a few minutes later (domain/sweep.py):
    it is counted as `FilmsFailedRetrying`, and `FilmsFailed` (which pages) waits for that retry to fail too. A
    second failure, a time limit or a film stuck twice counts at once: it is in the editors' Needs attention."""
    failed = _ended(deps, video_id, lambda film: lifecycle.failed(film, code, reason, now_iso()), attempt)
    if failed is None:
        return
    if retried_automatically(failed):
        count("FilmsFailedRetrying")
        logger.warning("processing failed; the sweep starts it again by itself", extra={"reason": reason})
        return
    count("FilmsFailed")
    logger.error("processing failed", extra={"reason": reason})


def _ended(
    deps: Dependencies, video_id: str, command: Callable[[Film], Change], attempt: int | None = None
) -> Film | None:
    """The film's processing ends as `command` says: the film as it ended, or None when it left processing
    meanwhile (or is gone). With `attempt`, only that attempt ends: the write is checked against the version it
    read, so another attempt started in between (a protection caught up) is never ended by it; a change that
    kept the attempt (an office's correction) has the film read again."""
    for _ in range(ENDING_TRIES):
        film = deps.catalog.get_film(video_id)
        if film is None or (attempt is not None and film.attempt != attempt):
            return None  # gone, or in another attempt than the one that ended (a message of an earlier one)
        change = command(film)
        if attempt is not None:
            change = replace(change, checks_version=True)
        try:
            deps.catalog.apply(change)
        except StaleTransitionError:
            if attempt is None or film.status not in change.expect:
                return None
            continue
        return change.after
    return None


def fail_on_time(deps: Dependencies, video_id: str, stage: str, limit_s: float) -> None:
    """FAILED at the stage's time limit: the reason names the limit and how the film is tried again."""
    fail(
        deps,
        video_id,
        f"{stage} did not finish within its time limit ({limit_s:.0f} s) and was stopped. "
        "Operators can retry the film: omjr ops retry VIDEO_ID.",
        code="processing_timeout",
    )


def seconds_left(context: Any) -> float:
    """The Lambda's remaining time: what every deadline inside a handler is derived from."""
    return float(context.get_remaining_time_in_millis()) / 1000.0
