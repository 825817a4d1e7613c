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
from chalicelib.domain.change import Change
from chalicelib.domain.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    StaleTransitionError,
)
from chalicelib.domain.film import Film, Status
from chalicelib.domain.lifecycle import (
    check_correctable,
    complete_draft,
    correct,
    new_draft,
    new_upload,
)
from chalicelib.domain.metadata import (
    UploadFile,
    parse_completion,
    parse_correction,
    parse_draft_flag,
    parse_draft_request,
    parse_upload_request,
)
from chalicelib.domain.multipart import PartPlan, parse_multipart_flag
from chalicelib.domain.object_keys import upload_key
from chalicelib.domain.paging import parse_limit
from chalicelib.domain.public_text import film_texts, venue_warnings
from chalicelib.domain.upload_rules import published_rules
from chalicelib.observability import count, logger
from chalicelib.services import changes
from chalicelib.services.access import Caller
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.duplicates import already_sent

MAX_LISTED_UPLOADS = 100
CORRECTION_ATTEMPTS = 3


def create_upload(deps: Dependencies, caller: Caller, body: Any) -> dict[str, Any]:
    """A film and the means to send its file: with every detail, or as a draft (`"draft": true`) whose details
    a PATCH completes while its bytes go."""
    settings = deps.settings
    draft = parse_draft_flag(body)
    video_id = str(uuid.uuid4())
    if draft:
        file = parse_draft_request(body, settings.limits.max_bytes)
        multipart = parse_multipart_flag(body)
        film = new_draft(video_id, str(caller.office_id), file, upload_key(video_id, file.extension), now_iso())
    else:
        request = parse_upload_request(body, settings.topics, settings.limits.max_bytes)
        multipart = parse_multipart_flag(body)
        _check_country(caller, request.country)
        film = new_upload(video_id, str(caller.office_id), request, upload_key(video_id, request.extension), now_iso())
    logger.thread_safe_append_keys(video_id=video_id)  # the request's log line names the film it created
    key = film.upload_key
    if multipart:
        plan = PartPlan.for_size(film.size_bytes)
        upload_id = deps.uploads.start_multipart(key, film.content_type)
        film = replace(film, multipart_upload_id=upload_id, part_size=plan.part_size)
        upload: dict[str, Any] = {"method": "multipart", "part_size": plan.part_size, "parts_total": plan.parts_total}
    else:
        post = deps.uploads.presign_post(key, film.content_type, film.size_bytes, settings.upload_url_ttl_s)
        upload = {"method": "post", "url": post.url, "fields": post.fields, "expires_at": expires_at(settings)}
    deps.catalog.create_film(film)
    count("DraftsRequested" if draft else "UploadsRequested")
    warnings = venue_warnings(film_texts(upload_view(film)))
    answer: dict[str, Any] = {
        "video_id": video_id,
        "status": Status.AWAITING_UPLOAD.value,
        "upload": upload,
        "warnings": warnings,
    }
    if draft:
        answer |= {"draft": True, "delete_after": film.source_delete_after}
    return answer


def _check_country(caller: Caller, country: str) -> None:
    if country not in caller.countries:
        raise ForbiddenError(f"Your key may upload films for {', '.join(sorted(caller.countries))}, not {country}.")


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
    return _with_already_sent(deps, [office_film(deps, caller, video_id)])[0]


def list_uploads(deps: Dependencies, caller: Caller, params: Mapping[str, str]) -> dict[str, Any]:
    """The office's own uploads, newest first, a page at a time (`limit`, `cursor`)."""
    limit = parse_limit(params.get("limit"), MAX_LISTED_UPLOADS, MAX_LISTED_UPLOADS)
    films, next_cursor = deps.catalog.list_office_films(str(caller.office_id), limit, params.get("cursor") or None)
    items = _with_already_sent(deps, [film for film in films if film.status is not Status.DELETED])
    return {"items": items, "next_cursor": next_cursor}


