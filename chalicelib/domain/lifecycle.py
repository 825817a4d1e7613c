"""A film's lifecycle as commands: each takes the film as read and returns the `Change` it makes, or raises
the domain error that says why not (the codes of docs/API.md).

What a Change is, and how it is written, is domain/change.py.

Which statuses allow what is in domain/film.py (the transitions and the status sets).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from chalicelib.domain.change import AuditEntry, Change, Listed, Media, listed_as
from chalicelib.domain.editorial import check_publishable, check_unchanged
from chalicelib.domain.errors import ConflictError, NotFoundError, StaleTransitionError
from chalicelib.domain.film import (
    CORRECTABLE,
    LISTED,
    PROCESSING,
    PUBLISHABLE,
    READING_UPLOAD,
    RETRYABLE,
    SOURCE_DELETABLE,
    SUBTITLED,
    Film,
    FilmRendition,
    Status,
    SubtitleTrack,
    allowed_sources,
)
from chalicelib.domain.fingerprint import Fingerprint
from chalicelib.domain.metadata import Author, UploadFile, UploadRequest
from chalicelib.domain.protection import (
    ProtectedMaster,
    Protection,
    check_protected,
    must_render_again,
    record_of,
    still_applied,
    voice_disguise_for,
)
from chalicelib.domain.retention import (
    DRAFT_UNFINISHED,
    DeletionReason,
    check_source_kept,
    draft_due,
    due_after_first_publication,
    due_as_draft,
    due_on_completion,
    due_on_publication,
    due_on_refusal_of,
)
from chalicelib.domain.source import SourceDescription
from chalicelib.domain.stages import PROTECT, VALIDATE, stage_after, stage_for
from chalicelib.domain.takedown_reasons import TakedownWhy, check_note_names_no_one


def new_upload(video_id: str, office_id: str, request: UploadRequest, key: str, at: str) -> Film:
    """The film a field office's upload request makes, AWAITING_UPLOAD its file at `key`."""
    file = UploadFile(request.filename, request.extension, request.size_bytes, request.content_type)
    return _with_details(_awaiting(video_id, office_id, file, key, at), request)


def new_draft(video_id: str, office_id: str, file: UploadFile, key: str, at: str) -> Film:
    """A film sent before its details, AWAITING_UPLOAD its file at `key`: processed like any film, never
    reviewed or published until `complete_draft`, deleted whole at its date if never completed."""
    return replace(_awaiting(video_id, office_id, file, key, at), draft=True, source_delete_after=due_as_draft(at))


def _awaiting(video_id: str, office_id: str, file: UploadFile, key: str, at: str) -> Film:
    return Film(
        video_id=video_id,
        status=Status.AWAITING_UPLOAD,
        created_at=at,
        status_changed_at=at,
        office_id=office_id,
        upload_key=key,
        filename=file.filename,
        content_type=file.content_type,
        size_bytes=file.size_bytes,
    )


def _with_details(film: Film, request: UploadRequest, rng: random.Random | None = None) -> Film:
    """`film` with the details its office gave (`request`)."""
    return replace(
        film,
        title=request.title,
        description=request.description,
        country=request.country,
        topics=request.topics,
        workshop=request.workshop,
        language=request.language,
        author=request.author,
        protect_identity=request.protect_identity,
        # Drawn now when the voice is to be disguised, kept private on the film (domain/protection.py).
        voice_disguise=voice_disguise_for(request.protect_identity, film.voice_disguise, rng),
    )


# The upload ------------------------------------------------------------------------------------------------
# The system's own moves: no person acts, so no audit entry; none checks the version (each names the fields it
# writes, and the film must still be in the status it expects).


def uploaded(film: Film, at: str, *, etag: str, size_bytes: int) -> Change:
    """AWAITING_UPLOAD -> UPLOADED: the file arrived (S3's event), at `etag` and of `size_bytes`."""
    after = replace(film, status=Status.UPLOADED, status_changed_at=at, upload_etag=etag, size_bytes=size_bytes)
    return _moved(film, after, at, frozenset({Status.AWAITING_UPLOAD}), writes=("upload_etag", "size_bytes"))


def validating(film: Film, at: str) -> Change:
    """UPLOADED -> VALIDATING: the validate stage took the upload (a concurrent delivery of its event loses)."""
    return _moved(
        film, replace(film, status=Status.VALIDATING, status_changed_at=at), at, allowed_sources(Status.VALIDATING)
    )


