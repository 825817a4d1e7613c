"""A takedown: the film becomes a tombstone, its media stop being public, then every object goes.

0. The media stop being public, before anything else (best effort: the takedown goes on whatever S3 says).
1. The tombstone, in one transaction with the film's listing entries and its audit entry: from then on nothing lists or
   plays the film and a late event cannot bring it back. It always wins a race: when another editor's
   change lands between its read and its write, it reads the film again and retries, each time with the
   version check (never an unconditional write: a concurrent publish's listing entries must not outlive
   the film). The tombstone is marked unfinished (`takedown_unfinished_since`) in the same write.
2. The media stop being public: untagged, and the CDN's cache emptied.
3. The deletions: outputs, unfinished transcodes, the upload and any protected master.
4. Unfinished multipart uploads aborted, last and best effort: their parts are no object anyone can
   read and can no longer be completed into one (the film is DELETED); the bucket's lifecycle rule
   discards them within two days in any case.

Every step runs whatever happened to the one before. When one fails, the film is still DELETED, the
answer names what is left, `TakedownsUnfinished` is counted (an alarm watches it) and the tombstone
keeps its mark: sending the takedown again (`DELETE /videos/{id}`, `omjr ops takedown ID`) or the
sweep on its own (`finish_unfinished`) finishes it. The mark goes once every step has gone through,
so a function that dies half-way is finished by the sweep too.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from chalicelib.clock import now_iso
from chalicelib.domain import lifecycle
from chalicelib.domain.errors import NotFoundError, StaleTransitionError, UnavailableError
from chalicelib.domain.film import Film, Status
from chalicelib.domain.object_keys import media_of, media_paths, staging_of, uploads_of
from chalicelib.domain.takedown_reasons import TakedownWhy
from chalicelib.observability import count, logger
from chalicelib.services import changes
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.media_exposure import settled_before

# A takedown that loses a race to another editor's change reads the film again and retries, this
# many times at most, waiting a little longer each time (with jitter, so two racers part ways).
ATTEMPTS = 8
BACKOFF_S = 0.05
BACKOFF_MAX_S = 1.0
# At most this many tombstones finished per sweep; the next run, minutes later, takes the rest.
SWEEP_BATCH = 100
# The steps after the tombstone, in order, by the name the answer gives what is left.
MEDIA_PUBLIC = "media_public"
CDN_CACHE = "cdn_cache"
MEDIA_OBJECTS = "media_objects"
STAGING_OBJECTS = "staging_objects"
UPLOADED_OBJECTS = "uploaded_objects"
MULTIPART_UPLOADS = "multipart_uploads"


def take_down(deps: Dependencies, actor: str, video_id: str, why: TakedownWhy) -> dict[str, Any]:
    """Every object and every public or personal datum goes; a tombstone stays, and the audit trail keeps who
    took it down and `why`. Safe to repeat: sent again for a tombstone, it finishes what an earlier takedown
    left (the first takedown's reason stays the one recorded)."""
    for attempt in range(ATTEMPTS):
        if attempt:
            backoff_s = min(BACKOFF_MAX_S, BACKOFF_S * 2 ** (attempt - 1))
            time.sleep(backoff_s * secrets.SystemRandom().uniform(0.5, 1.5))
        film = deps.catalog.get_film(video_id)
        if film is None:
            raise NotFoundError(f"No film {video_id!r}.")
        if film.status is Status.DELETED:
            return finish(deps, film)
        # Private before anything else happens, the tombstone included (`Media.REMOVE`): should the tombstone's
        # write or the untag after it fail, the media are private already (the untag after it catches a publish
        # that raced this one). The tombstone, marked unfinished, and its audit entry are one write.
        change = lifecycle.take_down(film, actor, why, now_iso())
        try:
            changes.apply(deps, change)
        except StaleTransitionError:
            logger.info(
                "takedown lost a race; reading the film again", extra={"video_id": video_id, "attempt": attempt}
            )
            continue
        count("FilmsTakenDown")
        return finish(deps, change.after)
    logger.error("takedown kept losing races", extra={"video_id": video_id, "attempts": ATTEMPTS})
    raise UnavailableError(f"Film {video_id} kept changing while it was being taken down; send the takedown again.")


def finish(deps: Dependencies, tombstone: Film) -> dict[str, Any]:
    """Every step after the tombstone, each whatever the others did; the answer names what is left."""
    video_id = tombstone.video_id
    steps: list[tuple[str, Callable[[], object]]] = [
        (MEDIA_PUBLIC, lambda: deps.media.set_public(media_of(video_id), False)),
        (CDN_CACHE, lambda: deps.media_cache.invalidate(media_paths(video_id))),
        (MEDIA_OBJECTS, lambda: deps.media.delete_prefix(media_of(video_id))),
        (STAGING_OBJECTS, lambda: deps.media.delete_prefix(staging_of(video_id))),
        (UPLOADED_OBJECTS, lambda: deps.uploads.delete_prefix(uploads_of(video_id))),
        (MULTIPART_UPLOADS, lambda: deps.uploads.abort_multipart_under(uploads_of(video_id))),
    ]
    left = [name for name, step in steps if not _ran(video_id, name, step)]
    if left:
        count("TakedownsUnfinished")
        if tombstone.takedown_unfinished_since is None:  # an older tombstone, finished once, sent again
            _mark(deps, tombstone, unfinished=True)
        logger.error("takedown unfinished", extra={"video_id": video_id, "left": left})
        return {
            "video_id": video_id,
            "status": Status.DELETED.value,
            "left": left,
            "message": (
                f"Film {video_id} is taken down: nothing lists or plays it any more. Not yet done: {', '.join(left)}. "
                "Send the takedown again, or the sweep finishes it within minutes."
            ),
        }
    if tombstone.takedown_unfinished_since is not None:
        _mark(deps, tombstone, unfinished=False)
    logger.info("film taken down", extra={"video_id": video_id})
    return {"video_id": video_id, "status": Status.DELETED.value}


def finish_unfinished(deps: Dependencies, now: datetime | None = None) -> dict[str, int]:
    """The sweep's part: every tombstone whose takedown left something behind, finished. Returns counts:
    finished, and still unfinished (tried again on the next run)."""
    done = {"finished": 0, "unfinished": 0}
    for video_id in deps.catalog.unfinished_takedowns(settled_before(now or datetime.now(UTC))):
        if sum(done.values()) == SWEEP_BATCH:
            break
        tombstone = deps.catalog.get_film(video_id)
        if tombstone is None or tombstone.status is not Status.DELETED:
            continue
        done["unfinished" if "left" in finish(deps, tombstone) else "finished"] += 1
    if any(done.values()):
        logger.info("unfinished takedowns swept", extra=done)
    return done


def _ran(video_id: str, name: str, step: Callable[[], object]) -> bool:
    try:
        step()
    # Whatever stops one step (a denied action, S3 down), the next still runs; the failure is logged and named.
    except Exception:
        logger.exception("a takedown step failed", extra={"video_id": video_id, "step": name})
        return False
    return True


def _mark(deps: Dependencies, tombstone: Film, *, unfinished: bool) -> None:
    """The tombstone says whether its takedown left something behind (the sweep finds it by that)."""
    try:
        deps.catalog.apply(lifecycle.takedown_marked(tombstone, now_iso(), unfinished=unfinished))
    except StaleTransitionError:  # pragma: no cover - a tombstone stays a tombstone
        logger.error("tombstone not found to mark", extra={"video_id": tombstone.video_id})