def _with_already_sent(deps: Dependencies, films: list[Film]) -> list[dict[str, Any]]:
    """Each film's upload view, with `already_sent_as` when the office sent the same film before."""
    sent = already_sent(deps, films)
    return [
        {**upload_view(film), **({"already_sent_as": sent[film.video_id]} if sent.get(film.video_id) else {})}
        for film in films
    ]


def upload_rules(deps: Dependencies, caller: Caller) -> dict[str, Any]:
    """What the validator and `POST /uploads` will check, for clients' advice before sending."""
    return published_rules(deps.settings.limits, deps.settings.topics, caller.countries)


def correct_upload(deps: Dependencies, caller: Caller, video_id: str, body: Any) -> dict[str, Any]:
    """A field office completes its draft's details, or corrects its own film's before it is published. A
    correction made after an editor recorded consent clears that consent: the editor reviews the film again
    (audited)."""
    for _attempt in range(CORRECTION_ATTEMPTS):
        film = office_film(deps, caller, video_id)
        if film.draft:
            done = _complete(deps, caller, film, body)
            if done is None:
                continue
            return done
        current = upload_view(film)  # the film's details as plain JSON values, as a correction names them
        corrected = parse_correction(
            _without_same_country(body, film), current.get("author"), deps.settings.topics, film.protect_identity
        )
        check_correctable(film)
        changed = {field: value for field, value in corrected.items() if current.get(field) != value}
        if not changed:
            return {**current, "sent_back_to_review": False, "warnings": venue_warnings(film_texts(corrected))}
        change = correct(film, caller.actor, changed, now_iso())
        try:
            _apply_office_change(deps, change)
        except StaleTransitionError:
            continue  # an editor acted, or the film moved on, meanwhile: read it again and decide anew
        assert change.audit is not None
        logger.info("upload corrected", extra={"video_id": video_id, **change.audit.details})
        return {
            **upload_view(office_film(deps, caller, video_id)),
            "sent_back_to_review": bool(film.consent),
            "warnings": venue_warnings(film_texts(corrected)),
        }
    raise ConflictError(f"Film {video_id} changed while it was being corrected; try again.", "conflict")


def _complete(deps: Dependencies, caller: Caller, film: Film, body: Any) -> dict[str, Any] | None:
    """The draft's details completed (every one checked as a full upload's, nothing written when one is bad);
    None when the film changed meanwhile (read it again)."""
    file = UploadFile(film.filename, _extension_of(film.upload_key), film.size_bytes, film.content_type)
    request = parse_completion(body, file, deps.settings.topics, deps.settings.limits.max_bytes)
    _check_country(caller, request.country)
    change = complete_draft(film, caller.actor, request, now_iso())
    try:
        _apply_office_change(deps, change)
    except StaleTransitionError:
        return None
    count("DraftsCompleted")
    logger.info("draft completed", extra={"video_id": film.video_id, "status": change.after.status.value})
    completed = upload_view(office_film(deps, caller, film.video_id))
    return {**completed, "sent_back_to_review": False, "warnings": venue_warnings(film_texts(completed))}


def _extension_of(key: str) -> str:
    return key[key.rfind(".") :]


def _without_same_country(body: Any, film: Film) -> Any:
    """A correction may repeat the film's country as it is (a page that sends a film's whole details again):
    the country is never corrected, so only a different one is refused."""
    if isinstance(body, Mapping) and "country" in body and body["country"] == film.country:
        return {name: value for name, value in body.items() if name != "country"}
    return body


def _apply_office_change(deps: Dependencies, change: Change) -> None:
    """An office's completion or correction, its audit entry in the same write; one that asked for protection on
    a READY film moved it to PROTECTING there, and its stage gets the film (counted as made again)."""
    changes.apply(deps, change)
    if change.next_stage is not None:
        count("FilmsRenderedAgain")