def expired(film: Film, reason: str, at: str) -> Change:
    """AWAITING_UPLOAD -> EXPIRED: no whole file arrived in time (the link expired unused, or S3 discarded the
    parts sent); final."""
    after = replace(film, status=Status.EXPIRED, status_changed_at=at, reason_code="upload_expired", reason=reason)
    return _moved(film, after, at, allowed_sources(Status.EXPIRED), writes=("reason_code", "reason"))


def upload_replaced(film: Film, at: str, *, etag: str, size_bytes: int) -> Change:
    """The one way back: a stage reading the upload found it replaced at its key (a second POST to a presigned
    URL still valid). UPLOADED again for the file there now (`etag`, `size_bytes`), as a new attempt, validated
    from the start (domain/film.py's docstring)."""
    after = replace(
        film,
        status=Status.UPLOADED,
        status_changed_at=at,
        upload_etag=etag,
        size_bytes=size_bytes,
        attempt=film.attempt + 1,  # a new attempt: not the old run's idempotency key
        requeued=0,
    )
    writes = ("upload_etag", "size_bytes", "attempt", "requeued")
    return _moved(film, after, at, READING_UPLOAD, writes, then=True)


def retried(film: Film, actor: str, at: str, *, automatic: bool = False) -> Change:
    """An operator's or an editor's retry (`ops retry`, `POST /videos/{id}/retry`), or the sweep's one
    `automatic` retry after a transient failure: FAILED -> UPLOADED with a new attempt number, validated again
    from its upload. Processing again, the refusal's reason and its date for the source go; a film published
    before keeps its first date. On the version read: the operator acted on the film as it was."""
    if film.status not in RETRYABLE:
        raise ConflictError(f"Film {film.video_id} is {film.status}; only a FAILED film can be retried.", "not_failed")
    check_source_kept(film, "retried")
    after = replace(
        film,
        status=Status.UPLOADED,
        status_changed_at=at,
        attempt=film.attempt + 1,
        requeued=0,
        reason_code=None,
        reason=None,
        # A draft keeps its own date (the whole film goes then); any other film its first publication's, if any.
        source_delete_after=film.source_delete_after if film.draft else due_after_first_publication(film),
        auto_retried=film.auto_retried or automatic,
    )
    audit = AuditEntry(actor, "retried", {"attempt": after.attempt, **({"automatic": True} if automatic else {})})
    return Change(film, after, at, frozenset({film.status}), audit, next_stage=stage_for(after.status))


def _moved(
    film: Film,
    after: Film,
    at: str,
    sources: frozenset[Status],
    writes: tuple[str, ...] = (),
    *,
    then: bool = False,
) -> Change:
    """The system moves the film to `after.status` if it is still in the status read, one of `sources` (else it
    moved on: StaleTransitionError, as the catalog would say); `then`: the stage that status waits for is told
    once committed."""
    target = after.status
    if film.status not in sources:
        raise StaleTransitionError(f"film {film.video_id} cannot move to {target.value} from {film.status.value}.")
    next_stage = stage_for(target) if then else None
    return Change(film, after, at, frozenset({film.status}), next_stage=next_stage, writes=writes, checks_version=False)


# Editors --------------------------------------------------------------------------------------------


def check_complete(film: Film, action: str) -> None:
    """Refuses `action` (consent, a publication, a highlight, an edit of its details, subtitles) for a draft: its
    details are not all known yet, and are its office's to give. Protecting it, flagging it sensitive, taking it
    down or removing a highlight are never refused: each keeps the child safer."""
    if film.draft:
        raise ConflictError(
            f"Film {film.video_id} is a draft: its field office has not completed its details yet, so it cannot "
            f"be {action}. It waits for them (or is deleted on {(film.source_delete_after or '')[:10]}).",
            "draft_incomplete",
        )


def record_consent(film: Film, actor: str, consent: Mapping[str, Any], at: str) -> Change:
    check_complete(film, "given consent")
    recorded = {**consent, "recorded_by": actor, "recorded_at": at}
    return _edited(film, replace(film, consent=recorded), at, AuditEntry(actor, "consent_recorded"))


