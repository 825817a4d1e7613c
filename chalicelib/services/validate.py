"""Stage one of the pipeline: an upload arrived; probe it and apply the one-minute rule and the others."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from chalicelib.adapters.s3_events import ObjectCreated, objects_created
from chalicelib.clock import now_iso
from chalicelib.domain.errors import MediaError, StaleTransitionError
from chalicelib.domain.film import Status
from chalicelib.domain.rules import check_source
from chalicelib.media.probe import probe
from chalicelib.observability import count, logger, record_rejection
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.uploads import video_id_from_key


def process_message(deps: Dependencies, body: str, deadline_s: float) -> None:
    for created in objects_created(body):
        if created.bucket != deps.settings.uploads_bucket:
            logger.warning("ignoring an event from another bucket", extra={"bucket": created.bucket})
            continue
        video_id = video_id_from_key(created.key)
        if video_id is None:
            logger.warning("ignoring an object outside the upload layout", extra={"key": created.key})
            continue
        logger.append_keys(video_id=video_id)
        validate_upload(deps, video_id, created, deadline_s)


def validate_upload(deps: Dependencies, video_id: str, created: ObjectCreated, deadline_s: float) -> None:
    film = deps.catalog.get_film(video_id)
    if film is None or film.get("upload_key") != created.key:
        logger.warning("ignoring an upload no film expects", extra={"key": created.key})
        return
    status = Status(film["status"])
    try:
        if status is Status.AWAITING_UPLOAD:
            count("UploadsReceived")
            deps.catalog.transition(
                video_id, Status.UPLOADED, now_iso(), {"size_bytes": created.size_bytes, "upload_etag": created.etag}
            )
            status = Status.UPLOADED
        if status is Status.UPLOADED:
            deps.catalog.transition(video_id, Status.VALIDATING, now_iso())
            status = Status.VALIDATING
    except StaleTransitionError:
        logger.info("a concurrent delivery already took this upload")
        return
    if status is not Status.VALIDATING:
        logger.info("ignoring a late or duplicate event", extra={"status": status.value})
        return
    _probe_and_decide(deps, video_id, created, deadline_s)


def _probe_and_decide(deps: Dependencies, video_id: str, created: ObjectCreated, deadline_s: float) -> None:
    with tempfile.TemporaryDirectory(prefix="omjr-validate-") as workdir:
        path = os.path.join(workdir, "source")
        deps.uploads.download(created.key, path)
        try:
            source = probe(path, os.path.getsize(path), timeout_s=deadline_s)
        except MediaError as error:
            reject(deps, video_id, Status.VALIDATING, error.code, error.message)
            return
    rejection = check_source(source, deps.settings.limits)
    if rejection is not None:
        reject(deps, video_id, Status.VALIDATING, rejection.code, rejection.reason)
        return
    video = source.video
    assert video is not None
    width, height = video.display_size
    deps.catalog.transition(
        video_id,
        Status.TRANSCODING,
        now_iso(),
        {"duration_s": round(float(source.duration_s or 0), 3), "source_width": width, "source_height": height},
    )
    deps.transcode_queue.send({"video_id": video_id, "key": created.key, "etag": created.etag})
    logger.info("upload accepted for transcoding", extra={"duration_s": source.duration_s})


def reject(deps: Dependencies, video_id: str, current: Status, code: str, reason: str) -> None:
    try:
        deps.catalog.transition(video_id, Status.REJECTED, now_iso(), {"reason_code": code, "reason": reason})
    except StaleTransitionError:
        logger.info("film left %s before it could be rejected", current.value)
        return
    record_rejection(code)
    logger.info("upload rejected", extra={"reason_code": code, "reason": reason})


def handle_event(deps: Dependencies, event: dict[str, Any], deadline_s: float) -> None:
    for record in event.get("Records", []):
        process_message(deps, record["body"], deadline_s)
