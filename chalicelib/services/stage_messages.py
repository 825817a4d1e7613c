"""One SQS message asking a pipeline stage (the protection stage, the transcode) for one attempt at one
film (services/messages.py): the stage runs once per film, upload ETag and attempt, whatever the
number of deliveries, and at the queue's last delivery the film ends FAILED (services/delivery.py)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.observability import logger
from chalicelib.services.delivery import deliver
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.outcomes import fail, seconds_left
from chalicelib.services.ports import Queue

# A stage: (dependencies, the film's id, the seconds it may take).
Stage = Callable[[Dependencies, str, float], None]


def handle_stage_record(
    deps: Dependencies, record: SQSRecord, context: Any, *, queue: Queue, stage: Stage, what: str
) -> None:
    """Run `stage` for the film `record` names, once per attempt; `what` names the stage in errors."""
    try:
        message = json.loads(record.body)
        video_id, etag, attempt = str(message["video_id"]), str(message["etag"]), int(message.get("attempt", 0))
    except (ValueError, KeyError, TypeError):
        # Retried with backoff like any failure, so it soon rests in the dead-letter queue, where operators see it.
        unreadable = ValueError(f"unreadable {what} message: {record.body[:200]!r}")
        deliver(record, queue, work=functools.partial(_raise, unreadable))
        return
    logger.append_keys(video_id=video_id)
    key = {"video_id": video_id, "etag": etag, "attempt": attempt}
    deliver(
        record,
        queue,
        work=lambda: deps.idempotency.run_once(stage, key, context, deps, video_id, seconds_left(context)),
        give_up=lambda reason: fail(deps, video_id, reason),
    )


def _raise(error: Exception) -> None:
    raise error