def edit(film: Film, actor: str, changes: Mapping[str, Any], at: str) -> Change:
    """`changes` as domain/editorial.py's `parse_edit` gives them (None removes an optional field)."""
    if set(changes) - {"sensitive"}:
        check_complete(film, "given details by an editor")
    audit = AuditEntry(actor, "edited", {"fields": sorted(changes)})
    # A published film's share page shows its text: written again after the commit, as its media are exposed.
    media = Media.EXPOSE if film.status is Status.PUBLISHED else Media.UNCHANGED
    return _edited(film, replace(film, **changes), at, audit, media=media)


def highlight(film: Film, actor: str, highlighted: bool, at: str) -> Change:
    if highlighted:
        check_complete(film, "highlighted")
    audit = AuditEntry(actor, "highlighted", {"highlighted": highlighted})
    return _edited(film, replace(film, highlighted=highlighted), at, audit)


def publish(
    film: Film, actor: str, at: str, *, safeguarding_confirmed: bool, seen_version: int | None = None
) -> Change:
    """Public only after the commit (`Media.EXPOSE`): a protection turned on meanwhile wins, and its
    unprotected version is never tagged. With `seen_version`, only the film as the editor saw it: the change
    checks the version read, so nothing can change between this check and the commit. A protected version
    being made is said as such first: the most precise reason, whatever the editor saw."""
    check_complete(film, "published")
    if film.status in PROCESSING and film.protect_identity is not None:
        check_protected(film.protect_identity, None)  # its protected version is being made: say so
    check_unchanged(film, seen_version)
    if film.status not in PUBLISHABLE:
        raise ConflictError(
            f"Film {film.video_id} is {film.status}; only a READY or UNPUBLISHED film can be published."
        )
    check_publishable(film, safeguarding_confirmed)
    source_due = due_on_publication(film, at)
    after = replace(
        film,
        status=Status.PUBLISHED,
        status_changed_at=at,
        published_at=at,
        source_delete_after=source_due or film.source_delete_after,
        safeguarding={"confirmed_by": actor, "confirmed_at": at} if safeguarding_confirmed else film.safeguarding,
    )
    return Change(
        film,
        after,
        at,
        frozenset({film.status}),
        AuditEntry(actor, "published"),
        listed_as(after),
        Media.EXPOSE,
        deletes_source=source_due is not None and source_due <= at,
    )


def unpublish(film: Film, actor: str, at: str) -> Change:
    """Private before anything else, and again after the commit (`Media.HIDE`)."""
    if film.status is not Status.PUBLISHED:
        raise ConflictError(f"Film {film.video_id} is {film.status}; only a PUBLISHED film can be unpublished.")
    after = replace(film, status=Status.UNPUBLISHED, status_changed_at=at, published_at=None)
    audit = AuditEntry(actor, "unpublished")
    return Change(film, after, at, frozenset({film.status}), audit, listed_as(after), Media.HIDE)


def request_protection(
    film: Film, actor: str, asked: Protection | None, at: str, rng: random.Random | None = None
) -> Change:
    """An editor turns identity protection on or off for a film that is not public. A film whose outputs do
    not carry exactly what is now asked is rendered again. `rng` draws the voice disguise when the voice is
    asked for the first time (the system's secure source unless given)."""
    if film.status is Status.PUBLISHED:
        raise ConflictError(
            "Unpublish the film before changing its identity protection: the public must never see a version "
            "that is not the one chosen.",
            "unpublish_first",
        )
    if film.status in PROCESSING:
        # The stages read the protection asked when they start: a change now could leave outputs that do
        # not carry it. Once the film is READY, a change renders it again.
        raise ConflictError(
            f"Film {film.video_id} is being processed ({film.status}); change its identity protection once it "
            "is READY.",
            "film_processing",
        )
    if asked != film.protect_identity:
        # Whatever the change, new outputs are made from the source: without it, none can be.
        check_source_kept(film, "protected anew or unprotected")
    details = record_of(asked)
    # Drawn the first time the voice is to be disguised, then kept whatever is turned off and on again: the
    # protected sound stays the same. The audit says only that the voice is asked.
    after = replace(film, protect_identity=asked, voice_disguise=voice_disguise_for(asked, film.voice_disguise, rng))
    if film.status in PUBLISHABLE and must_render_again(asked, film.protection_applied):
        return _rendered_again(film, after, actor, at, details)
    return _edited(film, after, at, AuditEntry(actor, "protection_changed", details))


