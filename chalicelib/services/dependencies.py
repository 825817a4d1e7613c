"""What the use cases work with: settings and the ports they call, built by `chalicelib/wiring.py`
(from the AWS adapters) or by tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chalicelib.config import Settings
from chalicelib.domain.stages import NoStageError, Stage
from chalicelib.services.ports import Catalog, CdnCache, Idempotency, ObjectStore, Queue


@dataclass(frozen=True)
class Dependencies:
    settings: Settings
    catalog: Catalog
    uploads: ObjectStore
    media: ObjectStore
    media_cache: CdnCache
    # Each stage's work queue, by the stage's name (domain/stages.py).
    queues: Mapping[str, Queue]
    idempotency: Idempotency

    def queue(self, stage: Stage) -> Queue:
        try:
            return self.queues[stage.name]
        except KeyError:
            raise NoStageError(f"no queue for the {stage.name} stage: is it in domain/stages.py?") from None
