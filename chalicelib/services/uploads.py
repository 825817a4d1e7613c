"""Field-office uploads: a film's catalog entry and the presigned POST that receives its file."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.clock import now_iso
from chalicelib.config import Settings
from chalicelib.domain.catalog import upload_view
from chalicelib.domain.errors import ForbiddenError, NotFoundError
from chalicelib.domain.film import Film, Status
from chalicelib.domain.metadata import parse_upload_request
from chalicelib.domain.multipart import PartPlan, parse_multipart_flag
from chalicelib.domain.object_keys import upload_key
from chalicelib.observability import count, logger
from chalicelib.services.access import Caller
from chalicelib.services.dependencies import Dependencies

MAX_LISTED_UPLOADS = 100


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
    return {"video_id": video_id, "status": Status.AWAITING_UPLOAD.value, "upload": upload}


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


def list_uploads(deps: Dependencies, caller: Caller) -> dict[str, Any]:
    films = deps.catalog.list_office_films(str(caller.office_id), MAX_LISTED_UPLOADS)
    return {"items": [upload_view(film) for film in films if film.status is not Status.DELETED]}
