"""Editors' actions: consent, publish, unpublish, highlight, edits, subtitles; each audited.

Every change to a published film rewrites its listing entries and counters in the same transaction,
so the public listings never disagree with the film.

Which media are public follows the catalog (services/media_exposure.py): publishing commits first, then
makes the media public; unpublishing makes them private first, then commits, and untags again after
its commit (another editor's change that read the film as PUBLISHED may have tagged them meanwhile).
Replacing or removing a language's subtitles deletes the old object and empties the CDN's cache for it.
A takedown is services/takedown.py.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from chalicelib.clock import now_iso
from chalicelib.domain.catalog import (
    STATUS_LISTED,
    Listing,
    editor_view,
    listing_facets,
    preview_keys,
    public_record,
    search_text,
    status_facet,
)
from chalicelib.domain.editorial import check_publishable, parse_consent, parse_edit
from chalicelib.domain.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    StaleTransitionError,
    UnavailableError,
)
from chalicelib.domain.film import PROCESSING, Film, Status, SubtitleTrack, is_video_id
from chalicelib.domain.object_keys import subtitles_key
from chalicelib.domain.protection import (
    check_protected,
    must_render_again,
    outputs_protected,
    parse_protection,
    requested,
    still_applied,
    voice_disguise_for,
)
from chalicelib.domain.public_text import film_texts, venue_warnings
from chalicelib.domain.retention import check_source_kept, due_on_publication, reason_for
from chalicelib.domain.subtitles import parse_language, parse_subtitles, subtitle_warnings, to_webvtt
from chalicelib.observability import count, logger
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.handoff import hand_on
from chalicelib.services.media_exposure import expose_after_commit, mark_before_commit, set_media_public, sync_media
from chalicelib.services.retention import delete_source

REVIEW_PAGE = 100
# Long enough to watch a film and decide; the links are made anew each time the page asks.
PREVIEW_TTL_S = 3600
# Statuses in which a film has its media and so can carry subtitles.
SUBTITLED_STATUSES = (Status.READY, Status.PUBLISHED, Status.UNPUBLISHED)
# Statuses in which a change of identity protection renders the film again (a published one is unpublished first).
RENDERED_STATUSES = (Status.READY, Status.UNPUBLISHED)


def for_editor(deps: Dependencies, film: Film) -> dict[str, Any]:
    """The editor's view of a film, with short-lived links to watch it whatever its status: a film
    is reviewed before it is published, while its media are not public."""
    view = editor_view(film)
    keys = preview_keys(film)
    if keys is not None:
        video_key, poster_key = keys
        view["preview"] = {
            "video_url": deps.media.presign_get(video_key, PREVIEW_TTL_S),
            "poster_url": deps.media.presign_get(poster_key, PREVIEW_TTL_S) if poster_key else None,
            # True only once every protection asked is applied: false while this preview still shows faces,
            # and false for a film that asked for none (nothing hides the child's identity).
            "protected": requested(film.protect_identity) is not None
            and outputs_protected(film.protect_identity, film.protection_applied),
            # What the outputs carry, whatever was asked.
            "applied": {kind: bool((film.protection_applied or {}).get(kind)) for kind in ("faces", "voice")},
        }
    return view


def review_queue(deps: Dependencies) -> dict[str, Any]:
    """READY films waiting for an editor's decision, oldest first."""
    films = deps.catalog.get_films(deps.catalog.list_by_status(Status.READY, "9999", REVIEW_PAGE))
    return {"items": [for_editor(deps, film) for film in films]}


def show(deps: Dependencies, video_id: str) -> dict[str, Any]:
    return for_editor(deps, _film(deps, video_id))


def record_consent(deps: Dependencies, editor: str, video_id: str, body: Any) -> dict[str, Any]:
    consent = {**parse_consent(body), "recorded_by": editor, "recorded_at": now_iso()}
    return _edit(deps, editor, video_id, {"consent": consent}, action="consent_recorded", details={})


