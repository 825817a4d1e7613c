"""The lifecycle of a film (docs/PIPELINE.md): its statuses and the transitions allowed between them.

Every status change in the catalog is a conditional write built from `allowed_sources`, so a late or
duplicate event can never move a film backwards. The one way back is deliberate: when the uploaded file
that a film is being validated or transcoded from was replaced at its key (a second POST to a presigned
URL that is still valid), the film goes back to UPLOADED for the file now there, which is validated
from the start (`services/replaced_uploads.py`), so nothing unvalidated is ever transcoded.
"""

from __future__ import annotations

import uuid
from enum import StrEnum


class Status(StrEnum):
    AWAITING_UPLOAD = "AWAITING_UPLOAD"
    UPLOADED = "UPLOADED"
    VALIDATING = "VALIDATING"
    REJECTED = "REJECTED"
    TRANSCODING = "TRANSCODING"
    READY = "READY"
    PUBLISHED = "PUBLISHED"
    UNPUBLISHED = "UNPUBLISHED"
    FAILED = "FAILED"
    EXPIRED = "EXPIRED"
    DELETED = "DELETED"


PROCESSING = frozenset({Status.UPLOADED, Status.VALIDATING, Status.TRANSCODING})

_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.AWAITING_UPLOAD: frozenset({Status.UPLOADED, Status.EXPIRED, Status.DELETED}),
    Status.UPLOADED: frozenset({Status.VALIDATING, Status.FAILED, Status.DELETED}),
    # Back to UPLOADED only when the upload was replaced (see the module's docstring).
    Status.VALIDATING: frozenset({Status.REJECTED, Status.TRANSCODING, Status.FAILED, Status.DELETED, Status.UPLOADED}),
    Status.TRANSCODING: frozenset({Status.READY, Status.REJECTED, Status.FAILED, Status.DELETED, Status.UPLOADED}),
    Status.READY: frozenset({Status.PUBLISHED, Status.DELETED}),
    Status.PUBLISHED: frozenset({Status.UNPUBLISHED, Status.DELETED}),
    Status.UNPUBLISHED: frozenset({Status.PUBLISHED, Status.DELETED}),
    # A failed film can be retried from the start of processing.
    Status.FAILED: frozenset({Status.UPLOADED, Status.DELETED}),
    Status.REJECTED: frozenset({Status.DELETED}),
    Status.EXPIRED: frozenset({Status.DELETED}),
    Status.DELETED: frozenset(),
}


def can_transition(current: Status, target: Status) -> bool:
    return target in _TRANSITIONS[current]


def allowed_sources(target: Status) -> frozenset[Status]:
    """The statuses from which a film may move to `target`."""
    return frozenset(source for source, targets in _TRANSITIONS.items() if target in targets)


def is_video_id(value: str) -> bool:
    """Video ids are UUIDs chosen by the server; anything else names no film."""
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False
