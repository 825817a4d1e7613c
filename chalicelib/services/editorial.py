"""Editors' actions: consent, publish, unpublish, protection, highlight, edits, subtitles; each audited.

Orchestration only: each action reads the film, asks the domain's lifecycle command for its change
(domain/lifecycle.py: what it refuses, what it writes, its listings, its audit entry, its media) and applies
it (services/changes.py: one transaction, the media side effects around it in the order the change names).
A takedown is services/takedown.py.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Mapping
from typing import Any

from chalicelib.clock import now_iso
from chalicelib.domain import lifecycle
from chalicelib.domain.catalog import editor_view, preview_keys
from chalicelib.domain.change import Change
from chalicelib.domain.editorial import parse_consent, parse_edit, parse_seen_version
from chalicelib.domain.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    StaleTransitionError,
    UnavailableError,
)
from chalicelib.domain.film import LISTED, Film, Status, SubtitleTrack, is_video_id
from chalicelib.domain.object_keys import subtitles_key
from chalicelib.domain.protection import outputs_protected, parse_protection, record_of
from chalicelib.domain.public_text import film_texts, venue_warnings
from chalicelib.domain.retention import reason_for
from chalicelib.domain.subtitles import parse_language, parse_subtitles, subtitle_warnings, to_webvtt
from chalicelib.observability import count, logger
from chalicelib.services import changes
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.duplicates import check_protected_as_its_copies, duplicates_for_editor
from chalicelib.services.retention import delete_source

REVIEW_PAGE = 100
# Long enough to watch a film and decide; the links are made anew each time the page asks.
PREVIEW_TTL_S = 3600


def for_editor(deps: Dependencies, film: Film) -> dict[str, Any]:
    """The editor's view of a film, with short-lived links to watch it whatever its status: a film
    is reviewed before it is published, while its media are not public."""
    view = editor_view(film)
    # The other films of the office or workshop that are the same film (services/duplicates.py).
    view["duplicates"] = duplicates_for_editor(deps, film)
    keys = preview_keys(film)
    if keys is not None:
        video_key, poster_key = keys
        view["preview"] = {
            "video_url": deps.media.presign_get(video_key, PREVIEW_TTL_S),
            "poster_url": deps.media.presign_get(poster_key, PREVIEW_TTL_S) if poster_key else None,
            # True only once every protection asked is applied: false while this preview still shows faces,
            # and false for a film that asked for none (nothing hides the child's identity).
            "protected": film.protect_identity is not None
            and outputs_protected(film.protect_identity, film.protection_applied),
            # What the outputs carry, whatever was asked.
            "applied": record_of(film.protection_applied),
        }
    return view


def review_queue(deps: Dependencies) -> dict[str, Any]:
    """READY films waiting for an editor's decision, oldest first. A draft is not waiting for one: its
    office has not completed its details (it joins the queue when they are)."""
    films = deps.catalog.get_films(deps.catalog.list_by_status(Status.READY, "9999", REVIEW_PAGE))
    # A film decided between the index's read and the films' is no longer waiting.
    return {"items": [for_editor(deps, film) for film in films if film.status is Status.READY and not film.draft]}


def show(deps: Dependencies, video_id: str) -> dict[str, Any]:
    return for_editor(deps, _film(deps, video_id))


def record_consent(deps: Dependencies, editor: str, video_id: str, body: Any) -> dict[str, Any]:
    consent = parse_consent(body)
    return _done(deps, lifecycle.record_consent(_film(deps, video_id), editor, consent, now_iso()))


def edit(deps: Dependencies, editor: str, video_id: str, body: Any) -> dict[str, Any]:
    changes = parse_edit(body, deps.settings.topics)
    edited = _done(deps, lifecycle.edit(_film(deps, video_id), editor, changes, now_iso()))
    return {**edited, "warnings": venue_warnings(film_texts(changes))}


def highlight(deps: Dependencies, editor: str, video_id: str, body: Any) -> dict[str, Any]:
    if not isinstance(body, Mapping) or not isinstance(body.get("highlighted"), bool):
        raise InvalidRequestError('Send {"highlighted": true} or {"highlighted": false}.', "invalid_field")
    return _done(deps, lifecycle.highlight(_film(deps, video_id), editor, body["highlighted"], now_iso()))


def set_protection(deps: Dependencies, editor: str, video_id: str, body: Any) -> dict[str, Any]:
    """Turn identity protection on or off for a film that is not public: `{faces, voice}`."""
    if not isinstance(body, Mapping) or not any(kind in body for kind in ("faces", "voice")):
        raise InvalidRequestError('Send {"faces": true|false, "voice": true|false}.', "invalid_protect_identity")
    asked = parse_protection(body, field="protection")
    change = lifecycle.request_protection(_film(deps, video_id), editor, asked, now_iso())
    view = _done(deps, change)
    if change.next_stage is not None:
        count("FilmsRenderedAgain")
    return view


def publish(deps: Dependencies, editor: str, video_id: str, body: Any) -> dict[str, Any]:
    confirmed = isinstance(body, Mapping) and body.get("safeguarding_confirmed") is True
    seen = parse_seen_version(body)
    film = _film(deps, video_id)
    change = lifecycle.publish(film, editor, now_iso(), safeguarding_confirmed=confirmed, seen_version=seen)
    check_protected_as_its_copies(deps, film)
    # Commit first, then tag: nothing is public that the catalog does not say is (a protection turned on
    # meanwhile wins, and its unprotected version is never tagged). A lost race tagged nothing.
    exposed = _apply(deps, change)
    count("FilmsPublished")
    if change.deletes_source:
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
    return _done(deps, lifecycle.unpublish(_film(deps, video_id), editor, now_iso()))


def add_subtitles(deps: Dependencies, editor: str, video_id: str, language: str, data: bytes) -> dict[str, Any]:
    language = parse_language(language)
    film = _film(deps, video_id)
    lifecycle.check_subtitled(film)
    assert film.duration_s is not None  # checked just above
    cues = parse_subtitles(data, film.duration_s)
    vtt = to_webvtt(cues)
    key = subtitles_key(video_id, language, hashlib.sha256(vtt.encode("utf-8")).hexdigest()[:12])
    with tempfile.TemporaryDirectory(prefix="omjr-subtitles-") as folder:
        path = os.path.join(folder, f"{language}.vtt")
        with open(path, "w", encoding="utf-8") as file:
            file.write(vtt)
        deps.media.upload(path, key, "text/vtt")  # private until the catalog knows of it

    def leave_nothing_unlisted() -> None:
        # Lost a race (an unpublish, a takedown): leave nothing behind that the catalog does not list now.
        # Not what it listed when this began: the same text sent again has the same key, and a takedown
        # that went through meanwhile deleted the first copy before this upload wrote it again. (Another
        # editor's identical text may have won and made it public: the exposure after this brings it back.)
        current = deps.catalog.get_film(video_id)
        if current is None or current.status is Status.DELETED or all(s.key != key for s in current.subtitles):
            deps.media.delete_prefix(key)

    change = lifecycle.add_subtitles(film, editor, SubtitleTrack(language, key), now_iso())
    edited = _done(deps, change, on_lost=leave_nothing_unlisted)
    return {**edited, "warnings": subtitle_warnings(cues)}


def remove_subtitles(deps: Dependencies, editor: str, video_id: str, language: str) -> dict[str, Any]:
    """A language's subtitles go: out of the catalog and its listings, the object deleted, the CDN's
    cache for it emptied."""
    language = parse_language(language)
    return _done(deps, lifecycle.remove_subtitles(_film(deps, video_id), editor, language, now_iso()))


def relist_all(deps: Dependencies) -> dict[str, int]:
    """Every published and unpublished film's listing entries written anew from the film, and every entry
    it no longer belongs in removed: once after the deploy that brought one entry per filter value (the
    entries per combination of filters go, highlights are counted), or as a repair."""
    done = dict.fromkeys(map(str, LISTED), 0)
    for status in LISTED:
        for video_id in deps.catalog.every_in_status(status):
            film = deps.catalog.get_film(video_id)
            if film is None or film.status is not status:
                continue  # moved on since the index was read: its own change listed it
            try:
                _apply(deps, lifecycle.relist(film, now_iso()))
            except ConflictError:
                continue  # an editor changed it meanwhile, and that change wrote its listings
            done[status] += 1
    logger.info("listings written anew", extra=done)
    return done


def audit_trail(deps: Dependencies, video_id: str) -> dict[str, Any]:
    if not is_video_id(video_id):
        raise NotFoundError(f"No film {video_id!r}.")
    return {"items": deps.catalog.audit_trail(video_id)}


def _done(deps: Dependencies, change: Change, on_lost: Callable[[], None] | None = None) -> dict[str, Any]:
    """Applies an editor's change; the editor's view of the film as it is now."""
    _apply(deps, change, on_lost)
    return for_editor(deps, _film(deps, change.video_id))


def _apply(deps: Dependencies, change: Change, on_lost: Callable[[], None] | None = None) -> bool:
    """Applies a change to the film as it was read: if another editor changed it meanwhile, nothing happens."""
    try:
        return changes.apply(deps, change, on_lost)
    except StaleTransitionError:
        raise ConflictError(
            f"Film {change.video_id} changed while this request ran; load it again and retry."
        ) from None


def _film(deps: Dependencies, video_id: str) -> Film:
    film = deps.catalog.get_film(video_id)
    if film is None or film.status is Status.DELETED:
        raise NotFoundError(f"No film {video_id!r}.")
    return film
