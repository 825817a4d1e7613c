"""Builds the adapters from the environment on first use (never at import: that escapes moto and slows cold starts)."""

from __future__ import annotations

import functools
import threading
from typing import TYPE_CHECKING, Any

from chalicelib.config import Settings
from chalicelib.services.dependencies import Dependencies

if TYPE_CHECKING:
    from chalicelib.adapters.sqs_queue import SQSQueue


# The boto3 session every client comes from: one, because each new session reads botocore's data files
# (endpoints, service models) again. Made with the first client; the lock because a session is not
# safe to make clients from in two threads at once.
_session: dict[str, Any] = {}
_session_lock = threading.Lock()


@functools.cache
def _client(service: str) -> Any:
    import boto3
    from botocore.config import Config

    # Presigned S3 URLs signed with SigV4, which every region accepts (botocore may otherwise sign
    # some with the legacy SigV2 that newer regions refuse).
    config = Config(signature_version="s3v4") if service == "s3" else None
    with _session_lock:
        if "session" not in _session:
            _session["session"] = boto3.session.Session()
        return _session["session"].client(service, config=config)


@functools.cache
def dependencies() -> Dependencies:
    from chalicelib.adapters.cdn_cache import CdnCache
    from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
    from chalicelib.adapters.idempotency import IdempotencyGuard
    from chalicelib.adapters.listing_cursor import ListingCursors
    from chalicelib.adapters.s3_store import S3Store
    from chalicelib.adapters.sqs_queue import SQSQueue

    settings = Settings.from_env()
    # The secret is read when a listing first pages, once per container; a worker never reads it.
    cursors = ListingCursors(lambda: _secret(settings.cursor_signing_key_arn).encode())
    return Dependencies(
        settings=settings,
        catalog=DynamoDBCatalog(_client("dynamodb"), settings.catalog_table, cursors),
        uploads=S3Store(_client("s3"), settings.uploads_bucket),
        media=S3Store(_client("s3"), settings.media_bucket),
        media_cache=CdnCache(
            _client("cloudfront") if settings.media_distribution_id else None, settings.media_distribution_id
        ),
        queues={stage: SQSQueue(_client("sqs"), url) for stage, url in settings.queue_urls.items()},
        idempotency=IdempotencyGuard(_client("dynamodb"), settings.idempotency_table),
    )


def _secret(secret_id: str) -> str:
    value: str = _client("secretsmanager").get_secret_value(SecretId=secret_id)["SecretString"]
    return value


def queue(url: str) -> SQSQueue:
    """A queue by its URL, on the functions' own client (the dead-letter queues, for operators)."""
    from chalicelib.adapters.sqs_queue import SQSQueue

    return SQSQueue(_client("sqs"), url)


def reset(session: Any | None = None) -> None:
    """Forget cached clients and their session (tests that start a fresh moto between cases). A test may give
    the session the next clients come from: one kept across cases makes each case's clients in milliseconds."""
    _client.cache_clear()
    dependencies.cache_clear()
    with _session_lock:
        _session.clear()
        if session is not None:
            _session["session"] = session


def use_session(session: Any) -> None:
    """Build the adapters anew from the environment on next use, on the clients of `session`: those already made
    are kept when it is the session in use (tests that keep one moto across cases and change only the names and
    settings the functions read), made afresh when another session was put in its place."""
    with _session_lock:
        same = _session.get("session") is session
    if same:
        dependencies.cache_clear()
    else:
        reset(session)
