"""A film's change and its audit entry are one write: a crash or a refusal at the moment the change is
committed keeps both or neither (moto's DynamoDB decides: TransactWriteItems is all or nothing).

The point of failure is where the audit entry used to be written, after the change had committed, as a
separate PutItem: a function that died there kept a takedown, a consent or a correction with no trace
of who did it."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from chalicelib import wiring
from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from chalicelib.domain.errors import ConflictError, UnavailableError
from chalicelib.domain.film import Status
from chalicelib.domain.takedown_reasons import TakedownReason, TakedownWhy
from chalicelib.services import editorial, takedown
from tests.functional.conftest import CONSENT
from tests.functional.factories import write_ready_film

WHY = TakedownWhy(TakedownReason.CONSENT_WITHDRAWN)


class DiedError(Exception):
    """The function dies (a timeout, the container reclaimed): nothing after this point runs."""


class CrashingClient:
    """The catalog's DynamoDB client, except around a change's commit: `after` lets the transaction through and
    then dies, as a function would between the commit and the audit's own write; `inside` makes DynamoDB
    refuse the transaction's audit part (a condition that cannot hold), as a failing audit write would. Every
    single-item PutItem of an audit entry dies too: an audit written apart from its change is lost."""

    def __init__(self, client: Any, *, after: bool = False, inside: bool = False) -> None:
        self._client, self._after, self._inside = client, after, inside

    def transact_write_items(self, **kwargs: Any) -> Any:
        writes = kwargs["TransactItems"]
        if self._inside:
            writes = [_refused(write) if _is_audit(write.get("Put", {})) else write for write in writes]
        response = self._client.transact_write_items(TransactItems=writes)
        if self._after:
            raise DiedError("died after the commit")
        return response

    def put_item(self, **kwargs: Any) -> Any:
        if _is_audit(kwargs):
            raise DiedError("died before the audit's own write")
        return self._client.put_item(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def _is_audit(put: dict[str, Any]) -> bool:
    return str(put.get("Item", {}).get("pk", {}).get("S", "")).startswith("AUDIT#")


def _refused(write: dict[str, Any]) -> dict[str, Any]:
    put = {**write["Put"], "ConditionExpression": "attribute_exists(pk)"}  # a new entry: never holds
    return {"Put": put}


def crashing(**how: bool) -> Any:
    deps = wiring.dependencies()
    catalog = DynamoDBCatalog(CrashingClient(deps.catalog._client, **how), deps.catalog.table_name)
    return dataclasses.replace(deps, catalog=catalog)


def trail(video_id: str) -> list[str]:
    return [entry["action"] for entry in wiring.dependencies().catalog.audit_trail(video_id)]


def test_a_takedown_that_dies_right_after_its_commit_keeps_its_audit_entry(api, stack):
    video_id = write_ready_film(stack)

    with pytest.raises(DiedError):
        takedown.take_down(crashing(after=True), "editor Anna", video_id, WHY)

    assert stack.catalog_item(video_id)["status"] == Status.DELETED.value
    assert trail(video_id) == ["taken_down"], "the tombstone and who made it, together"


def test_a_consent_that_dies_right_after_its_commit_keeps_its_audit_entry(api, stack):
    video_id = write_ready_film(stack)

    with pytest.raises(DiedError):
        editorial.record_consent(crashing(after=True), "editor Anna", video_id, CONSENT)

    assert stack.catalog_item(video_id)["consent"]["recorded_by"] == "editor Anna"
    assert trail(video_id) == ["consent_recorded"]


def test_a_consent_whose_audit_entry_is_refused_is_not_recorded_either(api, stack):
    video_id = write_ready_film(stack)

    with pytest.raises(ConflictError):
        editorial.record_consent(crashing(inside=True), "editor Anna", video_id, CONSENT)

    assert "consent" not in stack.catalog_item(video_id), "no consent without the record of who gave it"
    assert trail(video_id) == []
    editorial.record_consent(wiring.dependencies(), "editor Anna", video_id, CONSENT)
    assert trail(video_id) == ["consent_recorded"], "and the same request, sent again, goes through whole"


def test_a_takedown_whose_audit_entry_is_refused_leaves_the_film_as_it_was(api, stack):
    video_id = write_ready_film(stack)
    before = stack.catalog_item(video_id)

    with pytest.raises(UnavailableError, match="kept changing"):
        takedown.take_down(crashing(inside=True), "editor Anna", video_id, WHY)

    after = stack.catalog_item(video_id)
    assert after["status"] == Status.READY.value and after.get("version") == before.get("version")
    assert trail(video_id) == []
