"""Catalogs of many published films for listing tests, written as the catalog adapter shapes them (each
film's item, its listing entries, the counters summed) in batches: a transaction per film would make
moto copy the whole table for each of its items."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from chalicelib.adapters.dynamodb_items import to_item
from chalicelib.adapters.film_items import film_item
from chalicelib.domain.catalog import Listing
from chalicelib.domain.film import Film

BATCH = 25  # DynamoDB's most items per BatchWriteItem


def seed_catalog(
    catalog: DynamoDBCatalog, listed: Iterable[tuple[Film, Listing]], *, uncounted: frozenset[str] = frozenset()
) -> None:
    """Each film with its listing (old facets empty); `uncounted` names counters left out (the combined
    form kept none for the highlights)."""
    puts: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    for film, listing in listed:
        puts.append(to_item(film_item(film)))
        for write in catalog._listing_writes(film.video_id, listing):
            if "Put" in write:
                puts.append(write["Put"]["Item"])
            elif write["Update"]["Key"]["sk"]["S"] not in uncounted:
                counts[write["Update"]["Key"]["sk"]["S"]] += 1
    puts += [{"pk": {"S": "COUNTS"}, "sk": {"S": facet}, "films": {"N": str(n)}} for facet, n in counts.items()]
    for start in range(0, len(puts), BATCH):
        batch = [{"PutRequest": {"Item": item}} for item in puts[start : start + BATCH]]
        catalog._client.batch_write_item(RequestItems={catalog.table_name: batch})