def _made_again_for_office(film: Film) -> bool:
    """A field office asked for protection (a correction, a draft's completion) that the outputs of this READY
    (or unpublished) film lack: its protected version is made as when an editor asks, or nothing would ever
    make it. Not without a source to make it from: publishing then still waits for the protection."""
    return (
        film.status in PUBLISHABLE
        and film.source_deleted_at is None
        and must_render_again(film.protect_identity, film.protection_applied)
    )


# Who the audit trail says made a film again with the protection its office asked while it was being made.
PIPELINE_ACTOR = "pipeline"


def protection_caught_up(film: Film, at: str) -> Change | None:
    """A film whose office asked for identity protection while a stage that had read none ran (a correction, a
    draft's completion) is made again with it once that stage is done: at the transcode's start when its input
    (the source, or a master made before the ask) lacks it, at its end when the outputs it made do, as when an
    editor asks. None when nothing is lacking, or nothing can be made (no source: publishing waits for it)."""
    if film.source_deleted_at is not None or film.protect_identity is None:
        return None
    if film.status is Status.TRANSCODING:
        carried = film.protected_master.carries if film.protected_master else None
    elif film.status is Status.READY:
        carried = film.protection_applied
    else:
        return None
    # Exactly what is asked, as the editors' rule: a master made for an earlier, larger ask (the voice disguised
    # before an editor turned protection off) is not reused for a smaller one.
    if not must_render_again(film.protect_identity, carried):
        return None
    details = {"protect_identity": record_of(film.protect_identity)}
    return _rendered_again(film, film, PIPELINE_ACTOR, at, details, action="protection_caught_up")


def _rendered_again(
    film: Film, asked: Film, actor: str, at: str, details: Mapping[str, Any], *, action: str = "protection_changed"
) -> Change:
    """A film whose outputs do not carry exactly the protection `asked` holds is made again from its upload,
    with no new upload: PROTECTING (then TRANSCODING) when protection is asked, TRANSCODING from the source
    when it was turned off. The new outputs replace the old ones at the same keys."""
    protect = asked.protect_identity is not None
    after = replace(
        asked,
        status=Status.PROTECTING if protect else Status.TRANSCODING,
        status_changed_at=at,
        attempt=film.attempt + 1,  # a new attempt: not the old run's key
        requeued=0,
        # True of the old outputs and of the new ones alike, so true at every moment in between.
        protection_applied=still_applied(asked.protect_identity, film.protection_applied),
    )
    audit = AuditEntry(actor, action, {**details, "rendered_again": True})
    return Change(
        film, after, at, frozenset({film.status}), audit, listed_as(after), next_stage=stage_for(after.status)
    )


def check_subtitled(film: Film) -> None:
    """Subtitles are added to a film that has its media (and a duration to check their cues against), and its
    details (not a draft)."""
    check_complete(film, "given subtitles")
    if not film.duration_s or film.status not in SUBTITLED:
        raise ConflictError(f"Film {film.video_id} is {film.status}; subtitles are added once it is READY.")


def add_subtitles(film: Film, actor: str, track: SubtitleTrack, at: str) -> Change:
    """A language's subtitles, new or replacing the old (whose object goes after the commit). The new track
    is public after the commit when the film is published then (`Media.EXPOSE`)."""
    check_subtitled(film)
    others = [each for each in film.subtitles if each.language != track.language]
    subtitles = tuple(sorted([*others, track], key=lambda each: each.language))
    replaced = tuple(each.key for each in film.subtitles if each.language == track.language and each.key != track.key)
    audit = AuditEntry(actor, "subtitles_added", {"language": track.language})
    return _edited(film, replace(film, subtitles=subtitles), at, audit, media=Media.EXPOSE, forget=replaced)


def remove_subtitles(film: Film, actor: str, language: str, at: str) -> Change:
    """A language's subtitles go: out of the catalog and its listings, then the object, and the CDN's cache."""
    if film.status not in SUBTITLED:
        raise ConflictError(f"Film {film.video_id} is {film.status}; it has no subtitles to remove.")
    removed = tuple(each.key for each in film.subtitles if each.language == language)
    if not removed:
        raise NotFoundError(f"Film {film.video_id} has no {language} subtitles.", "subtitles_not_found")
    subtitles = tuple(each for each in film.subtitles if each.language != language)
    audit = AuditEntry(actor, "subtitles_removed", {"language": language})
    return _edited(film, replace(film, subtitles=subtitles), at, audit, forget=removed)


def relist(film: Film, at: str) -> Change:
    """The film's listing entries written anew from the film (an operator's repair): nothing else changes."""
    return Change(film, film, at, frozenset({film.status}), listed=listed_as(film))


