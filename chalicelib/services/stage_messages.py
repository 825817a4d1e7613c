"""The one handler of a stage's SQS message (domain/stages.py): each film the message names gets one run of
the stage's service, once per film, upload ETag and attempt whatever the number of deliveries, retried with
backoff and ended FAILED at the queue's last delivery (services/delivery.py).

A FILM stage's message names one film and one attempt (services/messages.py); the upload notification that
the validate stage reads names objects created in the uploads bucket (or one shaped like it, for a retry).
"""

from __future__ import annotations

import functools
import importlib
import json
from collections.abc import Callable, Iterator
from typing import Any

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.domain.object_keys import is_protected_master_key, video_id_from_upload_key
from chalicelib.domain.stages import Message, Stage
from chalicelib.domain.upload_events import objects_created
from chalicelib.observability import logger
from chalicelib.services.delivery import deliver
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.outcomes import fail, seconds_left

# One film's run of a stage, ready to deliver, and what its last failed delivery does.
Run = tuple[str, Callable[[], None], Callable[[str], None]]


def handle_record(deps: Dependencies, stage: Stage, record: SQSRecord, context: Any) -> None:
    """One SQS message on `stage`'s queue, as its function receives it."""
    queue = deps.queue(stage)
    service = service_of(stage)
    try:
        runs = list(
            _upload_runs(deps, record.body, service, context)
            if stage.message is Message.UPLOAD_NOTIFICATION
            else _film_runs(deps, stage, record.body, service, context)
        )
    except ValueError as unreadable:
        # Retried with backoff like any failure, so it soon rests in the dead-letter queue, where operators see it.
        deliver(record, queue, work=functools.partial(_raise, unreadable))
        return
    for video_id, work, give_up in runs:
        logger.append_keys(video_id=video_id)
        deliver(record, queue, work=work, give_up=give_up)


@functools.cache
def service_of(stage: Stage) -> Callable[..., None]:
    """The function named by the stage's `service` (`module:function`)."""
    module, _, name = stage.service.partition(":")
    service: Callable[..., None] = getattr(importlib.import_module(module), name)
    return service


def _film_runs(
    deps: Dependencies, stage: Stage, body: str, service: Callable[..., None], context: Any
) -> Iterator[Run]:
    try:
        message = json.loads(body)
        video_id, etag, attempt = str(message["video_id"]), str(message["etag"]), int(message.get("attempt", 0))
    except (ValueError, KeyError, TypeError):
        raise ValueError(f"unreadable {stage.name} message: {body[:200]!r}") from None
    key = {"video_id": video_id, "etag": etag, "attempt": attempt}
    yield (
        video_id,
        lambda: deps.idempotency.run_once(service, key, context, deps, video_id, seconds_left(context)),
        # Only the attempt this message carries: one that moved on since (a catch-up) is not this message's.
        functools.partial(fail, deps, video_id, attempt=attempt),
    )


def _upload_runs(deps: Dependencies, body: str, service: Callable[..., None], context: Any) -> Iterator[Run]:
    for created in objects_created(body):
        if created.bucket != deps.settings.uploads_bucket:
            logger.warning("ignoring an event from another bucket", extra={"bucket": created.bucket})
            continue
        video_id = video_id_from_upload_key(created.key)
        if video_id is None and is_protected_master_key(created.key):
            continue  # the protection stage's own output, beside the source: nothing to validate
        if video_id is None:
            logger.warning("ignoring an object outside the upload layout", extra={"key": created.key})
            continue
        yield (
            video_id,
            functools.partial(service, deps, video_id, created, context),
            functools.partial(fail, deps, video_id),
        )


def _raise(error: Exception) -> None:
    raise error
