"""The bodies of the pipeline's SQS messages, in one place for every sender."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def transcode_message(film: Mapping[str, Any]) -> dict[str, Any]:
    """Asks the transcoder for one attempt at one film."""
    return {"video_id": film["video_id"], "key": film["upload_key"], "etag": film.get("upload_etag", ""),
            "attempt": film.get("attempt", 0)}  # fmt: skip


def upload_notification(bucket: str, film: Mapping[str, Any]) -> str:
    """An S3 ObjectCreated notification for the film's upload, as the bucket would send it (for retries)."""
    record = {
        "eventName": "ObjectCreated:Retry",
        "s3": {"bucket": {"name": bucket},
               "object": {"key": film["upload_key"], "size": film.get("size_bytes", 0),
                          "eTag": film.get("upload_etag", "")}},
    }  # fmt: skip
    return json.dumps({"Records": [record]})
