"""SQS: hands a message to the next stage of the pipeline."""

from __future__ import annotations

import json
from typing import Any


class SQSQueue:
    def __init__(self, client: Any, queue_url: str) -> None:
        self._client = client
        self.queue_url = queue_url

    def send(self, message: dict[str, Any]) -> None:
        self._client.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(message, sort_keys=True))
