"""CloudFront's cache of the media: emptied for a film the moment it stops being public."""

from __future__ import annotations

import uuid
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.observability import count, logger


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
        try:
            self._client.create_invalidation(
                DistributionId=self.distribution_id,
                InvalidationBatch={
                    "Paths": {"Quantity": 1, "Items": [path_pattern]},
                    "CallerReference": str(uuid.uuid4()),
                },
            )
        except ClientError as error:
            # CloudFront allows 15 wildcard invalidations in progress at once. The objects are private
            # already (their tag is gone), so what is cached ages out within its five minutes: an
            # editor's unpublish or takedown does not fail for this; the error is logged and counted.
            logger.error(
                "the CDN's cache could not be emptied",
                extra={"paths": path_pattern, "error": error.response.get("Error", {}).get("Code")},
            )
            count("CacheInvalidationsFailed")
