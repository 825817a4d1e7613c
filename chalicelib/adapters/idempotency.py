"""Powertools' idempotency utility with its DynamoDB store: a piece of work runs once per key.

A second delivery of the same key while the first runs gets `AlreadyRunningError` (and is retried once the
first run's time limit has passed); after the first completes, it returns at once without running the work
again. The Lambda context is registered, so a run that timed out or died (its Lambda environment, or a local
worker, killed) stops blocking its retry when its time is up.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from chalicelib.domain.errors import AlreadyRunningError

# How long a completed key is remembered: longer than any redelivery of the same message.
REMEMBER_S = 24 * 3600


class IdempotencyGuard:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self.table_name = table_name
        self._store: Any = None
        self._config: Any = None
        self._guarded: dict[Callable[..., None], Callable[..., None]] = {}

    def run_once(self, work: Callable[..., None], key: Mapping[str, Any], context: Any, *args: Any) -> None:
        """`work(*args)`, unless it already ran (or is running) for `key`. Each piece of work keeps its
        own records, under the name of its function."""
        # Imported here, not at module import: only the pipeline functions pay for it at cold start.
        from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError

        guarded = self._guarded.get(work) or self._guard(work)
        self._config.register_lambda_context(context)
        try:
            guarded(*args, idempotency_key=dict(key))
        except IdempotencyAlreadyInProgressError as error:
            # The running attempt was given the same time limit as this one, and has used some of it already.
            limit_s = context.get_remaining_time_in_millis() / 1000
            raise AlreadyRunningError(f"{work.__name__} is already running for {dict(key)}", limit_s) from error

    def _guard(self, work: Callable[..., None]) -> Callable[..., None]:
        """`work` made idempotent once, under its own module and name (Powertools' record key)."""
        from aws_lambda_powertools.utilities.idempotency import (
            DynamoDBPersistenceLayer,
            IdempotencyConfig,
            idempotent_function,
        )

        if self._store is None:
            self._store = DynamoDBPersistenceLayer(table_name=self.table_name, boto3_client=self._client)
            self._config = IdempotencyConfig(expires_after_seconds=REMEMBER_S, raise_on_no_idempotency_key=True)

        @functools.wraps(work)
        def once(*args: Any, idempotency_key: dict[str, Any]) -> None:
            work(*args)

        guarded: Callable[..., None] = idempotent_function(
            data_keyword_argument="idempotency_key", persistence_store=self._store, config=self._config
        )(once)
        self._guarded[work] = guarded
        return guarded
