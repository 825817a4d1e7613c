"""Deleting raw uploads once they are no longer needed (the policy is domain/retention.py).

A film's `source_delete_after` is set when its retention starts (publication, a refusal, a draft's creation); the film
then stands in the catalog's source index until its source is gone. Publishing a protected film
deletes its source at once; the scheduled sweep deletes every source whose date has passed, and
finishes what a publication could not (an S3 outage): a failed deletion leaves the film in the index,
so the next run tries again. Each deletion is in the film's audit trail (`source_deleted`, with why).

The object is marked for the uploads bucket's expiry rule before it is deleted (S3Store.discard), and
only then does the catalog record it: a crash between the two leaves a film that says its source is
due (tried again) rather than one that says it is gone while it is not.

A draft never completed by its date goes whole, as by a takedown (services/takedown.py): its tombstone first,
then every object; what S3 leaves is finished by the sweep's unfinished takedowns.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from chalicelib.clock import now_iso
from chalicelib.domain.errors import ConflictError, StaleTransitionError, UnavailableError
from chalicelib.domain.film import Film, Status
from chalicelib.domain.lifecycle import draft_deleted, source_deleted, source_undated
from chalicelib.domain.object_keys import master_key
from chalicelib.domain.retention import DeletionReason, is_due, iso, reason_for
from chalicelib.observability import count, logger
from chalicelib.services import changes, takedown
from chalicelib.services.dependencies import Dependencies

# The sweep's actor in the audit trail: no editor asked for this, the retention policy did.
ACTOR = "retention-policy"
# At most this many sources deleted per run; the next run, minutes later, takes the rest.
BATCH = 100


def delete_source(deps: Dependencies, film: Film, reason: DeletionReason) -> bool:
    """The film's raw upload deleted for good (a refused or failed film's protected master with it), and
    recorded on the film and in its audit trail.

    False when the film moved on meanwhile (a takedown, a retry): its next reading decides. Raises
    UnavailableError when S3 could not delete it: the film still says its source is due."""
    deps.uploads.discard(film.upload_key)
    # A refused or failed film is never rendered again (a retry needs the source): its protected master,
    # the child as filmed but for what was blurred, goes with the source. A published film keeps its own.
    master = reason is DeletionReason.KEPT_AFTER_REFUSAL
    if master:
        deps.uploads.discard(master_key(film.video_id))
    try:
        deps.catalog.apply(source_deleted(film, ACTOR, reason, now_iso()))  # its audit entry in the same write
    except StaleTransitionError:
        return False
    count("SourcesDeleted")
    logger.info("source deleted", extra={"video_id": film.video_id, "reason": reason.value})
    return True


def delete_due_sources(deps: Dependencies, now: datetime | None = None) -> dict[str, int]:
    """Every source whose date has passed, deleted (at most BATCH), and every draft never completed by its
    date, whole. Returns counts: deleted, failed (tried again on the next run), waiting (the film is being
    processed: after it settles), drafts_deleted."""
    at = iso(now or datetime.now(UTC))
    done = {"deleted": 0, "failed": 0, "waiting": 0, "drafts_deleted": 0}
    for video_id in deps.catalog.sources_due(at):
        if done["deleted"] + done["failed"] + done["drafts_deleted"] == BATCH:
            break
        film = deps.catalog.get_film(video_id)
        if film is None or film.status is Status.DELETED:
            continue  # a tombstone is out of the index; this reading came before it
        if film.draft:
            done["drafts_deleted"] += delete_draft(deps, film, at)
            continue
        if film.source_deleted_at is not None:
            _forget_due(deps, film)  # dated again by a publication that read the film before the deletion
            continue
        if not is_due(film, at):
            done["waiting"] += 1
            continue
        try:
            deleted = delete_source(deps, film, reason_for(film))
        except UnavailableError as error:
            count("SourceDeletionsFailed")
            extra = {"video_id": video_id, "error": str(error)}
            logger.warning("source not deleted; the next sweep tries again", extra=extra)
            done["failed"] += 1
            continue
        done["deleted"] += deleted
    if any(done.values()):
        logger.info("sources swept", extra=done)
    return done


def delete_draft(deps: Dependencies, film: Film, at: str) -> bool:
    """A draft whose details were never completed, deleted whole as by a takedown (tombstone, every object,
    audited `taken_down` with its reason), in whatever status. False when it was completed meanwhile (the
    completion wins) or S3 left something: the takedown's own mark has the sweep finish it."""
    try:
        change = draft_deleted(film, ACTOR, now_iso(), now=at)
        changes.apply(deps, change)
    except (ConflictError, StaleTransitionError):
        return False
    count("DraftsDeleted")
    logger.info("unfinished draft deleted", extra={"video_id": film.video_id, "was": film.status.value})
    return "left" not in takedown.finish(deps, change.after)


def _forget_due(deps: Dependencies, film: Film) -> None:
    # When it moved on meanwhile, the next run reads it again.
    with contextlib.suppress(StaleTransitionError):
        deps.catalog.apply(source_undated(film, now_iso()))