def _edited(film: Film, after: Film, at: str, audit: AuditEntry, **effects: Any) -> Change:
    """A change within the film's status, on the version read: any change made meanwhile makes it stale."""
    if film.status is Status.PUBLISHED and after.sensitive and not film.sensitive:
        raise ConflictError(
            "Unpublish the film before flagging it sensitive: it may then be published again "
            "only with a safeguarding confirmation.",
            "unpublish_first",
        )
    listed = listed_as(after) if film.status in LISTED else None
    return Change(film, after, at, frozenset({film.status}), audit, listed, **effects)


# A takedown -----------------------------------------------------------------------------------------


def take_down(film: Film, actor: str, why: TakedownWhy, at: str) -> Change:
    """The film becomes a tombstone, marked unfinished until every object is gone, out of every listing it
    stands in; its media are made private before anything else (`Media.REMOVE`). Why it was taken down is in
    the audit entry only (which outlives the film), never in the tombstone: a note naming the child is refused."""
    check_note_names_no_one(why, film.author.first_name if film.author else None)
    return _taken_down(film, actor, why.as_details(), at)


def _taken_down(film: Film, actor: str, why: Mapping[str, str], at: str) -> Change:
    tombstone = Film(film.video_id, Status.DELETED, film.created_at, at, takedown_unfinished_since=at)
    audit = AuditEntry(actor, "taken_down", {"was": film.status.value, **why})
    return Change(film, tombstone, at, frozenset({film.status}), audit, Listed((), {}, None), Media.REMOVE)


def draft_deleted(film: Film, actor: str, at: str, now: str | None = None) -> Change:
    """A draft whose details were never completed, deleted whole at its date (due by `now`, `at` unless given)
    as by a takedown (the raw video of a child no one described): on the version read, so a completion
    meanwhile wins."""
    if not draft_due(film, now or at):
        raise ConflictError(f"Film {film.video_id} is no draft due for deletion.", "not_a_draft")
    return _taken_down(film, actor, {"reason": DRAFT_UNFINISHED}, at)


def takedown_marked(tombstone: Film, at: str, *, unfinished: bool) -> Change:
    """The tombstone says whether its takedown left something behind (the sweep finds it by that)."""
    after = replace(tombstone, takedown_unfinished_since=at if unfinished else None)
    return Change(tombstone, after, at, frozenset({Status.DELETED}), checks_version=False)


# Field offices ---------------------------------------------------------------------------------------


def check_correctable(film: Film) -> None:
    """A film's details may be corrected by its office until it is first published, and never after
    (whatever it became since): once public, always the editors' film."""
    if film.status in CORRECTABLE and not film.ever_published:
        return
    if film.ever_published:
        why = "This film has already been published: ask the project's editors to change its details."
    else:
        why = (
            f"This upload is {film.status.value.lower()}: its details can no longer be corrected. "
            "Upload the film again with the right details."
        )
    raise ConflictError(why, "not_correctable")


def correct(film: Film, actor: str, changed: Mapping[str, Any], at: str, rng: random.Random | None = None) -> Change:
    """A field office's correction of `changed` (as `parse_correction` gives them, each different from the
    film's). One made after an editor recorded consent clears that consent: the editor reviews it again. One
    that asks for protection a READY film's outputs lack has it made again (PROTECTING) in the same write; one
    made while a stage runs is made when that stage ends (`protection_caught_up`)."""
    check_correctable(film)
    protection = "protect_identity" in changed
    review_again = bool(film.consent)
    after = replace(film, **{name: _typed(name, value) for name, value in changed.items()})
    if protection:
        # Drawn when this correction is the first to ask for the voice (private: the audit names no value).
        after = replace(after, voice_disguise=voice_disguise_for(after.protect_identity, film.voice_disguise, rng))
    if review_again:
        after = replace(after, consent=None, safeguarding=None)
    details: dict[str, Any] = {"fields": sorted(changed), "sent_back_to_review": review_again}
    if protection:  # what was asked, as the editors' protection_changed records it
        details["protect_identity"] = changed["protect_identity"]
    if protection and _made_again_for_office(after):
        # A READY (or unpublished) film: its protected version is asked in the same write, as a completion's is
        # (a second write could lose to an editor's change and leave the protection asked and never made).
        return _rendered_again(film, after, actor, at, details, action="corrected_by_office")
    # Asked while a stage that read none runs (or starts meanwhile), it is kept: that stage's end makes the film
    # again with it (`protection_caught_up`), and publishing waits for it (protection_pending) until then. In the
    # status read and no other: a stage's end (which moves no version) landing first would leave it asked on a
    # READY film that nothing makes again; refused, the office's request reads the film again and decides anew.
    expect = frozenset({film.status}) if protection else CORRECTABLE
    return Change(film, after, at, expect, AuditEntry(actor, "corrected_by_office", details))


