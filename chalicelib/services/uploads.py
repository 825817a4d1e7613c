"""Field-office uploads: a film's catalog entry and the presigned POST that receives its file."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.clock import now_iso
from chalicelib.config import Settings
from chalicelib.domain.catalog import upload_view
from chalicelib.domain.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    StaleTransitionError,
)
from chalicelib.domain.film import Film, Status
from chalicelib.domain.metadata import parse_correction, parse_upload_request
from chalicelib.domain.multipart import PartPlan, parse_multipart_flag
from chalicelib.domain.object_keys import upload_key
from chalicelib.domain.paging import parse_limit
from chalicelib.domain.protection import voice_disguise_for
from chalicelib.domain.public_text import film_texts, venue_warnings
from chalicelib.domain.upload_rules import published_rules
from chalicelib.observability import count, logger
from chalicelib.services.access import Caller
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.editorial import render_office_protection

MAX_LISTED_UPLOADS = 100
# A film's details may be corrected until it is first published, and never after (whatever it became
# since), nor once it was rejected, expired or taken down: such an upload is sent again.
CORRECTABLE_STATUSES = frozenset(
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
CORRECTION_ATTEMPTS = 3
# Statuses in which a stage is running that read the film's protection when it started.
STAGES_READING_PROTECTION = frozenset({Status.PROTECTING, Status.TRANSCODING})


def create_upload(deps: Dependencies, caller: Caller, body: Any) -> dict[str, Any]:
    settings = deps.settings
    request = parse_upload_request(body, settings.topics, settings.limits.max_bytes)
    multipart = parse_multipart_flag(body)
    if request.country not in caller.countries:
        raise ForbiddenError(
            f"Your key may upload films for {', '.join(sorted(caller.countries))}, not {request.country}."
        )
    video_id = str(uuid.uuid4())
    logger.append_keys(video_id=video_id)  # the request's log line names the film it created
    key = upload_key(video_id, request.extension)
    now = now_iso()
    film = Film(
        video_id=video_id,
        status=Status.AWAITING_UPLOAD,
        created_at=now,
        status_changed_at=now,
        office_id=str(caller.office_id),
        upload_key=key,
        filename=request.filename,
        content_type=request.content_type,
        size_bytes=request.size_bytes,
        title=request.title,
        description=request.description,
        country=request.country,
        topics=request.topics,
        workshop=request.workshop,
        language=request.language,
        author=request.author,
        protect_identity=request.protect_identity,
        # Drawn now when the voice is to be disguised, kept private on the film (domain/protection.py).
        voice_disguise=voice_disguise_for(request.protect_identity, None),
    )
    if multipart:
        plan = PartPlan.for_size(request.size_bytes)
        upload_id = deps.uploads.start_multipart(key, request.content_type)
        film = replace(film, multipart_upload_id=upload_id, part_size=plan.part_size)
        upload: dict[str, Any] = {"method": "multipart", "part_size": plan.part_size, "parts_total": plan.parts_total}
    else:
        post = deps.uploads.presign_post(key, request.content_type, request.size_bytes, settings.upload_url_ttl_s)
        upload = {"method": "post", "url": post.url, "fields": post.fields, "expires_at": expires_at(settings)}
    deps.catalog.create_film(film)
    count("UploadsRequested")
    warnings = venue_warnings(film_texts(upload_view(film)))
    return {"video_id": video_id, "status": Status.AWAITING_UPLOAD.value, "upload": upload, "warnings": warnings}


def expires_at(settings: Settings) -> str:
    """When a URL signed now stops working."""
    moment = datetime.now(UTC) + timedelta(seconds=settings.upload_url_ttl_s)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def office_film(deps: Dependencies, caller: Caller, video_id: str) -> Film:
    """The caller's own film; the same 404 for a film of another office as for no film at all."""
    film = deps.catalog.get_film(video_id)
    if film is None or film.office_id != caller.office_id or film.status is Status.DELETED:
        raise NotFoundError(f"No upload {video_id!r} for your office.")
    return film


def get_upload(deps: Dependencies, caller: Caller, video_id: str) -> dict[str, Any]:
    return upload_view(office_film(deps, caller, video_id))