def edit(deps: Dependencies, editor: str, video_id: str, body: Any) -> dict[str, Any]:
    changes = parse_edit(body, deps.settings.topics)
    edited = _edit(deps, editor, video_id, changes, action="edited", details={"fields": sorted(changes)})
    return {**edited, "warnings": venue_warnings(film_texts(changes))}


def highlight(deps: Dependencies, editor: str, video_id: str, body: Any) -> dict[str, Any]:
    if not isinstance(body, Mapping) or not isinstance(body.get("highlighted"), bool):
        raise InvalidRequestError('Send {"highlighted": true} or {"highlighted": false}.', "invalid_field")
    return _edit(
        deps,
        editor,
        video_id,
        {"highlighted": body["highlighted"]},
        action="highlighted",
        details={"highlighted": body["highlighted"]},
    )


def set_protection(deps: Dependencies, editor: str, video_id: str, body: Any) -> dict[str, Any]:
    """Turn identity protection on or off for a film that is not public: `{faces, voice}`."""
    if not isinstance(body, Mapping) or not any(kind in body for kind in ("faces", "voice")):
        raise InvalidRequestError('Send {"faces": true|false, "voice": true|false}.', "invalid_protect_identity")
    asked = parse_protection(body, field="protection")
    film = _film(deps, video_id)
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
            f"Film {video_id} is being processed ({film.status}); change its identity protection once it is READY.",
            "film_processing",
        )
    if (asked or None) != (film.protect_identity or None):
        # Whatever the change, new outputs are made from the source: without it, none can be.
        check_source_kept(film, "protected anew or unprotected")
    details = {"faces": bool(asked and asked["faces"]), "voice": bool(asked and asked["voice"])}
    changes: dict[str, Any] = {"protect_identity": asked}
    disguise = voice_disguise_for(asked, film.voice_disguise)
    if disguise is not film.voice_disguise:
        # Drawn the first time the voice is to be disguised, then kept whatever is turned off and on
        # again: the protected sound stays the same. The audit says only that the voice is asked.
        changes["voice_disguise"] = disguise
    if film.status in RENDERED_STATUSES and must_render_again(asked, film.protection_applied):
        return _render_again(deps, editor, film, changes, details)
    return _edit(deps, editor, video_id, changes, action="protection_changed", details=details, film=film)


def render_office_protection(deps: Dependencies, actor: str, video_id: str) -> None:
    """A field office's correction asked for protection on a READY film: its protected version is made as
    when an editor asks, or nothing would ever make it and the film could never be published. When the film
    moved on meanwhile (an editor acted), it stays as it is: publishing still waits for the protection."""
    film = deps.catalog.get_film(video_id)
    if film is None or film.status not in RENDERED_STATUSES or film.source_deleted_at is not None:
        return
    if not must_render_again(film.protect_identity, film.protection_applied):
        return
    asked = requested(film.protect_identity) or {}
    details = {"faces": bool(asked.get("faces")), "voice": bool(asked.get("voice"))}
    try:
        _render_again(deps, actor, film, {"protect_identity": asked or None}, details)
    except ConflictError:
        logger.info("film changed before its office's protection could be made; it waits for an editor")


