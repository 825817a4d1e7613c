"""DynamoDB: films, their conditional status changes, the public listings and their counters.

A film's item and indexes are described in `film_items.py`. Publishing adds one listing entry per
filter value (`sk=LIST#{facet}`: all, its country, each topic, its workshop, the highlights) carrying
the film's public record; index `gsi1` serves every listing newest first with a Query, and a combined
filter reads its most selective value's listing, testing the others on the record. Counters of
published films per country, topic, workshop and highlight live under `pk=COUNTS` and change in the
same transactions as the listings.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.dynamodb_audit import audit_item
from chalicelib.adapters.dynamodb_batch import batch_get
from chalicelib.adapters.dynamodb_items import Update, conditionally_updated, from_item, is_condition_failure, to_item
from chalicelib.adapters.film_items import (
    DUE_FIELDS,
    DUE_INDEX,
    DUE_KEYS,
    MEDIA_DUE_PK,
    OFFICE_INDEX,
    SOURCE_DUE_PK,
    STATUS_INDEX,
    TAKEDOWN_UNFINISHED_PK,
    TOMBSTONE_REMOVES,
    check_field_names,
    film_item,
    film_key,
    film_of,
    film_pk,
    media_due_item,
    media_due_key,
    media_due_of,
    office_pk,
    source_due_keys,
    status_keys,
    takedown_unfinished_keys,
    video_id_of,
)
from chalicelib.adapters.listing_cursor import LISTING_INDEX, ListingCursors, listing_pk
from chalicelib.domain.catalog import (
    FILTERS,
    Listing,
    counted_already,
    filter_facets,
    is_counted,
    left_to_test,
    most_selective,
)
from chalicelib.domain.change import Change
from chalicelib.domain.errors import InvalidRequestError, StaleTransitionError
from chalicelib.domain.film import Film, HistoryStep, Status, allowed_sources, is_video_id
from chalicelib.domain.fingerprint import Duplicate, Fingerprint

COUNTS_PK = "COUNTS"
# DynamoDB's limit on the items of one transaction. No change of a film reaches it: a film stands in one
# listing per filter value (at most 5 + MAX_TOPICS), so the worst edit writes 34 items (its audit entry
# included) whatever the vocabulary holds, 72 for a film `ops relist` has not reached yet
# (tests/unit/test_listing_transaction_size.py).
TRANSACTION_MAX_ITEMS = 100


class DynamoDBFilms:
    """Receives a boto3 DynamoDB client and the table name; never creates a client. Listings that page
    take `cursors` (made with the stack's signing key); a catalog made without them (a tool that never
    pages) refuses to page."""

    # The most listing entries one page of a combined filter reads: its cost stays bounded however
    # seldom the filters meet (the page then holds fewer films, and a cursor to go on).
    page_read = 100

    def __init__(self, client: Any, table_name: str, cursors: ListingCursors | None = None) -> None:
        self._client = client
        self.table_name = table_name
        self._cursors = cursors

    def create_film(self, film: Film) -> None:
        self._client.put_item(
            TableName=self.table_name, Item=to_item(film_item(film)), ConditionExpression="attribute_not_exists(pk)"
        )

    def get_film(self, video_id: str) -> Film | None:
        """The film, or None, also for an id the server could never have chosen (no read is made)."""
        if not is_video_id(video_id):
            return None
        response = self._client.get_item(
            TableName=self.table_name, Key=to_item(film_key(video_id)), ConsistentRead=True
        )
        return film_of(from_item(response["Item"])) if "Item" in response else None

    def get_films(self, video_ids: Iterable[str]) -> list[Film]:
        """The films of those ids that exist, in the order given, each once: BatchGetItem, one call per 100
        films (a page of the review queue is one), read as consistently as `get_film`."""
        wanted = [video_id for video_id in dict.fromkeys(video_ids) if is_video_id(video_id)]
        items = batch_get(self._client, self.table_name, [to_item(film_key(video_id)) for video_id in wanted])
        found = {film.video_id: film for film in (film_of(from_item(item)) for item in items)}
        return [found[video_id] for video_id in wanted if video_id in found]

    def apply(self, change: Change) -> None:
        """One transaction: a lifecycle command's change (domain/lifecycle.py). The film moves to the change's
        target (or is edited within its status) if it is still in one of the statuses expected, and at the
        version read when the change checks it; its listing entries and counts follow it; its audit entry is
        written with it. A crash leaves all of them or none. StaleTransitionError when the film moved on."""
        video_id, target = change.video_id, change.target
        set_fields, removed = change.set_fields(), change.remove_fields()
        if target is not None:
            update = self._transition(video_id, target, change.at, set_fields, removed, expect=change.expect)
        else:
            update = self._edit(video_id, change.expect, set_fields, removed)
        if change.checks_version:
            update.require_version("version", change.before.version)
        writes: list[dict[str, Any]] = [{"Update": update.build()}]
        if change.listed is not None:
            listed = change.listed
            listing = Listing(self.listed_facets(video_id), list(listed.facets), listed.record, listed.sort_at)
            writes += self._listing_writes(video_id, listing)
        if change.audit is not None:
            entry = audit_item(video_id, change.at, change.audit.as_record())
            writes.append({"Put": {"TableName": self.table_name, "Item": to_item(entry)}})
        self._transact(video_id, target, writes)

    def _transact(self, video_id: str, target: Status | None, writes: list[dict[str, Any]]) -> None:
        try:
            self._client.transact_write_items(TransactItems=writes)
        except ClientError as error:
            if is_condition_failure(error, "TransactionCanceledException"):
                wanted = f"move to {target.value}" if target else "be changed"
                raise StaleTransitionError(f"film {video_id} cannot {wanted} from where it is.") from None
            raise

    def touch(self, video_id: str, status: Status, at: str, set_fields: Mapping[str, Any]) -> None:
        """Update a film that must still be in `status`, restarting its clock in that status."""
        check_field_names(set_fields)
        update = Update(self.table_name, film_key(video_id))
        update.set({**set_fields, "status_changed_at": at, **status_keys(status, at)})
        update.require_one_of("status", [status.value])
        try:
            self._client.update_item(**update.build())
        except ClientError as error:
            if is_condition_failure(error):
                raise StaleTransitionError(f"film {video_id} is no longer {status.value}.") from None
            raise

    # Reading films by status and by office --------------------------------------------------

    def list_by_status(self, status: Status, changed_before: str, limit: int) -> list[str]:
        """Ids of films in `status` since before `changed_before`, oldest first (the status index)."""
        response = self._client.query(**self._in_status(status, "<", changed_before), Limit=limit)
        return [video_id_of(from_item(item)) for item in response.get("Items", [])]

    def every_in_status(self, status: Status, changed_before: str = "9999") -> Iterator[str]:
        """Ids of all films in `status` since before `changed_before`, oldest first, read page by page
        as the caller goes on (the sweep, operators' repairs; never a request's path)."""
        yield from self._every_id(self._in_status(status, "<", changed_before))

    def every_in_status_since(self, status: Status, changed_after: str) -> Iterator[str]:
        """Ids of all films in `status` since after `changed_after`, the latest first, read page by page as the
        caller goes on (the sweep; never a request's path). No cursor leaves this process, so none is signed:
        the sweep's role cannot read the signing key, and needs none."""
        yield from self._every_id({**self._in_status(status, ">", changed_after), "ScanIndexForward": False})

    def _every_id(self, query: dict[str, Any]) -> Iterator[str]:
        for page in self._client.get_paginator("query").paginate(**query):
            yield from (video_id_of(from_item(item)) for item in page.get("Items", []))

    def page_in_status(self, status: Status, limit: int, cursor: str | None) -> tuple[list[str], str | None]:
        """Ids of films in `status`, the latest to enter it first, and an opaque cursor to the next page (or
        None): the editors' Needs attention list. A cursor is refused unless this status's listing returned it."""
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": STATUS_INDEX,
            "KeyConditionExpression": "gsi3pk = :status",
            "ExpressionAttributeValues": to_item({":status": status.value}),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor:
            query["ExclusiveStartKey"] = to_item(self._paging().decode_status(cursor, status.value))
        response = self._client.query(**query)
        last = response.get("LastEvaluatedKey")
        ids = [video_id_of(from_item(item)) for item in response.get("Items", [])]
        return ids, (self._paging().encode(from_item(last)) if last else None)

    def sources_due(self, before: str) -> Iterator[str]:
        """Ids of films whose source is due for deletion before `before`, earliest first (the sparse
        source index: a film leaves it when `source_delete_after` is removed)."""
        yield from self._due_ids(SOURCE_DUE_PK, before)

    def unfinished_takedowns(self, before: str) -> Iterator[str]:
        """Ids of tombstones whose takedown began before `before` and left something behind, oldest first
        (the same sparse index: a tombstone leaves it when `takedown_unfinished_since` is removed)."""
        yield from self._due_ids(TAKEDOWN_UNFINISHED_PK, before)

    def mark_media_due(self, video_id: str, at: str) -> str:
        """Marks that the film's media are to be brought in line with its status (before a commit that may
        change what is public; cleared once the tags follow it). Each request has a mark of its own:
        clearing it never clears another's that is still needed."""
        mark = uuid.uuid4().hex
        self._client.put_item(TableName=self.table_name, Item=to_item(media_due_item(video_id, mark, at)))
        return mark

    def clear_media_due(self, video_id: str, mark: str) -> None:
        self._client.delete_item(TableName=self.table_name, Key=to_item(media_due_key(video_id, mark)))

    def media_due(self, before: str) -> Iterator[tuple[str, str]]:
        """(film, mark) of each mark made before `before` whose film's media are still to follow its
        status, oldest first."""
        for page in self._client.get_paginator("query").paginate(**self._due(MEDIA_DUE_PK, before)):
            yield from (media_due_of(from_item(item)) for item in page.get("Items", []))

    def _due_ids(self, kind: str, before: str) -> Iterator[str]:
        for page in self._client.get_paginator("query").paginate(**self._due(kind, before)):
            yield from (video_id_of(from_item(item)) for item in page.get("Items", []))

    def _due(self, kind: str, before: str) -> dict[str, Any]:
        return {
            "TableName": self.table_name,
            "IndexName": DUE_INDEX,
            "KeyConditionExpression": "gsi4pk = :due AND gsi4sk <= :before",
            "ExpressionAttributeValues": to_item({":due": kind, ":before": before}),
        }

    def count_by_status(self, status: Status) -> int:
        """How many films are in `status` (an index Query with Select=COUNT, for operators)."""
        total, start = 0, None
        while True:
            query: dict[str, Any] = {
                "TableName": self.table_name,
                "IndexName": STATUS_INDEX,
                "Select": "COUNT",
                "KeyConditionExpression": "gsi3pk = :status",
                "ExpressionAttributeValues": to_item({":status": status.value}),
            }
            if start:
                query["ExclusiveStartKey"] = start
            response = self._client.query(**query)
            total += int(response["Count"])
            start = response.get("LastEvaluatedKey")
            if not start:
                return total

    def list_office_films(self, office_id: str, limit: int, cursor: str | None = None) -> tuple[list[Film], str | None]:
        """An office's films, newest first, and an opaque cursor to the next page (or None). A cursor
        is refused unless this office's listing returned it: it cannot open another office's."""
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": OFFICE_INDEX,
            "KeyConditionExpression": "gsi2pk = :office",
            "ExpressionAttributeValues": to_item({":office": office_pk(office_id)}),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor:
            query["ExclusiveStartKey"] = to_item(self._paging().decode_office(cursor, office_pk(office_id)))
        response = self._client.query(**query)
        last = response.get("LastEvaluatedKey")
        films = [film_of(from_item(item)) for item in response.get("Items", [])]
        return films, (self._paging().encode(from_item(last)) if last else None)

    # Duplicates (services/duplicates.py) ------------------------------------------------------

    def fingerprints_near(self, office_id: str, workshop: str | None) -> list[tuple[str, Fingerprint]]:
        """The fingerprints of the office's films (its index, every status) and of the workshop's published
        films (their listing, whichever office sent them), each film once: Queries, never a Scan."""
        found: dict[str, Fingerprint] = {}
        office = {"IndexName": OFFICE_INDEX, "KeyConditionExpression": "gsi2pk = :key"}
        for item in self._query_all(office, office_pk(office_id), "pk, fingerprint"):
            if "fingerprint" in item:
                found[video_id_of(item)] = Fingerprint.of(item["fingerprint"])
        if workshop:
            listing = {"IndexName": LISTING_INDEX, "KeyConditionExpression": "gsi1pk = :key"}
            (facet,) = filter_facets({"workshop": workshop})
            ids = [video_id_of(item) for item in self._query_all(listing, listing_pk(facet), "pk")]
            for film in self.get_films(video_id for video_id in ids if video_id not in found):
                if film.fingerprint is not None:
                    found[film.video_id] = film.fingerprint
        return list(found.items())

    def add_duplicates(self, video_id: str, duplicates: Iterable[Duplicate]) -> bool:
        """The duplicates put into the film's set (each side of a match records the other); False when the
        film is gone or a tombstone, which keeps nothing of the kind."""
        update = Update(self.table_name, film_key(video_id))
        update.add("duplicates", frozenset(duplicate.stored() for duplicate in duplicates))
        update.require_one_of("status", [status.value for status in Status if status is not Status.DELETED])
        return conditionally_updated(self._client, update)

    def _query_all(self, index: Mapping[str, str], key: str, projection: str) -> Iterator[dict[str, Any]]:
        query: dict[str, Any] = {
            "TableName": self.table_name,
            **index,
            "ExpressionAttributeValues": to_item({":key": key}),
            "ProjectionExpression": projection,
        }
        while True:
            response = self._client.query(**query)
            yield from (from_item(item) for item in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    # Listings and counters ------------------------------------------------------------------

    def listed_facets(self, video_id: str) -> list[str]:
        """The listings a film's entries actually stand in (what a takedown must remove)."""
        response = self._client.query(
            TableName=self.table_name,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :list)",
            ExpressionAttributeValues=to_item({":pk": film_pk(video_id), ":list": "LIST#"}),
            ProjectionExpression="sk",
        )
        return [from_item(item)["sk"].removeprefix("LIST#") for item in response.get("Items", [])]

    def list_published(
        self, facet: str, limit: int, cursor: str | None, containing: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Records in `facet`, newest first, and the cursor of the next page (or None). With
        `containing`, only entries whose search text contains it (among the `limit` entries read).
        A cursor that this listing did not return is refused (InvalidRequestError)."""
        test = _Test()
        if containing:
            test.add("contains({}, {})", "search", containing)
        start = self._paging().decode(cursor, facet) if cursor else None
        return self._paged(self._read_listing(facet, test, limit, limit, start))

    def latest_published(self, facet: str, limit: int) -> list[dict[str, Any]]:
        """The first `limit` records in `facet`, newest first, and no cursor: for the pipeline's own reading (a
        workshop's share page, its story), whose roles cannot read the cursors' signing key and need none."""
        records, _ = self._read_listing(facet, _Test(), limit, limit, None)
        return records

    def list_matching(
        self, filters: Mapping[str, str], limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Published records matching every filter (country, topic, workshop, highlight), newest first,
        and the cursor of the next page (or None). The most selective filter's listing is read, the
        others tested on each entry, at most `page_read` entries per page: a page may hold fewer than
        `limit` records (none, even) while a cursor says more may follow. A cursor continues the
        listing it was read from, and is refused unless that is one of these filters' listings."""
        facets = filter_facets(filters)
        if cursor:
            facet, start = _continued(self._paging(), cursor, facets)
        else:
            facet, start = (most_selective(facets, self._counts(facets)) if len(facets) > 1 else facets[0]), None
        test = _Test()
        for name, value in left_to_test(filters, facet).items():
            field_name = FILTERS[name]
            if name == "topic":
                test.add("contains({}, {})", field_name, value)
            else:
                test.add("{} = {}", field_name, True if name == "highlight" else value)
        budget = max(limit, self.page_read) if test.parts else limit
        return self._paged(self._read_listing(facet, test, limit, budget, start))

    def _paged(
        self, read: tuple[list[dict[str, Any]], dict[str, Any] | None]
    ) -> tuple[list[dict[str, Any]], str | None]:
        """A listing's records and where its next page starts, that place as a signed cursor."""
        records, start = read
        return records, (self._paging().encode(start) if start else None)

    def _read_listing(
        self, facet: str, test: _Test, limit: int, budget: int, start: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """Up to `limit` entries of `facet` that pass `test`, reading at most `budget` entries, from
        `start`; and where the next page starts (None at the listing's end)."""
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": LISTING_INDEX,
            "KeyConditionExpression": "gsi1pk = :facet",
            "ExpressionAttributeValues": to_item({":facet": listing_pk(facet), **test.values}),
            "ScanIndexForward": False,
        }
        if test.parts:
            query["FilterExpression"] = " AND ".join(test.parts)
            query["ExpressionAttributeNames"] = test.names
        found: list[dict[str, Any]] = []
        read, ask = 0, limit
        while True:
            if start:
                query["ExclusiveStartKey"] = to_item(start)
            # DynamoDB's Limit counts entries read, not matches: ask first for a page's worth, then for
            # what the matches so far say is missing (the rest of the budget when none matched yet).
            response = self._client.query(**query, Limit=min(ask, budget - read))
            read += int(response["ScannedCount"])
            last = response.get("LastEvaluatedKey")
            for number, item in enumerate(response.get("Items", []), 1):
                found.append(item)
                if len(found) == limit:
                    # Full: the next page starts after this entry, unless it was the listing's last.
                    ended = number == len(response["Items"]) and not last
                    return _records(found), (None if ended else _entry_key(item))
            start = from_item(last) if last else None
            ask = math.ceil((limit - len(found)) * read / len(found)) + 1 if found else budget
            if start is None or read >= budget:
                return _records(found), start

    def list_counts(self, kind: str) -> dict[str, int]:
        """Published films per country, topic or workshop: counters kept as films are (un)published."""
        response = self._client.query(
            TableName=self.table_name,
            KeyConditionExpression="pk = :counts AND begins_with(sk, :kind)",
            ExpressionAttributeValues=to_item({":counts": COUNTS_PK, ":kind": f"{kind}#"}),
        )
        counts = (from_item(item) for item in response.get("Items", []))
        return {item["sk"].split("#", 1)[1]: int(item["films"]) for item in counts if int(item["films"]) > 0}

    def _counts(self, facets: list[str]) -> dict[str, int]:
        """The counters of these listings, in one call (a listing without a counter holds no film)."""
        keys = [to_item({"pk": COUNTS_PK, "sk": facet}) for facet in facets if is_counted(facet)]
        if not keys:
            return {}
        response = self._client.batch_get_item(RequestItems={self.table_name: {"Keys": keys}})
        items = (from_item(item) for item in response["Responses"].get(self.table_name, []))
        # A counter left unprocessed (throttled) reads as 0: that listing is read, still every match found.
        return {item["sk"]: int(item["films"]) for item in items}

    def count_of(self, facet: str) -> int:
        response = self._client.get_item(TableName=self.table_name, Key=to_item({"pk": COUNTS_PK, "sk": facet}))
        return int(from_item(response["Item"])["films"]) if "Item" in response else 0

    # Helpers --------------------------------------------------------------------------------

    def _paging(self) -> ListingCursors:
        if self._cursors is None:
            raise RuntimeError("this catalog was made without the cursor signing key: it cannot page a listing")
        return self._cursors

    def _transition(
        self,
        video_id: str,
        target: Status,
        at: str,
        set_fields: Mapping[str, Any],
        remove_fields: Iterable[str],
        *,
        expect: frozenset[Status] | None = None,
    ) -> Update:
        sources = allowed_sources(target) & (expect or allowed_sources(target))
        if not sources:
            raise ValueError(f"no film may move to {target.value} from {sorted(expect or ())}")
        # A takedown leaves a tombstone, whatever the caller knew of the film's fields.
        removals = TOMBSTONE_REMOVES if target is Status.DELETED else tuple(remove_fields)
        check_field_names([*set_fields, *(() if target is Status.DELETED else removals)])
        update = Update(self.table_name, film_key(video_id))
        moved = {"status": target.value, "status_changed_at": at, **status_keys(target, at)}
        written = {**set_fields, **_index_keys(set_fields), **moved}
        update.set(written)
        # The film's journey, one entry per transition: what ops and the tests read to see that
        # no state was entered twice.
        update.append("history", [HistoryStep(target, at)])
        # A tombstone may stand in the due index anew (an unfinished takedown) while its source's place goes.
        update.remove(tuple(name for name in _with_index_keys(removals) if name not in written))
        return update.require_one_of("status", [status.value for status in sources])

    def _edit(
        self, video_id: str, expect: frozenset[Status], set_fields: Mapping[str, Any], remove_fields: Iterable[str]
    ) -> Update:
        removals = list(remove_fields)
        check_field_names([*set_fields, *removals])
        update = Update(self.table_name, film_key(video_id)).set({**set_fields, **_index_keys(set_fields)})
        update.remove(_with_index_keys(removals))
        return update.require_one_of("status", [status.value for status in expect])

    def _listing_writes(self, video_id: str, listing: Listing) -> list[dict[str, Any]]:
        writes: list[dict[str, Any]] = []
        counted = counted_already(listing.old_facets)
        for facet in listing.old_facets:
            if facet not in listing.new_facets:
                key = {"pk": film_pk(video_id), "sk": listing_pk(facet)}
                writes.append({"Delete": {"TableName": self.table_name, "Key": to_item(key)}})
                writes += self._count(facet, -1) if facet in counted else []
        sort_at = listing.sort_at or listing.record.get("published_at")
        for facet in listing.new_facets:
            entry = {
                "pk": film_pk(video_id),
                "sk": listing_pk(facet),
                "gsi1pk": listing_pk(facet),
                "gsi1sk": f"{sort_at}#{video_id}",
                "film": dict(listing.record),
            }
            writes.append({"Put": {"TableName": self.table_name, "Item": to_item(entry)}})
            if facet not in counted:
                writes += self._count(facet, +1)
        return writes

    def _count(self, facet: str, delta: int) -> list[dict[str, Any]]:
        if not is_counted(facet):
            return []
        return [{"Update": Update(self.table_name, {"pk": COUNTS_PK, "sk": facet}).add("films", delta).build()}]

    def _in_status(self, status: Status, comparison: str, moment: str) -> dict[str, Any]:
        """The status index's query for films in `status` whose status changed before ("<") or after (">")
        `moment`."""
        return {
            "TableName": self.table_name,
            "IndexName": STATUS_INDEX,
            "KeyConditionExpression": f"gsi3pk = :status AND gsi3sk {comparison} :moment",
            "ExpressionAttributeValues": to_item({":status": status.value, ":moment": moment}),
        }


class _Test:
    """A FilterExpression on an entry's record, built part by part, each part with its own placeholders."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def add(self, template: str, field_name: str, value: Any) -> None:
        number = len(self.parts)
        self.names |= {"#film": "film", f"#field{number}": field_name}
        self.values[f":value{number}"] = value
        self.parts.append(template.format(f"#film.#field{number}", f":value{number}"))


def _continued(cursors: ListingCursors, cursor: str, facets: list[str]) -> tuple[str, dict[str, Any]]:
    """The listing a cursor was read from, among these filters' listings, and its position there."""
    for facet in facets:
        try:
            return facet, cursors.decode(cursor, facet)
        except InvalidRequestError:
            continue
    raise InvalidRequestError("cursor is not one this listing returned; start again without it.", "invalid_cursor")


def _entry_key(item: Mapping[str, Any]) -> dict[str, Any]:
    """A listing entry's position in the listing index: what a cursor continues after."""
    entry = from_item(dict(item))
    return {name: entry[name] for name in ("pk", "sk", "gsi1pk", "gsi1sk")}


def _records(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [from_item(item)["film"] for item in items]


def _index_keys(set_fields: Mapping[str, Any]) -> dict[str, str]:
    """The sparse index entries that follow a film's fields: a source due for deletion, or a takedown
    that left something behind, is findable."""
    if set_fields.get("takedown_unfinished_since"):
        return takedown_unfinished_keys(set_fields["takedown_unfinished_since"])
    due = set_fields.get("source_delete_after")
    return source_due_keys(due) if due else {}


def _with_index_keys(removals: Iterable[str]) -> tuple[str, ...]:
    """Removing `source_delete_after` or `takedown_unfinished_since` takes the film out of the index with it."""
    names = tuple(removals)
    if not any(name in names for name in DUE_FIELDS):
        return names
    return (*names, *(key for key in DUE_KEYS if key not in names))
