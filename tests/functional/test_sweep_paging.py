"""The sweep reads what it needs with no signing key: its role cannot read the listing cursors' secret
(infra/resources.yaml). A signed cursor stopped every run once a status held more films than a page (its heartbeat
alarm then fires), and left the share page of any workshop with more than two published films unwritten."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib import wiring
from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from chalicelib.adapters.listing_cursor import ListingCursors
from chalicelib.clock import now_iso
from chalicelib.domain.film import Status
from chalicelib.domain.protection import Protection
from chalicelib.services import recovery, share_pages
from chalicelib.services.protection_catch_up import catch_up_ready_films
from tests.functional.conftest import publish
from tests.functional.factories import ready_film, write_ready_film
from tests.functional.test_share_pages import WORKSHOP_PAGE, read_key

MORE_THAN_A_PAGE = recovery.SWEEP_BATCH + 1


def no_signing_key() -> bytes:
    raise PermissionError("AccessDenied: the sweep's role may not read the cursors' signing key")


def without_signing_key(deps: Any, stack: Any) -> Any:
    """`deps` as the sweep's role has them: a catalog that cannot sign a cursor."""
    cursors = ListingCursors(no_signing_key)
    return replace(deps, catalog=DynamoDBCatalog(stack.client("dynamodb"), stack.name("CatalogTable"), cursors))


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
    sweep = without_signing_key(deps, stack)
    later = datetime.now(UTC) + timedelta(minutes=10)

    assert recovery.sweep(sweep, deps.settings.sweep, now=later) == {"expire": 0, "requeue": 0, "fail": 0}
    assert recovery.retry_transient_failures(sweep, deps.settings.sweep, now=later) == 0
    assert catch_up_ready_films(sweep, deps.settings.sweep, later) == 1

    found = deps.catalog.get_film(asking)
    assert found is not None and found.status is Status.PROTECTING


def test_the_sweep_writes_the_share_page_of_a_workshop_with_more_films_than_it_reads(api, stack):
    published = [write_ready_film(stack) for _ in range(share_pages.FILMS_READ + 1)]
    for video_id in published:
        assert publish(api, stack, video_id).status_code == 200
    stack.client("s3").delete_object(Bucket=stack.name("MediaBucket"), Key=WORKSHOP_PAGE)  # a rewrite that failed

    assert share_pages.finish_workshop_pages(without_signing_key(wiring.dependencies(), stack))["written"] == 1
    head, _, _ = read_key(stack, WORKSHOP_PAGE)
    assert head.meta["og:title"] == "Films from the Baku 2012 workshop"