def complete_draft(film: Film, actor: str, request: UploadRequest, at: str, rng: random.Random | None = None) -> Change:
    """A field office completes its draft's details (`request`, checked as a full upload's): the draft ends,
    and so does its date for deletion; the film goes on where the pipeline has it (a READY film waits for
    review). Refused where a correction is (a rejected or expired upload is sent again); a protection asked while
    a stage that read none runs is made when it ends, as a correction's."""
    if not film.draft:
        raise ConflictError(f"Film {film.video_id} is no draft: its details are complete.", "not_a_draft")
    check_correctable(film)
    # Protection an editor asked for meanwhile stays: an office turns protection on, never off (as a correction).
    kept = film.protect_identity
    asked = request.protect_identity
    merged = Protection.named(
        faces=bool(kept and kept.faces) or bool(asked and asked.faces),
        voice=bool(kept and kept.voice) or bool(asked and asked.voice),
    )
    request = replace(request, protect_identity=merged)
    protect = merged != kept
    after = replace(_with_details(film, request, rng), draft=False, source_delete_after=due_on_completion(film))
    details: dict[str, Any] = {
        "fields": sorted(name for name in DETAIL_FIELDS if getattr(after, name) not in (None, "", ()))
    }
    # The office's answer, "may be recognised" ({faces: false, voice: false}) included: who said so is on record.
    details["answered"] = record_of(asked)
    if protect:
        details["protect_identity"] = record_of(request.protect_identity)
    if protect and _made_again_for_office(after):
        # A READY draft completed with protection: its protected version is asked in the same write (the film
        # is never complete, READY and without it, nor left there should a second write fail).
        return _rendered_again(film, after, actor, at, details, action="details_completed")
    # In the status read and no other: a stage's end (which moves no version) between this read and the write
    # would otherwise be overwritten with what was read (a FAILED film's deletion date among it).
    return Change(film, after, at, frozenset({film.status}), AuditEntry(actor, "details_completed", details))


# A film's details as its office gives them (the audit of a completion names those given).
DETAIL_FIELDS = ("title", "country", "topics", "author", "language", "workshop", "description", "protect_identity")


def _typed(name: str, value: Any) -> Any:
    """A corrected field's JSON value as the film holds it."""
    if name == "author" and value is not None:
        return Author(first_name=value["first_name"], age=int(value["age"]))
    if name == "protect_identity":
        return Protection.of(value)
    return tuple(value) if isinstance(value, list) else value


# Retention --------------------------------------------------------------------------------------------


def source_deleted(film: Film, actor: str, reason: DeletionReason, at: str) -> Change:
    """The raw upload is gone for good (a refused or failed film's protected master with it): recorded on the
    film, whatever else happened to it meanwhile, while it is in a status that lets it go."""
    master = reason is DeletionReason.KEPT_AFTER_REFUSAL
    after = replace(film, source_deleted_at=at, source_delete_after=None)
    if master:
        after = replace(after, protected_master=None)
    audit = AuditEntry(actor, "source_deleted", {"reason": reason.value, "due": film.source_delete_after})
    writes = ("source_deleted_at", "source_delete_after", *(("protected_master",) if master else ()))
    return Change(film, after, at, SOURCE_DELETABLE, audit, writes=writes, checks_version=False)


def source_undated(film: Film, at: str) -> Change:
    """The film leaves the source index: its source was deleted already (a publication that read the film
    before the deletion dated it again). In whatever status it is still in."""
    after = replace(film, source_delete_after=None)
    return Change(film, after, at, frozenset({film.status}), writes=("source_delete_after",), checks_version=False)


# The pipeline's stages ------------------------------------------------------------------------------------
# A stage's completion does not check the version (an editor cannot change a film being processed, and the
# sweep's requeue count moves on meanwhile): it names the fields it writes, and the film must still be in
# the status the stage works in. Validation's does: what it decides (protect or not) is read from the film.


