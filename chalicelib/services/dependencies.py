"""What the use cases work with: settings and adapters, built by `chalicelib/wiring.py` (or by tests)."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.adapters.cdn_cache import CdnCache
from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from chalicelib.adapters.idempotency import IdempotencyGuard
from chalicelib.adapters.s3_store import S3Store
from chalicelib.adapters.sqs_queue import SQSQueue
from chalicelib.config import Settings


@dataclass(frozen=True)
class Dependencies:
    settings: Settings
    catalog: DynamoDBCatalog
    uploads: S3Store
    media: S3Store
    media_cache: CdnCache
    transcode_queue: SQSQueue
    uploads_queue: SQSQueue
    idempotency: IdempotencyGuard
