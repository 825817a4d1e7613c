"""Putting failed and stuck films back on their way: the sweep, a retry by id, a DLQ redrive.

A stuck film goes back to the stage its status waits for (domain/stages.py); a status no stage runs in
is an error, never a film quietly sent elsewhere.

A retry starts the film again from its upload with a new attempt number, so the idempotency
records of the attempt that failed do not stop it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.clock import now_iso
from chalicelib.domain import lifecycle
from chalicelib.domain.errors import ConflictError, NotFoundError, StaleTransitionError
from chalicelib.domain.film import Film, Status
from chalicelib.domain.stages import stage_for
from chalicelib.domain.sweep import (
    SWEPT_STATUSES,
    SweepAction,
    SweepLimits,
    retried_automatically,
    seconds_in_status,
    since,
    stale_before,
    sweep_action,
    upload_expired,
)
from chalicelib.observability import count, logger
from chalicelib.services import changes
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.handoff import send_to
from chalicelib.services.outcomes import fail
from chalicelib.services.ports import Queue

# At most this many films acted on per status and run; the next run, minutes later, takes the rest.
SWEEP_BATCH = 100
# Who the audit trail says started a film again after a transient failure.
AUTOMATIC_RETRIER = "sweep (automatic retry after a transient failure)"


def retry_film(deps: Dependencies, actor: str, video_id: str) -> dict[str, Any]:
    """An operator's or an editor's retry: FAILED -> UPLOADED with a new attempt number (domain/lifecycle.py's
    `retried`, its audit entry naming `actor`), and the upload queued for validation again. A film that is not
    FAILED: ConflictError `not_failed`."""
    film = deps.catalog.get_film(video_id)
    if film is None:
        raise NotFoundError(f"No film {video_id!r}.")
    retried = lifecycle.retried(film, actor, now_iso())
    try:
        changes.apply(deps, retried)
    except StaleTransitionError:
        raise ConflictError(f"Film {video_id} changed while it was retried; look at it again.") from None
    attempt = retried.after.attempt
    logger.info("film retried", extra={"video_id": video_id, "attempt": attempt})
    return {"video_id": video_id, "status": retried.after.status.value, "attempt": attempt}


def sweep(deps: Dependencies, limits: SweepLimits, now: datetime | None = None) -> dict[str, int]:
    """Expire unused uploads; queue stuck films once more, then fail them. Returns counts per action."""
    now = now or datetime.now(UTC)
    done = {action.value: 0 for action in SweepAction}
    for status in SWEPT_STATUSES:
        before = stale_before(status, now, limits).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        acted = 0
        # Read on past films in parts that are still within their longer window: they are no action.
        for video_id in deps.catalog.every_in_status(status, before):
            if acted == SWEEP_BATCH:
                break
            film = deps.catalog.get_film(video_id)
            if film is None or film.status is not status:
                continue
            waiting_since = datetime.fromisoformat(film.status_changed_at.replace("Z", "+00:00"))
            if status is Status.AWAITING_UPLOAD and not upload_expired(waiting_since, film.in_parts, now, limits):
                continue  # parts still arriving
            action = sweep_action(status, film.requeued, limits)
            try:
                _apply(deps, film, status, action, limits.stuck_after_s.get(status, 0))
            except StaleTransitionError:
                continue  # it moved on by itself meanwhile
            done[action.value] += 1
            acted += 1
    if any(done.values()):
        logger.info("sweep", extra=done)
    return done


def retry_transient_failures(deps: Dependencies, limits: SweepLimits, now: datetime | None = None) -> int:
    """Films FAILED from a transient cause a few minutes ago (domain/sweep.py) started again, once each: those
    FAILED within the window, the latest first, at most a batch a run. Returns how many."""
    now = now or datetime.now(UTC)
    retried = 0
    failed_lately = deps.catalog.every_in_status_since(Status.FAILED, since(now, limits.auto_retry_window_s))
    # One GetItem each, as the rest of the sweep reads (its role has no BatchGetItem).
    for film in filter(None, map(deps.catalog.get_film, failed_lately)):
        if retried == SWEEP_BATCH:
            break
        if seconds_in_status(film, now) < limits.auto_retry_after_s or not retried_automatically(film):
            continue
        try:
            changes.apply(deps, lifecycle.retried(film, AUTOMATIC_RETRIER, now_iso(), automatic=True))
        except StaleTransitionError:
            continue  # started again by someone meanwhile
        except ConflictError:
            # Its source is gone: it cannot start again by itself. Left to people, so it counts now (the
            # failure was held back from FilmsFailed for this retry: services/outcomes.py).
            count("FilmsFailed")
            logger.error("failed film could not be retried automatically", extra={"video_id": film.video_id})
            continue
        logger.info("failed film retried automatically", extra={"video_id": film.video_id})
        retried += 1
    return retried


def _apply(deps: Dependencies, film: Film, status: Status, action: SweepAction, limit_s: int) -> None:
    video_id = film.video_id
    if action is SweepAction.EXPIRE:
        changes.apply(deps, lifecycle.expired(film, "No file arrived before the upload link expired.", now_iso()))
        if film.multipart_upload_id is not None:  # the parts that did arrive go with it
            deps.uploads.abort_multipart(film.upload_key, film.multipart_upload_id)
        count("UploadsExpired")
    elif action is SweepAction.REQUEUE:
        stage = stage_for(status)  # before the touch: a status no stage runs in fails here, loudly, with no change
        deps.catalog.touch(video_id, status, now_iso(), {"requeued": film.requeued + 1})
        send_to(deps, stage, film)
        logger.warning(
            "stuck film queued again", extra={"video_id": video_id, "status": status.value, "stage": stage.name}
        )
    else:
        fail(
            deps,
            video_id,
            f"Processing stopped in {status.value} without an outcome for longer than its limit ({limit_s} s), "
            "even after it was queued once more, and was given up; it can be retried.",
            code="processing_stuck",
            # Only the attempt it found stuck: a protection caught up meanwhile started another.
            attempt=film.attempt,
        )


def redrive(source: Queue, target: Queue, limit: int = 1000) -> int:
    """Move messages from a dead-letter queue back to the queue they came from; returns how many."""
    moved = 0
    while moved < limit:
        messages = source.receive(10)
        if not messages:
            break
        for message in messages:
            target.send_raw(message["Body"])
            source.delete(message["ReceiptHandle"])
            moved += 1
    return moved
