"""Catalog reads at two sizes: 1,000 and 50,000 published films, seeded through the data layer.

For each public request, the DynamoDB calls it makes and the items they read, counted with
botocore's event hooks, side by side for both sizes; and the Scan calls (there must be none).
Runs in process on moto's `mock_aws`.

    python -m bench.catalog [SMALL LARGE]
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from typing import Any

import boto3
from chalice.test import Client
from moto import mock_aws

from chalicelib import wiring
from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from chalicelib.adapters.dynamodb_items import to_item
from chalicelib.adapters.film_items import film_item
from chalicelib.clock import now_iso
from chalicelib.domain.catalog import Listing, listing_facets, public_record
from chalicelib.domain.film import Film, FilmRendition, Status
from chalicelib.domain.metadata import Author
from chalicelib.domain.object_keys import POSTER_NAME, media_key, rendition_key
from local import chalice_config
from local.resources import ROOT, LocalResources

COUNTRIES = ["AZ", "AM", "KG", "TJ", "GE", "UA", "MD", "BY", "KZ", "UZ"]
TOPICS = ["juvenile-justice", "hiv-aids", "roma-children", "violence", "leave-no-child-out"]


def seed(catalog: DynamoDBCatalog, films: int) -> str:
    """Published films, written as the adapter shapes them (its film item, its listing entries and
    counters). Batched rather than one transaction per film: moto copies the whole table for every
    transaction, which would take hours at 50,000 films."""
    last = ""
    puts: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    for number in range(films):
        video_id = f"00000000-0000-4000-8000-{number:012d}"
        at = now_iso()
        film = Film(
            video_id=video_id,
            status=Status.PUBLISHED,
            created_at=at,
            status_changed_at=at,
            office_id="bench",
            title=f"Film {number}",
            country=COUNTRIES[number % 10],
            topics=(TOPICS[number % 5],),
            workshop=f"workshop-{number % 20}",
            published_at=at,
            author=Author("Ali", 14),
            duration_s=60.0,
            renditions=(FilmRendition("360p", rendition_key(video_id, "360p"), 640, 360),),
            poster_key=media_key(video_id, POSTER_NAME),
        )
        puts.append(to_item(film_item(film)))
        for write in catalog._listing_writes(video_id, Listing([], listing_facets(film), public_record(film))):
            if "Put" in write:
                puts.append(write["Put"]["Item"])
            else:
                counts[write["Update"]["Key"]["sk"]["S"]] += 1
        last = video_id
    client = catalog._client
    for start in range(0, len(puts), 25):
        batch = [{"PutRequest": {"Item": item}} for item in puts[start : start + 25]]
        client.batch_write_item(RequestItems={catalog.table_name: batch})
    for facet, films_in_facet in counts.items():
        client.put_item(
            TableName=catalog.table_name,
            Item={"pk": {"S": "COUNTS"}, "sk": {"S": facet}, "films": {"N": str(films_in_facet)}},
        )
    return last


def measure(films: int) -> dict[str, tuple[int, int]]:
    with mock_aws():
        os.environ.update(
            {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
        )
        os.environ.pop("AWS_ENDPOINT_URL", None)
        resources = LocalResources(boto3.session.Session(), None, "omjr-bench")
        resources.create_all()
        os.environ.update(
            {
                **chalice_config.environment("local"),
                **resources.function_environment({"MEDIA_BASE_URL": "https://media.example"}),
            }
        )
        wiring.reset()
        catalog = wiring.dependencies().catalog
        started = time.monotonic()
        last = seed(catalog, films)
        print(f"seeded {films} films in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        calls: Counter[str] = Counter()
        items: Counter[str] = Counter()
        current = [""]

        def after(event_name: str, parsed: dict[str, Any], **_: Any) -> None:
            operation = event_name.rsplit(".", 1)[-1]
            calls[current[0]] += 1
            calls["Scan"] += operation == "Scan"
            items[current[0]] += int(parsed.get("ScannedCount", 1 if parsed.get("Item") else 0))

        catalog._client.meta.events.register("after-call.dynamodb.*", after)
        from app import app

        with Client(app, stage_name="local", project_dir=str(ROOT)) as client:
            first_page = client.http.get("/videos?limit=20").json_body
            requests = {
                "GET /videos?limit=20": "/videos?limit=20",
                "GET /videos?limit=20&cursor=(page 2)": f"/videos?limit=20&cursor={first_page['next_cursor']}",
                "GET /videos?country=AZ": "/videos?country=AZ",
                "GET /videos?topic=violence": "/videos?topic=violence",
                "GET /videos?country=AZ&topic=juvenile-justice&workshop=workshop-0": (
                    "/videos?country=AZ&topic=juvenile-justice&workshop=workshop-0"
                ),
                "GET /videos?country=KG&highlight=true": "/videos?country=KG&highlight=true",
                "GET /videos/{id}": f"/videos/{last}",
                "GET /countries": "/countries",
                "GET /topics": "/topics",
                "GET /workshops/{id}": "/workshops/workshop-7",
            }
            for name, path in requests.items():
                current[0] = name
                assert client.http.get(path).status_code == 200, path
        return {name: (calls[name], items[name]) for name in requests} | {"Scan": (calls["Scan"], 0)}


def main() -> None:
    small, large = (int(n) for n in sys.argv[1:3]) if len(sys.argv) > 2 else (1_000, 50_000)
    results = {size: measure(size) for size in (small, large)}
    print(f"| request | {small:,} films: calls / items read | {large:,} films: calls / items read |")
    print("| --- | --- | --- |")
    for name in results[small]:
        row = [f"{results[size][name][0]} / {results[size][name][1]}" for size in (small, large)]
        print(f"| {name} | {row[0]} | {row[1]} |")


if __name__ == "__main__":
    main()
