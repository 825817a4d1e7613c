"""The sweep reads past a page of films of one status with no signing key: its role cannot read the listing
cursors' secret (infra/resources.yaml), so a signed cursor would stop every run once a status holds more films
than a page (its heartbeat alarm then fires)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from chalicelib import wiring
from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from chalicelib.adapters.listing_cursor import ListingCursors
from chalicelib.clock import now_iso
from chalicelib.domain.film import Status
from chalicelib.domain.protection import Protection
from chalicelib.services import recovery
from tests.functional.factories import ready_film

MORE_THAN_A_PAGE = recovery.SWEEP_BATCH + 1


def no_signing_key() -> bytes:
    raise PermissionError("AccessDenied: the sweep's role may not read the cursors' signing key")


def test_the_sweep_catches_up_and_retries_among_more_than_a_page_of_films_without_the_signing_key(stack):
    deps = wiring.dependencies()
    at = now_iso()
    for _ in range(MORE_THAN_A_PAGE):
        deps.catalog.create_film(ready_film(str(uuid.uuid4()), at))
        timed_out = replace(ready_film(str(uuid.uuid4()), at), status=Status.FAILED, reason_code="processing_timeout")
        deps.catalog.create_film(timed_out)
    # The first READY film listed (the latest): its office asked for faces that its outputs lack.
    asking = str(uuid.uuid4())
    deps.catalog.create_film(replace(ready_film(asking, now_iso()), protect_identity=Protection(faces=True)))
    sweep = replace(
        deps,
        catalog=DynamoDBCatalog(stack.client("dynamodb"), stack.name("CatalogTable"), ListingCursors(no_signing_key)),
    )
    later = datetime.now(UTC) + timedelta(minutes=10)

    assert recovery.sweep(sweep, deps.settings.sweep, now=later)["protection_caught_up"] == 1
    assert recovery.retry_transient_failures(sweep, deps.settings.sweep, now=later) == 0

    found = deps.catalog.get_film(asking)
    assert found is not None and found.status is Status.PROTECTING
