"""Catalog listings, the combined form (one entry per combination of filters, before issue 25) against
one entry per filter value (today), at two sizes, seeded through the catalog adapter.

- items written per publish and per edit (what the adapter's transaction holds; independent of size);
- for each public request, the DynamoDB calls it makes and the items they read (botocore's event
  hooks), and for combined filters the whole listing followed to its end: pages, calls, items read,
  films found; the worst case is two rare values that seldom meet (country LI, 1 film in 100, and
  topic migration, 1 in 97: they meet once in 9,700 films);
- Scan calls (there must be none).
Each size and form runs in its own process on moto's `mock_aws`, the two forms of a size side by side;
the catalog is written straight into moto's table and an index Query goes through its partition only
(`moto_partitions.py`: what moto returns and counts is unchanged, its time is not).

    python -m bench.catalog [SMALL LARGE]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chalice.test import Client
from moto import mock_aws

from bench.moto_partitions import moto_table, partitioned_queries, put
from bench.moto_stack import stack_on_moto
from chalicelib import wiring
from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from chalicelib.adapters.dynamodb_items import to_item
from chalicelib.adapters.film_items import film_item
from chalicelib.clock import now_iso
from chalicelib.domain.catalog import (
    FACET_JOINER,
    Listing,
    combined_facets,
    filter_facets,
    is_counted,
    listing_facets,
    public_record,
    status_facet,
)
from chalicelib.domain.film import Film, FilmRendition, Status
from chalicelib.domain.metadata import Author
from chalicelib.domain.object_keys import POSTER_NAME, media_key, rendition_key
from local.resources import ROOT

COUNTRIES = ["AZ", "AM", "KG", "TJ", "GE", "UA", "MD", "BY", "KZ", "UZ"]
TOPICS = ["juvenile-justice", "hiv-aids", "roma-children", "violence", "leave-no-child-out"]
MORE_TOPICS = ["education", "health", "disability", "migration", "environment"]
PUBLISHED = status_facet(Status.PUBLISHED.value)
Facets = Callable[[Film], list[str]]
DESIGNS: dict[str, Facets] = {"combined": combined_facets, "per value": listing_facets}
# A dense combination (1 film in 25 meets it), and the worst cases: two rare values that seldom
# meet, two common values that never meet.
COMBINED_QUERIES = {
    "country=AZ&topic=juvenile-justice&workshop=workshop-0": {
        "country": "AZ",
        "topic": "juvenile-justice",
        "workshop": "workshop-0",
    },
    "country=KG&highlight=true (common, never meet)": {"country": "KG", "highlight": "true"},
    "country=LI&topic=migration (rare, seldom meet)": {"country": "LI", "topic": "migration"},
}


def bench_film(number: int) -> Film:
    video_id = f"00000000-0000-4000-8000-{number:012d}"
    at = now_iso()
    topics = (TOPICS[number % 5],) + (("migration",) if number % 97 == 0 else ())
    return Film(
        video_id=video_id,
        status=Status.PUBLISHED,
        created_at=at,
        status_changed_at=at,
        office_id="bench",
        title=f"Film {number}",
        country="LI" if number % 100 == 0 else COUNTRIES[number % 10],
        topics=topics,
        workshop=f"workshop-{number % 20}",
        highlighted=number % 25 == 0,
        published_at=at,
        author=Author("Ali", 14),
        duration_s=60.0,
        renditions=(FilmRendition("360p", rendition_key(video_id, "360p"), 640, 360),),
        poster_key=media_key(video_id, POSTER_NAME),
    )


def seed(catalog: DynamoDBCatalog, films: int, facets: Facets) -> str:
    """Published films, written as the adapter shapes them (its film item, its listing entries and
    counters), straight into moto's table (`moto_partitions.put`): one transaction per film would
    make moto copy the whole table for every item."""
    last = ""
    table = moto_table(catalog.table_name, catalog._client.meta.region_name)
    counts: Counter[str] = Counter()
    for number in range(films):
        film = bench_film(number)
        put(table, to_item(film_item(film)))
        listing = Listing([], [*facets(film), PUBLISHED], public_record(film))
        shared: dict[str, Any] = {}
        for write in catalog._listing_writes(film.video_id, listing):
            if "Put" in write:
                # Every entry of a film carries the same record: moto's form of it is made once.
                stored = put(table, write["Put"]["Item"], shared)
                shared = shared or {"film": stored.attrs["film"]}
            else:
                counts[write["Update"]["Key"]["sk"]["S"]] += 1
        last = film.video_id
    for facet, films_in_facet in counts.items():
        put(table, {"pk": {"S": "COUNTS"}, "sk": {"S": facet}, "films": {"N": str(films_in_facet)}})
    return last


def items_written(old: list[str], new: list[str], *, combined: bool) -> int:
    """Items of one transaction moving a film from the listings `old` to `new`: the film, each entry
    removed or (re)written, each counter changed (the combined form counted no highlights)."""
    counted = [f for f in {*old, *new} if is_counted(f) and not (combined and f == "highlight")]
    return 1 + len(set(old) - set(new)) + len(new) + sum((f in old) != (f in new) for f in counted)


def writes() -> dict[str, dict[str, int]]:
    """Items per publish and per edit, in both designs (the same at any catalog size)."""
    five = Film(
        video_id="00000000-0000-4000-8000-000000000001",
        status=Status.PUBLISHED,
        created_at="",
        status_changed_at="",
        country="AZ",
        topics=tuple(TOPICS),
        workshop="baku-2012",
        highlighted=True,
    )
    traded = Film(**{**five.__dict__, "topics": tuple(MORE_TOPICS), "workshop": "ganja-2013"})
    one = Film(**{**five.__dict__, "topics": (TOPICS[0],), "highlighted": False})
    rows: dict[str, dict[str, int]] = {}
    for name, facets in DESIGNS.items():
        combined = name == "combined"

        def listed(film: Film, facets: Facets = facets) -> list[str]:
            return [*facets(film), PUBLISHED]

        rows.setdefault("publish: 1 topic, a workshop, no highlight", {})[name] = items_written(
            [], listed(one), combined=combined
        )
        rows.setdefault("publish: 5 topics, a workshop, highlighted", {})[name] = items_written(
            [], listed(five), combined=combined
        )
        rows.setdefault("edit: trade 5 topics for 5 others and the workshop (10-topic vocabulary)", {})[name] = (
            items_written(listed(five), listed(traded), combined=combined)
        )
        rows.setdefault("edit: highlight (5 topics, a workshop)", {})[name] = items_written(
            listed(Film(**{**five.__dict__, "highlighted": False})), listed(five), combined=combined
        )
    return rows


def measure(films: int, design: str) -> dict[str, str]:
    with mock_aws(), partitioned_queries():
        stack_on_moto("omjr-bench", TOPICS=",".join([*TOPICS, *MORE_TOPICS]))
        catalog = wiring.dependencies().catalog
        started = time.monotonic()
        last = seed(catalog, films, DESIGNS[design])
        print(f"{films} {design}: seeded in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        calls: Counter[str] = Counter()
        items: Counter[str] = Counter()
        current = [""]

        def after(event_name: str, parsed: dict[str, Any], **_: Any) -> None:
            operation = event_name.rsplit(".", 1)[-1]
            calls[current[0]] += 1
            calls["Scan"] += operation == "Scan"
            read = parsed.get("ScannedCount", 1 if parsed.get("Item") else 0)
            if operation == "BatchGetItem":
                read = sum(len(found) for found in parsed.get("Responses", {}).values())
            items[current[0]] += int(read)

        catalog._client.meta.events.register("after-call.dynamodb.*", after)
        from app import app

        results: dict[str, str] = {}
        with Client(app, stage_name="local", project_dir=str(ROOT)) as client:
            first_page = client.http.get("/videos?limit=20").json_body
            requests = {
                "GET /videos?limit=20": "/videos?limit=20",
                "GET /videos?limit=20&cursor=(page 2)": f"/videos?limit=20&cursor={first_page['next_cursor']}",
                "GET /videos?country=AZ": "/videos?country=AZ",
                "GET /videos?topic=violence": "/videos?topic=violence",
                "GET /videos/{id}": f"/videos/{last}",
                "GET /countries": "/countries",
                "GET /topics": "/topics",
                "GET /workshops/{id}": "/workshops/workshop-7",
            }
            for name, path in requests.items():
                current[0] = name
                assert client.http.get(path).status_code == 200, path
                results[name] = f"{calls[name]} / {items[name]}"
            for name, filters in COMBINED_QUERIES.items():
                print(f"{films} {design}: {name} at {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
                results[f"{name}: first page"], results[f"{name}: to the end"] = combined_query(
                    client, catalog, design, filters, name, calls=calls, items=items, current=current
                )
        results["Scan calls, all requests"] = str(calls["Scan"])
        return results


def combined_query(
    client: Client,
    catalog: DynamoDBCatalog,
    design: str,
    filters: dict[str, str],
    name: str,
    *,
    calls: Counter[str],
    items: Counter[str],
    current: list[str],
) -> tuple[str, str]:
    """A combined filter's first page, and the whole listing to its end: `calls / items read`, and
    `pages, calls / items read, films`. The combined form reads its own listing (the adapter's
    single-listing read, which is what that release's request made); today's design, the public API."""

    def read(cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        if design == "combined":
            return catalog.list_published(FACET_JOINER.join(filter_facets(filters)), 20, cursor)
        query = "&".join(f"{k}={v}" for k, v in filters.items()) + (f"&cursor={cursor}" if cursor else "")
        page = client.http.get(f"/videos?{query}").json_body
        return page["items"], page["next_cursor"]

    current[0] = f"{name}: first page"
    read(None)
    first = f"{calls[current[0]]} / {items[current[0]]}"
    current[0] = f"{name}: to the end"
    cursor: str | None = None
    pages = found = 0
    while True:
        records, cursor = read(cursor)
        pages, found = pages + 1, found + len(records)
        if not cursor:
            return first, f"{pages} pages, {calls[current[0]]} / {items[current[0]]}, {found} films"


def measure_apart(films: int, design: str, into: Path) -> subprocess.Popen[bytes]:
    """`measure` in a process of its own (a fresh moto, and the two forms of a size side by side),
    its figures written as JSON into `into`; the handlers log only warnings, to stderr."""
    command = [sys.executable, "-m", "bench.catalog", "--one", str(films), design, str(into)]
    return subprocess.Popen(command, stdout=sys.stderr, env={**os.environ, "POWERTOOLS_LOG_LEVEL": "WARNING"})


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        Path(sys.argv[4]).write_text(json.dumps(measure(int(sys.argv[2]), sys.argv[3])))
        return
    small, large = (int(n) for n in sys.argv[1:3]) if len(sys.argv) > 2 else (1_000, 50_000)
    print("| change | combined form: items written | one entry per value: items written |")
    print("| --- | --- | --- |")
    for name, written in writes().items():
        print(f"| {name} | {written['combined']} | {written['per value']} |")
    print()
    results: dict[tuple[int, str], dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in (small, large):
            running = {
                design: (measure_apart(size, design, Path(folder) / design), Path(folder) / design)
                for design in DESIGNS
            }
            for design, (process, into) in running.items():
                if process.wait():
                    raise SystemExit(f"{size} films, {design}: the measurement failed ({process.returncode})")
                results[(size, design)] = json.loads(into.read_text())
    head = " | ".join(f"{size:,} films, {design}" for size in (small, large) for design in DESIGNS)
    print(f"| request (calls / items read) | {head} |", flush=True)
    print("| --- |" + " --- |" * 4)
    for name in results[(small, "per value")]:
        row = " | ".join(results[(size, design)][name] for size in (small, large) for design in DESIGNS)
        print(f"| {name} | {row} |")


if __name__ == "__main__":
    main()
