"""The bodies of the pipeline's SQS messages, in one place for every sender."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.domain.film import Film


def film_message(film: Film) -> dict[str, Any]:
    """Asks a stage that reads film messages (domain/stages.py, Message.FILM) for one attempt at one film."""
    return {"video_id": film.video_id, "key": film.upload_key, "etag": film.upload_etag or "", "attempt": film.attempt}


def upload_notification(bucket: str, film: Film) -> str:
    """An S3 ObjectCreated notification for the film's upload, as the bucket would send it (for retries)."""
    created = {"key": film.upload_key, "size": film.size_bytes, "eTag": film.upload_etag or ""}
    record = {"eventName": "ObjectCreated:Retry", "s3": {"bucket": {"name": bucket}, "object": created}}
    return json.dumps({"Records": [record]})