def _render_again(
    deps: Dependencies, editor: str, film: Film, changes: dict[str, Any], details: dict[str, Any]
) -> dict[str, Any]:
    """A READY or UNPUBLISHED film whose outputs do not carry exactly the protection now asked is made again
    from its upload, with no new upload: PROTECTING (then TRANSCODING) when protection is asked, TRANSCODING
    from the source when it was turned off. The new outputs replace the old ones at the same keys."""
    asked = changes["protect_identity"]
    target = Status.PROTECTING if requested(asked) is not None else Status.TRANSCODING
    at = now_iso()
    fields: dict[str, Any] = {"attempt": film.attempt + 1, "requeued": 0}  # a new attempt: not the old run's key
    fields |= {name: value for name, value in changes.items() if value is not None}
    # True of the old outputs and of the new ones alike, so true at every moment in between.
    still = still_applied(asked, film.protection_applied)
    if still is not None:
        fields["protection_applied"] = still
    removed = [name for name, value in {**changes, "protection_applied": still}.items() if value is None]
    moved = replace(film, status=target, status_changed_at=at)
    _change(deps, film, at, target=target, set_fields=fields, remove_fields=removed, listing=listing_of(deps, moved))
    _audit(deps, editor, film.video_id, at, action="protection_changed", details={**details, "rendered_again": True})
    current = _film(deps, film.video_id)
    hand_on(deps, current)  # to the stage its new status waits for
    count("FilmsRenderedAgain")
    return for_editor(deps, current)


def publish(deps: Dependencies, editor: str, video_id: str, body: Any) -> dict[str, Any]:
    film = _film(deps, video_id)
    if film.status in PROCESSING and requested(film.protect_identity) is not None:
        check_protected(film.protect_identity, None)  # its protected version is being made: say so
    if film.status not in (Status.READY, Status.UNPUBLISHED):
        raise ConflictError(f"Film {video_id} is {film.status}; only a READY or UNPUBLISHED film can be published.")
    confirmed = isinstance(body, Mapping) and body.get("safeguarding_confirmed") is True
    check_publishable(film, confirmed)
    at = now_iso()
    published = replace(film, published_at=at)
    fields: dict[str, Any] = {"published_at": at}
    source_due = due_on_publication(film, at)
    if source_due is not None:
        fields["source_delete_after"] = source_due
    if confirmed:
        fields["safeguarding"] = {"confirmed_by": editor, "confirmed_at": at}
    listing = listing_of(deps, replace(published, status=Status.PUBLISHED))
    # Commit first, then tag: nothing is public that the catalog does not say is (a protection turned on
    # meanwhile wins, and its unprotected version is never tagged). A lost race tagged nothing.
    mark = mark_before_commit(deps, video_id)
    _change(deps, film, at, target=Status.PUBLISHED, set_fields=fields, listing=listing)
    count("FilmsPublished")
    _audit(deps, editor, video_id, at, action="published", details={})
    exposed = expose_after_commit(deps, video_id, mark)
    if source_due is not None and source_due <= at:
        _delete_source_now(deps, video_id)
    view = for_editor(deps, _film(deps, video_id))
    if not exposed:
        view["media"] = {
            "public": False,
            "message": "The film is published; its media are being made public and play within minutes.",
        }
    return view


def _delete_source_now(deps: Dependencies, video_id: str) -> None:
    """A protected film's raw upload goes as soon as the film is public (domain/retention.py). When
    S3 fails now, the film stays dated for deletion and the next sweep, minutes later, deletes it."""
    film = deps.catalog.get_film(video_id)
    if film is None or film.source_deleted_at is not None:
        return
    try:
        delete_source(deps, film, reason_for(film))
    except UnavailableError as error:
        count("SourceDeletionsFailed")
        extra = {"video_id": video_id, "error": str(error)}
        logger.warning("source not deleted at publication; the sweep will", extra=extra)


def unpublish(deps: Dependencies, editor: str, video_id: str) -> dict[str, Any]:
    film = _film(deps, video_id)
    if film.status is not Status.PUBLISHED:
        raise ConflictError(f"Film {video_id} is {film.status}; only a PUBLISHED film can be unpublished.")
    at = now_iso()
    unpublished = replace(film, status=Status.UNPUBLISHED, status_changed_at=at, published_at=None)
    listing = listing_of(deps, unpublished)
    # First: if anything fails after, it fails private. The CDN's cache is emptied once, after the commit.
    set_media_public(deps, film, public=False, empty_cache=False)
    try:
        _change(deps, film, at, target=Status.UNPUBLISHED, remove_fields=("published_at",), listing=listing)
    except Exception:
        sync_media(deps, video_id)
        raise
    # And again once the catalog says UNPUBLISHED: another editor's change that read the film as
    # PUBLISHED before this commit may have tagged its media public since the first untagging.
    set_media_public(deps, film, public=False)
    _audit(deps, editor, video_id, at, action="unpublished", details={})
    return for_editor(deps, _film(deps, video_id))