def validated(film: Film, at: str, source: SourceDescription, *, etag: str, size_bytes: int) -> Change:
    """VALIDATING -> PROTECTING when identity protection is asked (the protected master first, every public
    output from it), TRANSCODING otherwise; with what the probe measured of the file at `etag`: what the
    transcoder, and the protection stage (which has no ffprobe), read."""
    assert source.video is not None and source.duration_s is not None, "a source the rules accepted"
    width, height = source.video.display_size
    picture_width, picture_height = source.video.decoded_size
    protect = film.protect_identity is not None
    after = replace(
        film,
        status=Status.PROTECTING if protect else Status.TRANSCODING,
        status_changed_at=at,
        duration_s=round(source.duration_s, 3),
        source_width=width,
        source_height=height,
        picture_width=picture_width,
        picture_height=picture_height,
        has_audio=source.has_audio,
        upload_etag=etag,
        size_bytes=size_bytes,
    )
    writes = (
        "duration_s",
        "source_width",
        "source_height",
        "picture_width",
        "picture_height",
        "has_audio",
        "upload_etag",
        "size_bytes",
    )
    # At the version read: a field office may ask for protection while the film is validated (no stage has read
    # it yet), and a film sent to the transcode from its source without it would FAIL there.
    return Change(
        film, after, at, frozenset({Status.VALIDATING}), next_stage=stage_after(VALIDATE, after.status), writes=writes
    )


def protected(film: Film, master: ProtectedMaster | None, at: str, fingerprint: Fingerprint | None = None) -> Change:
    """PROTECTING -> TRANSCODING: the protected master made, or none when nothing
    is asked any more (the transcode then reads the source); the transcode is told. With the master comes
    the source's fingerprint, taken in the same decode (the transcode reads the master, not the source)."""
    after = replace(
        film,
        status=Status.TRANSCODING,
        status_changed_at=at,
        protected_master=master,
        fingerprint=fingerprint or film.fingerprint,
    )
    return Change(
        film,
        after,
        at,
        frozenset({Status.PROTECTING}),
        next_stage=stage_after(PROTECT, after.status),
        writes=("protected_master",),
        checks_version=False,
    )


def transcoded(
    film: Film,
    at: str,
    *,
    renditions: tuple[FilmRendition, ...],
    images: Mapping[str, str],
    duration_s: float,
    applied: Protection | None,
    fingerprint: Fingerprint | None = None,
) -> Change:
    """TRANSCODING -> READY with what the transcode made: its renditions, images (`poster_key`, `sprite_key`,
    `storyboard_key`, `share_image_key`) and HLS master (`hls_key`), the decoded duration, and what protection
    the outputs carry (exactly that, nothing more); and the source's fingerprint when it read the source (else
    the protection stage's stays)."""
    after = replace(
        film,
        status=Status.READY,
        status_changed_at=at,
        renditions=renditions,
        poster_key=images["poster_key"],
        sprite_key=images["sprite_key"],
        storyboard_key=images["storyboard_key"],
        share_image_key=images.get("share_image_key"),
        hls_key=images.get("hls_key"),  # none when the ladder could not be packaged as HLS
        duration_s=duration_s,
        protection_applied=applied,
        fingerprint=fingerprint or film.fingerprint,
    )
    writes = (
        "renditions",
        "poster_key",
        "sprite_key",
        "storyboard_key",
        "share_image_key",
        "hls_key",
        "duration_s",
        "protection_applied",
    )
    return Change(film, after, at, allowed_sources(Status.READY), writes=writes, checks_version=False)


def rejected(film: Film, code: str, reason: str, at: str) -> Change:
    """The film's own fault: REJECTED with a reason the field office can act on; its source kept a while."""
    return _ended(film, Status.REJECTED, code, reason, at)


def failed(film: Film, code: str, reason: str, at: str) -> Change:
    """Not the film's fault (a time limit, an outage): FAILED with a reason; it can be retried."""
    return _ended(film, Status.FAILED, code, reason, at)


def _ended(film: Film, target: Status, code: str, reason: str, at: str) -> Change:
    due = due_on_refusal_of(film, at)
    after = replace(film, status=target, status_changed_at=at, reason_code=code, reason=reason, source_delete_after=due)
    writes = ("reason_code", "reason", "source_delete_after")
    return Change(film, after, at, allowed_sources(target), writes=writes, checks_version=False)
