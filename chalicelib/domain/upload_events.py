"""An upload's arrival as S3 announces it on the uploads queue: decoded keys; test events and other events dropped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus


@dataclass(frozen=True)
class ObjectCreated:
    bucket: str
    key: str
    size_bytes: int
    etag: str


def objects_created(sqs_body: str) -> Iterator[ObjectCreated]:
    """The ObjectCreated records in one SQS message body; `s3:TestEvent` and anything else yields nothing."""
    try:
        notification: Any = json.loads(sqs_body)
    except json.JSONDecodeError:
        return
    if not isinstance(notification, dict):
        return
    for record in notification.get("Records") or []:
        if not str(record.get("eventName", "")).startswith("ObjectCreated:"):
            continue
        s3 = record.get("s3") or {}
        obj = s3.get("object") or {}
        yield ObjectCreated(
            bucket=str((s3.get("bucket") or {}).get("name", "")),
            key=unquote_plus(str(obj.get("key", ""))),
            size_bytes=int(obj.get("size") or 0),
            etag=str(obj.get("eTag") or obj.get("etag") or ""),
        )
