"""CloudFront's cache of the media: emptied for a film the moment it stops being public."""

from __future__ import annotations

import uuid
from typing import Any


class CdnCache:
    """Receives its boto3 CloudFront client, or None where no distribution caches the media (the local
    stack's media server reads the bucket on every request, so there is nothing to empty)."""

    def __init__(self, client: Any | None, distribution_id: str) -> None:
        self._client = client
        self.distribution_id = distribution_id

    def invalidate(self, path_pattern: str) -> None:
        """Forget every cached object matching `path_pattern`, such as `/films/ID/*`."""
        if self._client is None or not self.distribution_id:
            return
        self._client.create_invalidation(
            DistributionId=self.distribution_id,
            InvalidationBatch={"Paths": {"Quantity": 1, "Items": [path_pattern]}, "CallerReference": str(uuid.uuid4())},
        )
