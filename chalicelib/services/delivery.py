"""At-least-once delivery: what happens to an SQS message when the work it carries raises.

Transient failures (throttling, 5xx, timeouts) come back with an exponential backoff set on the message's
visibility; a duplicate of work still running comes back once that run's time limit has passed (by then it has
finished, and the duplicate returns at once, or it died, and the duplicate runs it again). At the queue's last
delivery the film is marked FAILED with the reason before the message moves to the dead-letter queue, so no film
waits forever. Permanent problems with a film never get here: they end REJECTED or FAILED inside the work itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.domain.errors import AlreadyRunningError
from chalicelib.observability import logger
from chalicelib.services.ports import Queue

BACKOFF_BASE_S = 2
BACKOFF_MAX_S = 900


def backoff_s(receive_count: int) -> int:
    return int(min(BACKOFF_BASE_S**receive_count, BACKOFF_MAX_S))


def deliver(
    record: SQSRecord,
    queue: Queue,
    work: Callable[[], None],
    give_up: Callable[[str], None] | None = None,
) -> None:
    """Run `work`; on failure, delay the message's return (or give up at its last delivery) and re-raise."""
    # Absent when the message was received without its attributes (the local workers and tests may).
    receive_count = int(record.attributes.get("ApproximateReceiveCount") or 1)
    try:
        work()
    except AlreadyRunningError as running:
        wait_s = max(backoff_s(receive_count), math.ceil(running.ends_within_s))
        logger.info("the same work is running elsewhere; trying again once its time is up", extra={"wait_s": wait_s})
        queue.delay(record.receipt_handle, wait_s)
        raise
    except Exception as error:
        last = queue.max_receive_count is not None and receive_count >= queue.max_receive_count
        logger.exception("delivery failed", extra={"receive_count": receive_count, "last_delivery": last})
        if last and give_up is not None:
            # The error itself stays in the logs: it can name accounts, roles and tables.
            give_up(
                f"Processing failed {receive_count} times because of a problem on our side "
                f"({type(error).__name__}); operators can retry the film."
            )
        elif not last:
            queue.delay(record.receipt_handle, backoff_s(receive_count))
        raise
