"""Stage one of the pipeline: an upload arrived; probe it where it lies and apply the rules."""

from __future__ import annotations

import time
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from chalicelib.clock import now_iso
from chalicelib.domain import lifecycle
from chalicelib.domain.errors import MediaError, StaleTransitionError
from chalicelib.domain.film import EXPECTS_NO_UPLOAD, PROCESSING, Status
from chalicelib.domain.rules import check_size, check_source
from chalicelib.domain.source import SourceDescription
from chalicelib.domain.stages import VALIDATE
from chalicelib.domain.upload_events import ObjectCreated
from chalicelib.media.probe import probe
from chalicelib.media.runner import MediaTimeoutError
from chalicelib.observability import count, logger, measure, subsegment
from chalicelib.services import changes
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.handoff import hand_on
from chalicelib.services.outcomes import fail_on_time, reject, seconds_left
from chalicelib.services.replaced_uploads import follow_replaced_upload

# Long enough for a slow probe, short enough that a leaked URL is soon worthless.
PROBE_URL_TTL_S = 300
# A film that keeps changing while its validation ends (a field office correcting it) is read this many times.
ACCEPT_ATTEMPTS = 5


def validate_once(deps: Dependencies, video_id: str, created: ObjectCreated, context: Any) -> None:
    """The validate stage's service (domain/stages.py): runs once per object version and attempt, however often
    its event arrives."""
    film = deps.catalog.get_film(video_id)
    if film is None or film.status in EXPECTS_NO_UPLOAD:
        # A file that arrives for no film, after a takedown or after its upload expired, is a child's raw
        # video with no owner: delete it.
        deps.uploads.delete(created.key)  # its exact key: all the function's role may delete
        logger.warning("deleted an upload no film expects", extra={"key": created.key})
        return
    if film.upload_key != created.key:
        logger.warning("ignoring an object at a key this film does not use", extra={"key": created.key})
        return
    if film.source_deleted_at is not None:
        # The film's source went under the retention policy; a file arriving at its key now (a second POST
        # to a presigned URL still in its window) is a raw upload that nothing would ever date or delete.
        deps.uploads.delete(created.key)
        logger.warning("deleted an upload that arrived after its film's source was deleted", extra={"key": created.key})
        return
    key = {"bucket": created.bucket, "key": created.key, "etag": created.etag, "attempt": film.attempt}
    deps.idempotency.run_once(validate_upload, key, context, deps, video_id, created, seconds_left(context))


def validate_upload(deps: Dependencies, video_id: str, created: ObjectCreated, deadline_s: float) -> None:
    film = deps.catalog.get_film(video_id)
    if film is None:
        return
    status = film.status
    try:
        if status is Status.AWAITING_UPLOAD:
            count("UploadsReceived")
            arrived = lifecycle.uploaded(film, now_iso(), etag=created.etag, size_bytes=created.size_bytes)
            changes.apply(deps, arrived)
            film, status = arrived.after, Status.UPLOADED
        if status is Status.UPLOADED:
            changes.apply(deps, lifecycle.validating(film, now_iso()))
            status = Status.VALIDATING
    except StaleTransitionError:
        logger.info("a concurrent delivery already took this upload")
        return
    if status in VALIDATE.ends_in and status in PROCESSING and film.upload_etag == created.etag:
        # A retry after the status moved but before the next stage heard of it: tell it (again).
        hand_on(deps, film)
        return
    if status is not Status.VALIDATING:
        logger.info("ignoring a late or duplicate event", extra={"status": status.value})
        return
    _probe_and_decide(deps, video_id, created, deadline_s)


def _probe_and_decide(deps: Dependencies, video_id: str, created: ObjectCreated, deadline_s: float) -> None:
    started = time.monotonic()
    try:
        _decide(deps, video_id, created, deadline_s)
    finally:
        measure("ValidateSeconds", time.monotonic() - started, MetricUnit.Seconds)


def _decide(deps: Dependencies, video_id: str, created: ObjectCreated, deadline_s: float) -> None:
    limits = deps.settings.limits
    rejection = check_size(created.size_bytes, limits)
    if rejection is not None:
        reject(deps, video_id, rejection.code, rejection.reason)
        return
    # Exactly the object the event announced: if another file replaced it, S3 refuses every read.
    presigned = deps.uploads.presign_get_exact(created.key, created.etag, PROBE_URL_TTL_S)
    try:
        with subsegment("ffprobe"):
            probed = probe(presigned.url, created.size_bytes, timeout_s=deadline_s, headers=presigned.headers)
    except MediaTimeoutError:
        fail_on_time(deps, video_id, "Validation", deadline_s)
        return
    except MediaError as error:
        current = deps.uploads.current(created.key)
        if current is None or current.etag != created.etag.strip('"'):
            # Not this file's fault: it is no longer there to read.
            follow_replaced_upload(deps, video_id, Status.VALIDATING)
        else:
            reject(deps, video_id, error.code, error.message)
        return
    measure("BytesProbed", probed.bytes_read, MetricUnit.Bytes)
    logger.info("upload probed", extra={"bytes_read": probed.bytes_read, "size_bytes": created.size_bytes})
    source = probed.source
    rejection = check_source(source, limits)
    if rejection is not None:
        reject(deps, video_id, rejection.code, rejection.reason)
        return
    accept(deps, video_id, source, created.etag, created.size_bytes)


def accept(deps: Dependencies, video_id: str, source: SourceDescription, etag: str, size_bytes: int) -> None:
    """The upload passed: on to the protection stage when identity protection is asked (the protected master
    first, every public output from it), to the transcode otherwise. Decided on the film at the version read:
    a field office may still ask for protection while the film is validated, and a request that lands
    between the reading and the writing is read again, never lost (the transcode would FAIL the film)."""
    for _attempt in range(ACCEPT_ATTEMPTS):
        film = deps.catalog.get_film(video_id)
        if film is None or film.status is not Status.VALIDATING:
            break
        accepted = lifecycle.validated(film, now_iso(), source, etag=etag, size_bytes=size_bytes)
        try:
            changes.apply(deps, accepted)
        except StaleTransitionError:
            continue  # changed meanwhile (an office's correction) or gone (a takedown): read it again
        next_stage = accepted.next_stage.name if accepted.next_stage else None
        logger.info("upload accepted", extra={"duration_s": source.duration_s, "next_stage": next_stage})
        return
    logger.info("film left VALIDATING while it was probed (taken down?)")