def list_uploads(deps: Dependencies, caller: Caller, params: Mapping[str, str]) -> dict[str, Any]:
    """The office's own uploads, newest first, a page at a time (`limit`, `cursor`)."""
    limit = parse_limit(params.get("limit"), MAX_LISTED_UPLOADS, MAX_LISTED_UPLOADS)
    films, next_cursor = deps.catalog.list_office_films(str(caller.office_id), limit, params.get("cursor") or None)
    items = [upload_view(film) for film in films if film.status is not Status.DELETED]
    return {"items": items, "next_cursor": next_cursor}


def upload_rules(deps: Dependencies, caller: Caller) -> dict[str, Any]:
    """What the validator and `POST /uploads` will check, for clients' advice before sending."""
    return published_rules(deps.settings.limits, deps.settings.topics, caller.countries)


def correct_upload(deps: Dependencies, caller: Caller, video_id: str, body: Any) -> dict[str, Any]:
    """A field office corrects its own film's details before it is published. A correction made after
    an editor recorded consent clears that consent: the editor reviews the film again (audited)."""
    for _attempt in range(CORRECTION_ATTEMPTS):
        film = office_film(deps, caller, video_id)
        current = upload_view(film)  # the film's details as plain JSON values, as a correction names them
        changes = parse_correction(body, current.get("author"), deps.settings.topics, film.protect_identity)
        if film.status not in CORRECTABLE_STATUSES or film.ever_published:
            # Once public, always the editors' film: what the public saw is not the office's to change.
            raise ConflictError(_why_not_correctable(film), "not_correctable")
        changed = {field: value for field, value in changes.items() if current.get(field) != value}
        if not changed:
            return {**current, "sent_back_to_review": False, "warnings": venue_warnings(film_texts(changes))}
        if "protect_identity" in changed and film.status in STAGES_READING_PROTECTION:
            # The running stage read the protection when it started: a change now would be lost (a transcode
            # from the source) or fail the film (a master without what is now asked). As for the editors.
            raise ConflictError(
                f"Film {video_id} is being processed ({film.status}); ask for identity protection again once "
                "it is ready. Nothing was changed.",
                "film_processing",
            )
        review_again = bool(film.consent)
        removed = [field for field, value in changed.items() if value is None]
        if review_again:
            removed += ["consent", "safeguarding"]
        at = now_iso()
        try:
            deps.catalog.change(
                video_id,
                at,
                # A stage that started meanwhile read the protection before this change: then refused, as above.
                expect=CORRECTABLE_STATUSES - STAGES_READING_PROTECTION
                if "protect_identity" in changed
                else CORRECTABLE_STATUSES,
                set_fields={
                    **{field: value for field, value in changed.items() if value is not None},
                    **_voice_disguise_drawn(film, changed),
                },
                remove_fields=removed,
                version=film.version,
            )
        except StaleTransitionError:
            continue  # an editor acted, or the film moved on, meanwhile: read it again and decide anew
        details: dict[str, Any] = {"fields": sorted(changed), "sent_back_to_review": review_again}
        if "protect_identity" in changed:  # what was asked, as the editors' protection_changed records it
            details["protect_identity"] = changed["protect_identity"]
        deps.catalog.record_audit(
            video_id, at, {"actor": caller.actor, "action": "corrected_by_office", "details": details}
        )
        logger.info("upload corrected", extra={"video_id": video_id, **details})
        if "protect_identity" in changed:
            render_office_protection(deps, caller.actor, video_id)
        return {
            **upload_view(office_film(deps, caller, video_id)),
            "sent_back_to_review": review_again,
            "warnings": venue_warnings(film_texts(changes)),
        }
    raise ConflictError(f"Film {video_id} changed while it was being corrected; try again.", "conflict")


def _voice_disguise_drawn(film: Film, changed: Mapping[str, Any]) -> dict[str, Any]:
    """The film's voice disguise, drawn when this correction is the first to ask for the voice (kept
    private: not among the changed fields the audit and the log name)."""
    if "protect_identity" not in changed:
        return {}
    disguise = voice_disguise_for(changed["protect_identity"], film.voice_disguise)
    return {} if disguise is film.voice_disguise else {"voice_disguise": disguise}


def _why_not_correctable(film: Film) -> str:
    if film.ever_published:
        return "This film has already been published: ask the project's editors to change its details."
    return (
        f"This upload is {film.status.value.lower()}: its details can no longer be corrected. "
        "Upload the film again with the right details."
    )
