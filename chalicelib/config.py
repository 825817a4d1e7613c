"""Configuration: every environment variable name in one place, read once at the edge.

Values per stage live in `.chalice/config.json`; resource names come from the merge template
(deployed) or from the local stack (`local/`). Both set the same names.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from chalicelib.domain import stages
from chalicelib.domain.rules import ValidationLimits
from chalicelib.domain.sweep import SweepLimits

SERVICE_NAME = "oneminutesjr-ingest"
METRICS_NAMESPACE = "OneMinutesJr"

# Powertools' own switch, read once by chalicelib/observability.py.
TRACE_DISABLED = "POWERTOOLS_TRACE_DISABLED"

STAGE = "STAGE"
UPLOADS_BUCKET = "UPLOADS_BUCKET"
MEDIA_BUCKET = "MEDIA_BUCKET"
CATALOG_TABLE = "CATALOG_TABLE"
IDEMPOTENCY_TABLE = "IDEMPOTENCY_TABLE"
# Each stage's queue URL (`<QUEUE>_QUEUE_URL`) and stuck-after setting are named by its entry in domain/stages.py.
MEDIA_BASE_URL = "MEDIA_BASE_URL"
# The website's public address: a film's share page leads to its page there.
SITE_URL = "SITE_URL"
MEDIA_DISTRIBUTION_ID = "MEDIA_DISTRIBUTION_ID"
MIN_DURATION_S = "MIN_DURATION_S"
MAX_DURATION_S = "MAX_DURATION_S"
MAX_UPLOAD_BYTES = "MAX_UPLOAD_BYTES"
UPLOAD_URL_TTL_S = "UPLOAD_URL_TTL_S"
MULTIPART_WINDOW_S = "MULTIPART_WINDOW_S"
TOPICS = "TOPICS"
# The Secrets Manager secret (its ARN) that signs listing cursors; only the API function's role may read it.
CURSOR_SIGNING_KEY_ARN = "CURSOR_SIGNING_KEY_ARN"


@dataclass(frozen=True)
class Settings:
    stage: str
    uploads_bucket: str
    media_bucket: str
    catalog_table: str
    # Each stage's queue URL, by the stage's name.
    queue_urls: Mapping[str, str]
    idempotency_table: str
    media_base_url: str
    site_url: str
    media_distribution_id: str  # empty: no CDN cache in front of the media (the local stack)
    cursor_signing_key_arn: str
    limits: ValidationLimits
    upload_url_ttl_s: int
    topics: frozenset[str]
    sweep: SweepLimits

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        max_upload_bytes = int(env[MAX_UPLOAD_BYTES])
        return cls(
            stage=env[STAGE],
            uploads_bucket=env[UPLOADS_BUCKET],
            media_bucket=env[MEDIA_BUCKET],
            catalog_table=env[CATALOG_TABLE],
            queue_urls={stage.name: env[stage.queue_url_variable] for stage in stages.STAGES},
            idempotency_table=env[IDEMPOTENCY_TABLE],
            media_base_url=env[MEDIA_BASE_URL].rstrip("/"),
            site_url=env[SITE_URL].rstrip("/"),
            media_distribution_id=env[MEDIA_DISTRIBUTION_ID],
            cursor_signing_key_arn=env[CURSOR_SIGNING_KEY_ARN],
            limits=ValidationLimits(
                min_duration_s=float(env[MIN_DURATION_S]),
                max_duration_s=float(env[MAX_DURATION_S]),
                max_bytes=max_upload_bytes,
            ),
            upload_url_ttl_s=int(env[UPLOAD_URL_TTL_S]),
            topics=frozenset(topic.strip() for topic in env[TOPICS].split(",") if topic.strip()),
            sweep=SweepLimits(
                # An unused upload expires an hour after its link did.
                upload_window_s=int(env[UPLOAD_URL_TTL_S]) + 3600,
                multipart_window_s=int(env[MULTIPART_WINDOW_S]),
                stuck_after_s={
                    status: int(env[stage.stuck_after_setting]) for stage in stages.STAGES for status in stage.runs_in
                },
            ),
        )