def add_subtitles(deps: Dependencies, editor: str, video_id: str, language: str, data: bytes) -> dict[str, Any]:
    language = parse_language(language)
    film = _film(deps, video_id)
    if not film.duration_s or film.status not in SUBTITLED_STATUSES:
        raise ConflictError(f"Film {video_id} is {film.status}; subtitles are added once it is READY.")
    cues = parse_subtitles(data, film.duration_s)
    vtt = to_webvtt(cues)
    key = subtitles_key(video_id, language, hashlib.sha256(vtt.encode("utf-8")).hexdigest()[:12])
    with tempfile.TemporaryDirectory(prefix="omjr-subtitles-") as folder:
        path = os.path.join(folder, f"{language}.vtt")
        with open(path, "w", encoding="utf-8") as file:
            file.write(vtt)
        deps.media.upload(path, key, "text/vtt")  # private until the catalog knows of it
    others = [s for s in film.subtitles if s.language != language]
    subtitles = tuple(sorted([*others, SubtitleTrack(language, key)], key=lambda s: s.language))
    mark = mark_before_commit(deps, video_id)  # a published film's new track is made public after the commit
    try:
        edited = _edit(
            deps,
            editor,
            video_id,
            {"subtitles": subtitles},
            film=film,
            action="subtitles_added",
            details={"language": language},
        )
    except Exception:
        # Lost a race (an unpublish, a takedown): leave nothing behind that the catalog does not list now.
        # Not what it listed when this began: the same text sent again has the same key, and a takedown
        # that went through meanwhile deleted the first copy before this upload wrote it again.
        current = deps.catalog.get_film(video_id)
        if current is None or current.status is Status.DELETED or all(s.key != key for s in current.subtitles):
            deps.media.delete_prefix(key)
        # Another editor's identical text may have won and made it public; this upload wrote it again, untagged.
        expose_after_commit(deps, video_id, mark)
        raise
    replaced = [s.key for s in film.subtitles if s.language == language and s.key != key]
    _forget(deps, replaced)  # the old text (a surname the first file had, say) is gone, not just unlisted
    # Public with the rest; private with the rest if unpublished meanwhile (and the mark goes either way).
    expose_after_commit(deps, video_id, mark)
    return {**edited, "warnings": subtitle_warnings(cues)}


def remove_subtitles(deps: Dependencies, editor: str, video_id: str, language: str) -> dict[str, Any]:
    """A language's subtitles go: out of the catalog and its listings, the object deleted, the CDN's
    cache for it emptied."""
    language = parse_language(language)
    film = _film(deps, video_id)
    if film.status not in SUBTITLED_STATUSES:
        raise ConflictError(f"Film {video_id} is {film.status}; it has no subtitles to remove.")
    removed = [s.key for s in film.subtitles if s.language == language]
    if not removed:
        raise NotFoundError(f"Film {video_id} has no {language} subtitles.", "subtitles_not_found")
    subtitles = tuple(s for s in film.subtitles if s.language != language)
    edited = _edit(
        deps,
        editor,
        video_id,
        {"subtitles": subtitles},
        film=film,
        action="subtitles_removed",
        details={"language": language},
    )
    _forget(deps, removed)
    return edited


def _forget(deps: Dependencies, keys: list[str]) -> None:
    """Objects the catalog no longer lists: deleted, and out of the CDN's cache at once."""
    for key in keys:
        deps.media.delete(key)
        deps.media_cache.invalidate(f"/{key}")


