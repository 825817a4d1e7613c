"""A film as the use cases see it, and its lifecycle (docs/PIPELINE.md): statuses and allowed transitions.

Every status change in the catalog is a conditional write built from `allowed_sources`, so a late or
duplicate event can never move a film backwards. The one way back is deliberate: when the uploaded file
that a film is being validated or transcoded from was replaced at its key (a second POST to a presigned
URL that is still valid), the film goes back to UPLOADED for the file now there, which is validated
from the start (`services/replaced_uploads.py`), so nothing unvalidated is ever transcoded. How a film
is stored (table keys, indexes) is the catalog adapter's business: here it is a typed value.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

from chalicelib.domain.fingerprint import Duplicate, Fingerprint
from chalicelib.domain.metadata import Author
from chalicelib.domain.protection import ProtectedMaster, Protection, VoiceDisguise


class Status(StrEnum):
    AWAITING_UPLOAD = "AWAITING_UPLOAD"
    UPLOADED = "UPLOADED"
    VALIDATING = "VALIDATING"
    REJECTED = "REJECTED"
    PROTECTING = "PROTECTING"
    TRANSCODING = "TRANSCODING"
    READY = "READY"
    PUBLISHED = "PUBLISHED"
    UNPUBLISHED = "UNPUBLISHED"
    FAILED = "FAILED"
    EXPIRED = "EXPIRED"
    DELETED = "DELETED"


# The sets of statuses the use cases decide by, here and nowhere else (domain/lifecycle.py's commands use them).
# A stage works on the film: an editor's change of protection waits until it is READY.
PROCESSING = frozenset({Status.UPLOADED, Status.VALIDATING, Status.PROTECTING, Status.TRANSCODING})
# Transcoded and not public: an editor may publish it, and a change of protection renders it again.
PUBLISHABLE = frozenset({Status.READY, Status.UNPUBLISHED})
# The film has its media, so it can carry subtitles.
SUBTITLED = frozenset({Status.READY, Status.PUBLISHED, Status.UNPUBLISHED})
# Films standing in the editors' lists (listing entries `status#...`), in the order the lists are shown.
LISTED = (Status.PUBLISHED, Status.UNPUBLISHED)
# A field office may correct its film's details until it is first published (and never once it was rejected,
# expired or taken down: such an upload is sent again).
CORRECTABLE = frozenset(
    {
        Status.AWAITING_UPLOAD,
        Status.UPLOADED,
        Status.VALIDATING,
        Status.PROTECTING,
        Status.TRANSCODING,
        Status.READY,
        Status.FAILED,
    }
)
# The raw upload may be deleted in these (domain/retention.py). Not while the film is being processed: a stage
# reading the source must not lose it halfway (the sweep comes back once the film has settled). A READY film
# is dated only when it was published before (processed again since, its 30 days run on).
SOURCE_DELETABLE = frozenset({Status.READY, Status.PUBLISHED, Status.UNPUBLISHED, Status.REJECTED, Status.FAILED})
# Ended so: the source's retention runs from then (domain/retention.py).
REFUSED = frozenset({Status.REJECTED, Status.FAILED})
# The stages that read the upload itself (If-Match on its ETag): when it was replaced at its key, the film goes
# back to UPLOADED for the file there now (services/replaced_uploads.py).
READING_UPLOAD = frozenset({Status.VALIDATING, Status.PROTECTING, Status.TRANSCODING})
# An operator may start these again from their upload (`ops retry`).
RETRYABLE = frozenset({Status.FAILED})
# Final with no use for a file: one that arrives for such a film (after a takedown, after its upload expired) is
# a child's raw video with no owner, deleted at once (services/validate.py).
EXPECTS_NO_UPLOAD = frozenset({Status.DELETED, Status.EXPIRED})

_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.AWAITING_UPLOAD: frozenset({Status.UPLOADED, Status.EXPIRED, Status.DELETED}),
    Status.UPLOADED: frozenset({Status.VALIDATING, Status.FAILED, Status.DELETED}),
    # Back to UPLOADED only when the upload was replaced (see the module's docstring).
    Status.VALIDATING: frozenset(
        {Status.REJECTED, Status.PROTECTING, Status.TRANSCODING, Status.FAILED, Status.DELETED, Status.UPLOADED}
    ),
    # Identity protection asked: the protected master is made from the source, then transcoded.
    Status.PROTECTING: frozenset({Status.TRANSCODING, Status.REJECTED, Status.FAILED, Status.DELETED, Status.UPLOADED}),
    # Back to PROTECTING when its office asked for protection its input lacks, after the stage before read none.
    Status.TRANSCODING: frozenset(
        {Status.READY, Status.PROTECTING, Status.REJECTED, Status.FAILED, Status.DELETED, Status.UPLOADED}
    ),
    # An editor's change of protection renders a film that is not public again from its source:
    # PROTECTING when protection is asked, TRANSCODING when it was turned off.
    Status.READY: frozenset({Status.PUBLISHED, Status.PROTECTING, Status.TRANSCODING, Status.DELETED}),
    Status.PUBLISHED: frozenset({Status.UNPUBLISHED, Status.DELETED}),
    Status.UNPUBLISHED: frozenset({Status.PUBLISHED, Status.PROTECTING, Status.TRANSCODING, Status.DELETED}),
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


@dataclass(frozen=True)
class FilmRendition:
    """One transcoded rendition of a film, stored at `key` in the media bucket."""

    name: str
    key: str
    width: int
    height: int
    # Its HLS playlist (domain/hls.py), which addresses the rendition's own bytes; none for a film made before.
    playlist_key: str | None = None


@dataclass(frozen=True)
class SubtitleTrack:
    language: str
    key: str


@dataclass(frozen=True)
class HistoryStep:
    """One transition of the film's journey: what ops and the tests read to see that no state was
    entered twice."""

    status: Status
    at: str


@dataclass(frozen=True)
class Film:
    """Everything the catalog knows of one film. A tombstone (DELETED) keeps only its id, status,
    times, history and version (and, while its takedown is unfinished, since when): every other field
    is at its default."""

    video_id: str
    status: Status
    created_at: str
    status_changed_at: str
    # The upload: who sent it, where it lies, how it arrives.
    office_id: str = ""
    upload_key: str = ""
    filename: str = ""
    content_type: str = ""
    size_bytes: int = 0
    multipart_upload_id: str | None = None
    part_size: int | None = None
    parts_joined: bool = False
    upload_etag: str | None = None
    # Sent before its details (`POST /uploads` with `"draft": true`): validated and transcoded like any film, never
    # reviewed, consented or published until the office completes its details (lifecycle.complete_draft); deleted
    # whole, as by a takedown, at its `source_delete_after` if it never is (domain/retention.py).
    draft: bool = False
    # Processing: which attempt, how often the sweep queued it again, why it stopped.
    attempt: int = 0
    requeued: int = 0
    # Whether the sweep already started it again once after a transient failure (domain/sweep.py): never twice.
    auto_retried: bool = False
    reason_code: str | None = None
    reason: str | None = None
    # What the field office said about it, and what editors changed.
    title: str = ""
    title_en: str | None = None
    description: str | None = None
    country: str = ""
    topics: tuple[str, ...] = ()
    workshop: str | None = None
    language: str | None = None
    author: Author | None = None
    # What the pipeline measured and made.
    duration_s: float | None = None
    source_width: int | None = None
    source_height: int | None = None
    # The decoded picture's size (rotation applied, pixels as stored) and whether there is sound: what
    # the protection stage needs, which runs ffmpeg without ffprobe.
    picture_width: int | None = None
    picture_height: int | None = None
    has_audio: bool | None = None
    renditions: tuple[FilmRendition, ...] = ()
    poster_key: str | None = None
    sprite_key: str | None = None
    storyboard_key: str | None = None
    # The poster's picture letterboxed for link previews; none for a film transcoded before it was made.
    share_image_key: str | None = None
    # The HLS master playlist, which names the renditions' playlists (their `playlist_key`).
    hls_key: str | None = None
    subtitles: tuple[SubtitleTrack, ...] = ()
    # Editorial state.
    published_at: str | None = None
    highlighted: bool | None = None
    sensitive: bool | None = None
    consent: Mapping[str, Any] | None = None
    safeguarding: Mapping[str, Any] | None = None
    # Identity protection (domain/protection.py): what was asked, and what the outputs carry
    # (written as they are made); None for none. Stored as `{faces, voice}`. Never public.
    protect_identity: Protection | None = None
    protection_applied: Protection | None = None
    # The protected master the protection stage made (services/protection.py), in the uploads bucket
    # beside the source, and what it carries. The transcode reads it instead of the source.
    protected_master: ProtectedMaster | None = None
    # The source's fingerprint (domain/fingerprint.py), taken by the stage that reads the source, and the
    # earlier or later films of the same office or workshop found to be the same film. Never public.
    fingerprint: Fingerprint | None = None
    duplicates: tuple[Duplicate, ...] = ()
    # The raw upload's retention (domain/retention.py): when it is due for deletion, and when it
    # went. Once it has gone, only the protected master (if any) and the outputs remain.
    source_delete_after: str | None = None
    source_deleted_at: str | None = None
    # The values that disguise this film's voice, drawn when voice protection is first asked and
    # kept (a re-run makes the same sound): the key to undoing it, so never in any view, log or audit.
    voice_disguise: VoiceDisguise | None = None
    # Set in the takedown's own transaction and removed once every object is gone (services/takedown.py):
    # a tombstone that still carries it has something left behind, which a retry or the sweep finishes.
    takedown_unfinished_since: str | None = None
    history: tuple[HistoryStep, ...] = ()
    # Moves on with every editor's change: two editors acting at once cannot both win.
    version: int = 0

    @property
    def in_parts(self) -> bool:
        """The file arrives as a multipart upload rather than one presigned POST."""
        return self.multipart_upload_id is not None

    @property
    def ever_published(self) -> bool:
        """Whether the film was ever public, whatever it is now (unpublished, rendered again with protection):
        its history keeps every transition for good, a takedown's tombstone included."""
        return self.entered(Status.PUBLISHED) is not None

    def entered(self, status: Status) -> str | None:
        """When the film last entered `status`, from its history."""
        return next((step.at for step in reversed(self.history) if step.status is status), None)


FILM_FIELDS = frozenset(field.name for field in fields(Film))
