"""What the use cases work with: settings and the ports they call, built by `chalicelib/wiring.py`
(from the AWS adapters) or by tests."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.config import Settings
from chalicelib.services.ports import Catalog, CdnCache, Idempotency, ObjectStore, Queue


@dataclass(frozen=True)
class Dependencies:
    settings: Settings
    catalog: Catalog
    uploads: ObjectStore
    media: ObjectStore
    media_cache: CdnCache
    transcode_queue: Queue
    protect_queue: Queue
    uploads_queue: Queue
    idempotency: Idempotency