def relist_all(deps: Dependencies) -> dict[str, int]:
    """Every published and unpublished film's listing entries written anew from the film, and every entry
    it no longer belongs in removed: once after the deploy that brought one entry per filter value (the
    entries per combination of filters go, highlights are counted), or as a repair."""
    done = dict.fromkeys(STATUS_LISTED, 0)
    for status in STATUS_LISTED:
        for video_id in deps.catalog.every_in_status(Status(status)):
            film = deps.catalog.get_film(video_id)
            if film is None or film.status != status:
                continue  # moved on since the index was read: its own change listed it
            try:
                _change(deps, film, now_iso(), expect=frozenset({Status(status)}), listing=listing_of(deps, film))
            except ConflictError:
                continue  # an editor changed it meanwhile, and that change wrote its listings
            done[status] += 1
    logger.info("listings written anew", extra=done)
    return done


def audit_trail(deps: Dependencies, video_id: str) -> dict[str, Any]:
    if not is_video_id(video_id):
        raise NotFoundError(f"No film {video_id!r}.")
    return {"items": deps.catalog.audit_trail(video_id)}


def _edit(
    deps: Dependencies,
    editor: str,
    video_id: str,
    changes: dict[str, Any],
    *,
    action: str,
    details: dict[str, Any],
    film: Film | None = None,
) -> dict[str, Any]:
    """Applies `changes` to the film as read now, or as the caller read it (`film`) when the changes
    were computed from that reading: then any change made meanwhile makes this one a ConflictError."""
    film = film or _film(deps, video_id)
    at = now_iso()
    set_fields = {key: value for key, value in changes.items() if value is not None}
    removed = [key for key, value in changes.items() if value is None]
    listing = None
    if film.status is Status.PUBLISHED and changes.get("sensitive") and not film.sensitive:
        raise ConflictError(
            "Unpublish the film before flagging it sensitive: it may then be published again "
            "only with a safeguarding confirmation.",
            "unpublish_first",
        )
    if film.status in STATUS_LISTED:
        listing = listing_of(deps, replace(film, **changes))
    _change(
        deps, film, at, expect=frozenset({film.status}), set_fields=set_fields, remove_fields=removed, listing=listing
    )
    _audit(deps, editor, video_id, at, action=action, details=details)
    return for_editor(deps, _film(deps, video_id))


def listing_of(deps: Dependencies, film: Film) -> Listing:
    """Where a film in its (new) status is listed: a published film in every public listing it belongs to
    and in the editors' list of published films; an unpublished one only in the editors' list."""
    record = {**public_record(film), "search": search_text(film)}
    if film.status is Status.PUBLISHED and film.published_at:
        facets = [*listing_facets(film), status_facet(Status.PUBLISHED.value)]
        return Listing(deps.catalog.listed_facets(film.video_id), facets, record, film.published_at)
    facets = [status_facet(film.status.value)] if film.status in STATUS_LISTED else []
    return Listing(deps.catalog.listed_facets(film.video_id), facets, record, film.status_changed_at)


def _change(deps: Dependencies, film: Film, at: str, **change: Any) -> None:
    """Applies a change to the film as it was read: if another editor changed it meanwhile, nothing happens."""
    video_id = film.video_id
    try:
        deps.catalog.change(video_id, at, version=film.version, **change)
    except StaleTransitionError:
        raise ConflictError(f"Film {video_id} changed while this request ran; load it again and retry.") from None


def _audit(deps: Dependencies, editor: str, video_id: str, at: str, *, action: str, details: dict[str, Any]) -> None:
    deps.catalog.record_audit(video_id, at, {"actor": editor, "action": action, "details": details})


def _film(deps: Dependencies, video_id: str) -> Film:
    film = deps.catalog.get_film(video_id)
    if film is None or film.status is Status.DELETED:
        raise NotFoundError(f"No film {video_id!r}.")
    return film
