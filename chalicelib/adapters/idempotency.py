"""Powertools' idempotency utility with its DynamoDB store: a piece of work runs once per key.

A second delivery of the same key while the first runs gets `AlreadyRunningError` (and is retried
later); after the first completes, it returns at once without running the work again. The Lambda
context is registered, so a run that timed out stops blocking its retry when its time is up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

# How long a completed key is remembered: longer than any redelivery of the same message.
REMEMBER_S = 24 * 3600


class AlreadyRunningError(Exception):
    """The same piece of work is running elsewhere right now."""


class IdempotencyGuard:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self.table_name = table_name
        self._store: Any = None

    def run_once(self, name: str, key: Mapping[str, Any], context: Any, work: Callable[[], None]) -> None:
        # Imported here, not at module import: only the pipeline functions pay for it at cold start.
        from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
        from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError

        config = IdempotencyConfig(expires_after_seconds=REMEMBER_S, raise_on_no_idempotency_key=True)
        config.register_lambda_context(context)

        def once(idempotency_key: dict[str, Any]) -> None:
            work()

        once.__qualname__ = name  # part of the stored key: each stage has its own records
        guarded = idempotent_function(
            data_keyword_argument="idempotency_key", persistence_store=self._persistence(), config=config
        )(once)
        try:
            guarded(idempotency_key=dict(key))
        except IdempotencyAlreadyInProgressError as error:
            raise AlreadyRunningError(f"{name} is already running for {dict(key)}") from error

    def _persistence(self) -> Any:
        if self._store is None:
            from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

            self._store = DynamoDBPersistenceLayer(table_name=self.table_name, boto3_client=self._client)
        return self._store
