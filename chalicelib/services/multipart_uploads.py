"""A field office's large film in parts: which parts arrived, URLs for the others, completion.

Each request for part URLs restarts the film's upload window, so an office that keeps sending is
never expired by the sweep; one that stops is, and its parts are discarded with it.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Any

from chalicelib.clock import now_iso
from chalicelib.domain import lifecycle
from chalicelib.domain.catalog import upload_view
from chalicelib.domain.errors import ConflictError, StaleTransitionError
from chalicelib.domain.film import Film, Status
from chalicelib.domain.multipart import ArrivedPart, PartPlan, check_whole, parse_part_numbers
from chalicelib.observability import count, logger
from chalicelib.services import changes
from chalicelib.services.access import Caller
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.uploads import expires_at, office_film


def _plan(film: Film) -> tuple[PartPlan, str]:
    """How the film is cut, and the multipart upload that receives it."""
    if film.multipart_upload_id is None or film.part_size is None:
        raise ConflictError("This upload takes its file in one presigned POST, not in parts.", "not_multipart")
    return PartPlan(film.size_bytes, film.part_size), film.multipart_upload_id


def _awaiting_parts(deps: Dependencies, caller: Caller, video_id: str) -> tuple[Film, PartPlan, str]:
    film = office_film(deps, caller, video_id)
    plan, upload_id = _plan(film)
    if film.status is not Status.AWAITING_UPLOAD:
        raise ConflictError(f"The file has already arrived; the film is {film.status}.", "upload_complete")
    return film, plan, upload_id


def _arrived(deps: Dependencies, film: Film, upload_id: str) -> list[ArrivedPart] | None:
    """The parts S3 holds; None once they were put together. An upload S3 discarded (its lifecycle
    rule aborts one left unfinished for days) expires, and the office is told to start again."""
    arrived = deps.uploads.arrived_parts(film.upload_key, upload_id)
    if arrived is not None or film.parts_joined:
        return arrived
    with contextlib.suppress(StaleTransitionError):  # it moved on meanwhile
        changes.apply(
            deps, lifecycle.expired(film, "The parts sent were discarded before the film was complete.", now_iso())
        )
    raise ConflictError(
        "The parts sent were discarded before the film was complete; upload it again.", "upload_expired"
    )


def _joined(deps: Dependencies, film: Film, upload_id: str) -> list[ArrivedPart]:
    arrived = _arrived(deps, film, upload_id)
    if arrived is None:
        raise ConflictError("The parts were already put together; the film appears here shortly.", "upload_complete")
    return arrived


def parts_status(deps: Dependencies, caller: Caller, video_id: str) -> dict[str, Any]:
    """How the film is cut and which parts S3 holds: what a client resumes from."""
    film, plan, upload_id = _awaiting_parts(deps, caller, video_id)
    arrived = _joined(deps, film, upload_id)
    held = {part.part_number for part in arrived}
    return {
        "video_id": video_id,
        "part_size": plan.part_size,
        "parts_total": plan.parts_total,
        "arrived": [{"part_number": part.part_number, "size_bytes": part.size_bytes} for part in arrived],
        "missing": [n for n in range(1, plan.parts_total + 1) if n not in held],
    }


def part_urls(deps: Dependencies, caller: Caller, video_id: str, body: Any) -> dict[str, Any]:
    film, plan, upload_id = _awaiting_parts(deps, caller, video_id)
    numbers = parse_part_numbers(body, plan)
    ttl = deps.settings.upload_url_ttl_s
    key = film.upload_key
    try:
        deps.catalog.touch(video_id, Status.AWAITING_UPLOAD, now_iso(), {})
    except StaleTransitionError as error:
        raise ConflictError("The upload is no longer waiting for its file.", "upload_complete") from error
    return {
        "parts": [
            {
                "part_number": n,
                "size_bytes": plan.expected_size(n),
                "url": deps.uploads.presign_part(key, upload_id, n, ttl),
            }
            for n in numbers
        ],
        "expires_at": expires_at(deps.settings),
    }


def complete(deps: Dependencies, caller: Caller, video_id: str) -> dict[str, Any]:
    """Put the parts together once every one arrived with its planned size; the film then goes on as
    any upload does (S3's event starts validation). Completing again answers the same."""
    film = office_film(deps, caller, video_id)
    plan, upload_id = _plan(film)
    if film.status is not Status.AWAITING_UPLOAD:
        return upload_view(film)
    arrived = _arrived(deps, film, upload_id)
    if arrived is None:  # an earlier call put them together
        return upload_view(film)
    parts = check_whole(plan, arrived)
    try:  # the catalog first: a sweep cannot expire a film whose parts are being put together
        deps.catalog.touch(video_id, Status.AWAITING_UPLOAD, now_iso(), {"parts_joined": True})
    except StaleTransitionError as error:
        raise ConflictError(
            "The upload is no longer waiting for its file; upload it again.", "upload_expired"
        ) from error
    deps.uploads.complete_multipart(film.upload_key, upload_id, parts)
    logger.info("multipart upload completed", extra={"parts": len(parts), "size_bytes": plan.size_bytes})
    count("MultipartUploadsCompleted")
    return upload_view(replace(film, parts_joined=True))
