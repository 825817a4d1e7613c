"""Protection its office asked while a stage that had read none of it ran (a correction, a draft's completion
during PROTECTING or TRANSCODING), caught up: the film goes to the protection stage, as when an editor asks
(domain/lifecycle.py's `protection_caught_up`). The transcode does it at its start and right after it makes the
film READY (services/transcode.py); the sweep does it for a READY film whose transcode could not (its last
delivery failed there, or its worker died), so that no film waits unpublishable for an operator."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum

from chalicelib.clock import now_iso
from chalicelib.domain.errors import StaleTransitionError
from chalicelib.domain.film import Film, Status
from chalicelib.domain.lifecycle import protection_caught_up
from chalicelib.domain.sweep import SweepLimits, seconds_in_status, since
from chalicelib.observability import count, logger
from chalicelib.services import changes
from chalicelib.services.dependencies import Dependencies

# Tries at catching a film's protection up, each on the film as read again after another change won the write.
CATCH_UP_TRIES = 5


class CatchUp(Enum):
    """What a catch-up found."""

    SENT = "sent"  # the film went to the protection stage
    MOVED_ON = "moved_on"  # another change took the film elsewhere meanwhile (another delivery's catch-up)
    NOTHING_LACKING = "nothing_lacking"


def catch_up(deps: Dependencies, video_id: str, film: Film | None = None) -> CatchUp:
    """The film to the protection stage when its outputs (or its transcode's input) lack what its office asked.
    A change that won the write meanwhile (a consent, another correction) has the film read again and decided
    anew; should that go on, StaleTransitionError (a message fails and is delivered again). Publishing waits for
    it (protection_pending). Decided on `film` when given (what the caller read), else on the film as it is now."""
    current = film if film is not None else deps.catalog.get_film(video_id)
    decided_in = current.status if current is not None else None
    for _attempt in range(CATCH_UP_TRIES):
        change = protection_caught_up(current, now_iso()) if current is not None else None
        if change is None:
            # Read again after a lost write: moved on meanwhile (another delivery caught it up, a takedown), it is
            # no longer the caller's to transcode.
            moved_on = current is None or current.status is not decided_in
            return CatchUp.MOVED_ON if moved_on else CatchUp.NOTHING_LACKING
        try:
            changes.apply(deps, change)
        except StaleTransitionError:
            current = deps.catalog.get_film(video_id)
            continue
        count("ProtectionCaughtUp")
        logger.info("protection asked meanwhile: sent to the protection stage", extra={"video_id": video_id})
        return CatchUp.SENT
    raise StaleTransitionError(f"Film {video_id} kept changing while its protection was caught up.")


def catch_up_ready_films(deps: Dependencies, limits: SweepLimits, now: datetime | None = None) -> int:
    """The sweep's part: READY films whose outputs lack what their office asked, caught up, when they became
    READY long enough ago for their transcode to have had its go, and not too long ago (domain/sweep.py's
    limits). A film that fails is left to the next run, and the rest go on. Returns how many were sent."""
    now = now or datetime.now(UTC)
    sent = 0
    # One GetItem each, as the rest of the sweep reads (its role has no BatchGetItem).
    ready_lately = deps.catalog.every_in_status_since(Status.READY, since(now, limits.catch_up_window_s))
    for film in filter(None, map(deps.catalog.get_film, ready_lately)):
        if film.status is not Status.READY or seconds_in_status(film, now) < limits.catch_up_after_s:
            continue  # moved on, or its transcode, delivered again, may still catch it up
        try:
            sent += catch_up(deps, film.video_id, film) is CatchUp.SENT
        except Exception:
            logger.exception("could not catch up a film's protection", extra={"video_id": film.video_id})
    return sent
