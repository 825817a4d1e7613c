"""SQS: hands a message to the next stage, delays a retry, and moves messages for a redrive."""

from __future__ import annotations

import functools
import json
from typing import Any


class SQSQueue:
    def __init__(self, client: Any, queue_url: str) -> None:
        self.client = client
        self.queue_url = queue_url

    def send(self, message: dict[str, Any]) -> None:
        self.send_raw(json.dumps(message, sort_keys=True))

    def send_raw(self, body: str) -> None:
        self.client.send_message(QueueUrl=self.queue_url, MessageBody=body)

    def receive(self, count: int) -> list[dict[str, Any]]:
        response = self.client.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=count, WaitTimeSeconds=1)
        return list(response.get("Messages", []))

    def delete(self, receipt_handle: str) -> None:
        self.client.delete_message(QueueUrl=self.queue_url, ReceiptHandle=receipt_handle)

    def delay(self, receipt_handle: str, seconds: int) -> bool:
        """Make a message that failed come back after `seconds` rather than after the full visibility timeout.

        False when SQS refused (the receipt expired, say): the message then comes back on its own.
        """
        from botocore.exceptions import ClientError

        try:
            self.client.change_message_visibility(
                QueueUrl=self.queue_url, ReceiptHandle=receipt_handle, VisibilityTimeout=seconds
            )
        except ClientError:
            return False
        return True

    def depth(self) -> int:
        attributes = self.client.get_queue_attributes(
            QueueUrl=self.queue_url, AttributeNames=["ApproximateNumberOfMessages"]
        )["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"])

    @functools.cached_property
    def max_receive_count(self) -> int | None:
        """How many deliveries before the queue moves a message to its dead-letter queue."""
        attributes = self.client.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["RedrivePolicy"])
        policy = attributes.get("Attributes", {}).get("RedrivePolicy")
        return int(json.loads(policy)["maxReceiveCount"]) if policy else None
