"""How long a film's raw upload (its source) is kept, and what can no longer be done once it is gone.

The source is the most dangerous file held: the child's face and voice as filmed, and whatever the
camera wrote into the file (place, device, time). It is kept only while someone may still need it:

- a film published with identity protection: until it is published. The protected master
  (`object_keys.master_key`) is what any later re-render reads, and the editor compared the
  protected preview before publishing;
- any other published film: `KEPT_AFTER_PUBLICATION` after it was first published, for corrections
  (a re-render, protection asked after all, which needs the source);
- a film that ended REJECTED or FAILED: `KEPT_AFTER_REFUSAL` after it ended so, for the operator who
  looks into a refusal or retries a failure (as long as the dead-letter queues keep a failed
  message); the office fixes a refused film by sending a new file, not from our copy. Its protected
  master, if any, goes with it.

- a draft (a film sent before its details, `Film.draft`) whose details are never completed: the whole film,
  as by a takedown, `KEPT_AS_DRAFT` after it was created, whatever its status. Its date is its
  `source_delete_after` (so the sweep finds it in the same index); completing the details clears it.

A film waiting for an editor's first decision (READY, never published) keeps its source: an editor
may still ask for protection, which is made from it. A takedown deletes everything at once (services/takedown.py).
The film records when its source is due (`source_delete_after`) and, once it is gone, when it went
(`source_deleted_at`); services/retention.py does the deleting, on publication and in the sweep.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum

from chalicelib.domain.errors import ConflictError
from chalicelib.domain.film import REFUSED, SOURCE_DELETABLE, Film, Status

KEPT_AFTER_PUBLICATION = timedelta(days=30)
KEPT_AFTER_REFUSAL = timedelta(days=14)
KEPT_AS_DRAFT = timedelta(days=14)
# The takedown's reason in the audit trail when an unfinished draft is deleted.
DRAFT_UNFINISHED = "draft_unfinished"


class DeletionReason(StrEnum):
    """Why a source was deleted: in the audit trail and the logs."""

    PROTECTED_FILM_PUBLISHED = "protected_film_published"
    KEPT_AFTER_PUBLICATION = "kept_after_publication"
    KEPT_AFTER_REFUSAL = "kept_after_refusal"


def iso(moment: datetime) -> str:
    """A moment as the catalog stores times (chalicelib/clock.py): sortable as a string."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def due_on_publication(film: Film, at: str) -> str | None:
    """When the source of `film`, published at `at`, is to be deleted; None when it is already gone.

    A protected film's at once. Any other film's `KEPT_AFTER_PUBLICATION` after its first
    publication: publishing again after an unpublish does not start the clock again. The earlier
    date always wins, so a film protected after a first publication loses its source when it is
    published protected."""
    if film.source_deleted_at is not None:
        return None
    due = at if film.protect_identity is not None else iso(parse_iso(at) + KEPT_AFTER_PUBLICATION)
    return min(due, film.source_delete_after) if film.source_delete_after else due


def due_after_first_publication(film: Film) -> str | None:
    """`KEPT_AFTER_PUBLICATION` after the film was first published (its history), or None if never.
    What a retried film that had been published keeps: processing again does not restart the clock."""
    first = next((step.at for step in film.history if step.status is Status.PUBLISHED), None)
    return iso(parse_iso(first) + KEPT_AFTER_PUBLICATION) if first else None


def due_on_refusal(at: str) -> str:
    """When the source of a film that ended REJECTED or FAILED at `at` is to be deleted."""
    return iso(parse_iso(at) + KEPT_AFTER_REFUSAL)


def due_as_draft(created_at: str) -> str:
    """When a draft created at `created_at` is deleted whole unless its details are completed first."""
    return iso(parse_iso(created_at) + KEPT_AS_DRAFT)


def due_on_refusal_of(film: Film, at: str) -> str:
    """When the source of `film`, ending REJECTED or FAILED at `at`, is to be deleted: a draft keeps its own
    earlier date, when the whole film goes."""
    due = due_on_refusal(at)
    return min(due, film.source_delete_after) if film.draft and film.source_delete_after else due


def due_on_completion(film: Film) -> str | None:
    """What a draft's date becomes once its details are completed: none, or the refusal's for a film that ended
    FAILED meanwhile (a REJECTED one cannot be completed)."""
    return due_on_refusal(film.status_changed_at) if film.status in REFUSED else None


def draft_due(film: Film, now: str) -> bool:
    """Whether `film` is a draft never completed whose time is up: deleted whole, in whatever status."""
    return film.draft and film.source_delete_after is not None and film.source_delete_after <= now


def reason_for(film: Film) -> DeletionReason:
    if film.status in REFUSED:
        return DeletionReason.KEPT_AFTER_REFUSAL
    if film.protect_identity is not None:
        return DeletionReason.PROTECTED_FILM_PUBLISHED
    return DeletionReason.KEPT_AFTER_PUBLICATION


def is_due(film: Film, now: str) -> bool:
    """Whether the source of `film` is to be deleted now (and may be, in the film's status)."""
    return (
        film.source_deleted_at is None
        and film.source_delete_after is not None
        and film.source_delete_after <= now
        and film.status in SOURCE_DELETABLE
    )


def check_source_kept(film: Film, action: str) -> None:
    """Refuses `action` (what needs the source: a retry, a change of protection) once it is deleted."""
    if film.source_deleted_at is not None:
        raise ConflictError(
            f"The film's original upload was deleted on {film.source_deleted_at[:10]} (docs/PROTECTION.md, "
            f"what is kept): it cannot be {action} any more. Take the film down and upload it again if needed.",
            "source_deleted",
        )
