"""A local stand-in for Lambda's SQS event source: polls one queue and calls the Chalice handler.

The handler receives the event shape Lambda gives it, and the function's own timeout (the template's, as on
AWS). Success deletes the message; an exception leaves it to come back after the visibility timeout, and the
queue's redrive policy moves it to the dead-letter queue after its maximum receive count, as in AWS.

AWS needs a queue's visibility timeout to be at least six times its function's timeout; locally that would keep
a film whose worker died mid-run waiting for an hour and a half. So the local queues keep a short visibility
(`infra/local-overrides.json`), and while the handler works a heartbeat extends its message's visibility
(`heartbeat_s`): a worker that dies stops the heartbeat, and the message comes back within that short visibility.

    python -m local.worker QUEUE_URL HANDLER_NAME
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3

from chalicelib.domain.errors import AlreadyRunningError
from local import chalice_config
from local.lambda_context import function_context
from local.resources import local_overrides

POLL_WAIT_S = 1
VERBOSE_ENV = "LOCAL_VERBOSE"  # set by the stack under `make run VERBOSE=1`
STAGE = "local"


def lambda_event(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": message.get("MessageAttributes", {}),
                "md5OfBody": hashlib.md5(message["Body"].encode()).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": "us-east-1",
            }
        ]
    }


@contextmanager
def heartbeat(sqs: Any, queue_url: str, receipt_handle: str, visibility_s: int, every_s: float) -> Iterator[None]:
    """While the block runs, keep the message invisible: every `every_s`, `visibility_s` more from now."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(every_s):
            try:
                sqs.change_message_visibility(
                    QueueUrl=queue_url, ReceiptHandle=receipt_handle, VisibilityTimeout=visibility_s
                )
            except Exception:  # a missed beat is retried at the next one; the message comes back at worst
                traceback.print_exc()

    beating = threading.Thread(target=beat, name="visibility-heartbeat", daemon=True)
    beating.start()
    try:
        yield
    finally:
        stop.set()
        beating.join()


def tell_failure(handler: str, error: Exception) -> None:
    """One line per failed delivery (the function has logged its own record); the traceback with VERBOSE=1.
    A duplicate of work still running (a multipart upload's own message and S3's event for it) is no failure:
    the function's line already says it comes back once that run's time is up."""
    if isinstance(error, AlreadyRunningError):
        return
    if os.environ.get(VERBOSE_ENV) == "1":
        traceback.print_exc()
    print(
        f"{handler}: delivery failed, the message comes back after its visibility timeout: "
        f"{type(error).__name__}: {error}",
        file=sys.stderr,
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queue_url")
    parser.add_argument("handler")
    args = parser.parse_args()
    os.environ.update(chalice_config.environment(STAGE, args.handler))
    os.environ["AWS_LAMBDA_FUNCTION_NAME"] = args.handler
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    import app  # imported as Lambda would: after the environment is set

    handler = getattr(app, args.handler)
    sqs = boto3.session.Session().client("sqs")
    attributes = sqs.get_queue_attributes(QueueUrl=args.queue_url, AttributeNames=["QueueArn", "VisibilityTimeout"])
    queue_arn = attributes["Attributes"]["QueueArn"]
    visibility_s = int(attributes["Attributes"]["VisibilityTimeout"])
    every_s = float(local_overrides()["heartbeat_s"])
    while True:
        response = sqs.receive_message(
            QueueUrl=args.queue_url, MaxNumberOfMessages=1, WaitTimeSeconds=POLL_WAIT_S, AttributeNames=["All"]
        )
        for message in response.get("Messages", []):
            try:
                with heartbeat(sqs, args.queue_url, message["ReceiptHandle"], visibility_s, every_s):
                    handler(lambda_event(message, queue_arn), function_context(args.handler))
            except Exception as error:  # as Lambda does: the message stays and comes back after its visibility timeout
                tell_failure(args.handler, error)
                continue
            sqs.delete_message(QueueUrl=args.queue_url, ReceiptHandle=message["ReceiptHandle"])


if __name__ == "__main__":
    main()
