"""An in-memory work queue (ports.Queue): what was sent, and which messages were held back for how long."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class InMemoryQueue:
    max_receive_count: int | None = 3
    sent: list[str] = field(default_factory=list)
    delays: dict[str, int] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)

    def send(self, message: dict[str, Any]) -> None:
        self.send_raw(json.dumps(message, sort_keys=True))

    def send_raw(self, body: str) -> None:
        self.sent.append(body)

    def receive(self, count: int) -> list[dict[str, Any]]:
        taken, self.sent = self.sent[:count], self.sent[count:]
        return [{"Body": body, "ReceiptHandle": f"handle-{n}"} for n, body in enumerate(taken)]

    def delete(self, receipt_handle: str) -> None:
        self.deleted.append(receipt_handle)

    def delay(self, receipt_handle: str, seconds: int) -> bool:
        self.delays[receipt_handle] = seconds
        return True

    def depth(self) -> int:
        return len(self.sent)
