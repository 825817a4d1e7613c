"""Configuration: every environment variable name in one place, read once at the edge.

Values per stage live in `.chalice/config.json`; resource names come from the merge template
(deployed) or from the local stack (`local/`). Both set the same names.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from chalicelib.domain.rules import ValidationLimits

SERVICE_NAME = "oneminutesjr-ingest"
METRICS_NAMESPACE = "OneMinutesJr"

STAGE = "STAGE"
UPLOADS_BUCKET = "UPLOADS_BUCKET"
MEDIA_BUCKET = "MEDIA_BUCKET"
CATALOG_TABLE = "CATALOG_TABLE"
TRANSCODE_QUEUE_URL = "TRANSCODE_QUEUE_URL"
MEDIA_BASE_URL = "MEDIA_BASE_URL"
MIN_DURATION_S = "MIN_DURATION_S"
MAX_DURATION_S = "MAX_DURATION_S"
MAX_UPLOAD_BYTES = "MAX_UPLOAD_BYTES"
UPLOAD_URL_TTL_S = "UPLOAD_URL_TTL_S"
TOPICS = "TOPICS"

# Queue names as the packaged template knows them: Chalice puts the name into an `Fn::Sub`, so
# the stack name makes them unique per deployed stage. Handlers never read these at run time.
UPLOADS_QUEUE_NAME = "${AWS::StackName}-uploads"
TRANSCODE_QUEUE_NAME = "${AWS::StackName}-transcode"


@dataclass(frozen=True)
class Settings:
    stage: str
    uploads_bucket: str
    media_bucket: str
    catalog_table: str
    transcode_queue_url: str
    media_base_url: str
    limits: ValidationLimits
    upload_url_ttl_s: int
    topics: frozenset[str]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        max_upload_bytes = int(env[MAX_UPLOAD_BYTES])
        return cls(
            stage=env[STAGE],
            uploads_bucket=env[UPLOADS_BUCKET],
            media_bucket=env[MEDIA_BUCKET],
            catalog_table=env[CATALOG_TABLE],
            transcode_queue_url=env[TRANSCODE_QUEUE_URL],
            media_base_url=env[MEDIA_BASE_URL].rstrip("/"),
            limits=ValidationLimits(
                min_duration_s=float(env[MIN_DURATION_S]),
                max_duration_s=float(env[MAX_DURATION_S]),
                max_bytes=max_upload_bytes,
            ),
            upload_url_ttl_s=int(env[UPLOAD_URL_TTL_S]),
            topics=frozenset(topic.strip() for topic in env[TOPICS].split(",") if topic.strip()),
        )
