"""A local stand-in for Lambda's SQS event source: polls one queue and calls the Chalice handler.

The handler receives the event shape Lambda gives it. Success deletes the message; an exception
leaves it to come back after the visibility timeout, and the queue's redrive policy moves it to the
dead-letter queue after its maximum receive count, as in AWS.

    python -m local.worker QUEUE_URL HANDLER_NAME
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import sys
import traceback
from typing import Any

import boto3

from local import chalice_config
from local.lambda_context import LocalLambdaContext

POLL_WAIT_S = 1
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
    timeout_s = chalice_config.timeout_s(STAGE, args.handler)
    sqs = boto3.session.Session().client("sqs")
    queue_arn = sqs.get_queue_attributes(QueueUrl=args.queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    while True:
        response = sqs.receive_message(
            QueueUrl=args.queue_url, MaxNumberOfMessages=1, WaitTimeSeconds=POLL_WAIT_S, AttributeNames=["All"]
        )
        for message in response.get("Messages", []):
            try:
                handler(lambda_event(message, queue_arn), LocalLambdaContext(args.handler, timeout_s))
            except Exception:  # as Lambda does: the message stays and comes back after its visibility timeout
                traceback.print_exc()
                continue
            sqs.delete_message(QueueUrl=args.queue_url, ReceiptHandle=message["ReceiptHandle"])


if __name__ == "__main__":
    main()
