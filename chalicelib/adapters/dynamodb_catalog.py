"""DynamoDB: the catalog of films, their conditional status changes, listings and API keys.

One table. A film is `pk=FILM#{id}, sk=FILM`. Publishing adds one listing entry per facet
(`sk=LIST#{facet}`) carrying the film's public record; index `gsi1` serves every public listing
newest first with a Query. Index `gsi2` lists an office's uploads, `gsi3` films by status.
Counters of published films per country, topic and workshop live under `pk=COUNTS` and change in
the same transactions as the listings; an editor's actions under `pk=AUDIT#{id}`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from chalicelib.domain.catalog import is_counted
from chalicelib.domain.errors import ConflictError, StaleTransitionError
from chalicelib.domain.film import Status, allowed_sources, is_video_id

FILM_SK = "FILM"
COUNTS_PK = "COUNTS"
KEY_SK = "KEY"
LISTING_INDEX = "gsi1"
OFFICE_INDEX = "gsi2"
STATUS_INDEX = "gsi3"
STORY_SK = "STORY"
# DynamoDB's limit on the items of one transaction.
TRANSACTION_MAX_ITEMS = 100

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


@dataclass(frozen=True)
class Listing:
    """Where a film is listed before and after a change, the record the new entries carry, and the
    time they are sorted by (newest first; the record's `published_at` unless given)."""

    old_facets: list[str] = field(default_factory=list)
    new_facets: list[str] = field(default_factory=list)
    record: Mapping[str, Any] = field(default_factory=dict)
    sort_at: str | None = None


def film_pk(video_id: str) -> str:
    return f"FILM#{video_id}"


def film_item(film: Mapping[str, Any]) -> dict[str, Any]:
    """A film as the table stores it, with the keys of the indexes it belongs to."""
    item = {
        **film,
        "pk": film_pk(film["video_id"]),
        "sk": FILM_SK,
        "gsi2pk": f"OFFICE#{film['office_id']}",
        "gsi2sk": film["created_at"],
        "gsi3pk": film["status"],
        "gsi3sk": film["status_changed_at"],
        "history": [{"status": film["status"], "at": film["status_changed_at"]}],
    }
    return _to_item(item)


class DynamoDBCatalog:
    """Receives a boto3 DynamoDB client and the table name; never creates a client."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self.table_name = table_name

    # Films -----------------------------------------------------------------------------------

    def create_film(self, film: Mapping[str, Any]) -> None:
        self._client.put_item(
            TableName=self.table_name, Item=film_item(film), ConditionExpression="attribute_not_exists(pk)"
        )

    def get_film(self, video_id: str) -> dict[str, Any] | None:
        """The film, or None, also for an id the server could never have chosen (no read is made)."""
        if not is_video_id(video_id):
            return None
        response = self._client.get_item(
            TableName=self.table_name, Key=_to_item({"pk": film_pk(video_id), "sk": FILM_SK}), ConsistentRead=True
        )
        return _from_item(response["Item"]) if "Item" in response else None

    def transition(
        self,
        video_id: str,
        target: Status,
        at: str,
        set_fields: Mapping[str, Any] | None = None,
        remove_fields: Iterable[str] = (),
        *,
        expect: frozenset[Status] | None = None,
    ) -> dict[str, Any]:
        """Move a film to `target` if, and only if, its current status allows it (and is one of `expect`,
        when given: the status the caller read); return the new film."""
        update = self._transition_update(video_id, target, at, set_fields or {}, remove_fields, expect=expect)
        try:
            response = self._client.update_item(**update, ReturnValues="ALL_NEW")
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise StaleTransitionError(f"film {video_id} cannot move to {target.value} from where it is.") from None
            raise
        return _from_item(response["Attributes"])

    def change(
        self,
        video_id: str,
        at: str,
        *,
        target: Status | None = None,
        expect: frozenset[Status] = frozenset(),
        set_fields: Mapping[str, Any] | None = None,
        remove_fields: Iterable[str] = (),
        listing: Listing | None = None,
        version: int | None = None,
    ) -> None:
        """One transaction: the film moves to `target` (or, without one, is edited while in `expect`),
        and its listing entries and counts follow it from the old facets to the new ones.

        With `version`, the film must still be the version the caller read (editors' changes): two
        editors acting at once cannot both rewrite the listings from what each saw.
        """
        if target is not None:
            update = self._transition_update(video_id, target, at, set_fields or {}, remove_fields)
        else:
            update = self._edit_update(video_id, expect, set_fields or {}, remove_fields)
        if version is not None:
            _require_version(update, version)
        writes: list[dict[str, Any]] = [{"Update": update}]
        if listing is not None:
            writes += self._listing_writes(video_id, listing)
        if len(writes) > TRANSACTION_MAX_ITEMS:
            raise ConflictError(
                "This change moves the film in too many listings at once: change its topics and its workshop "
                "one at a time.",
                "change_too_large",
            )
        try:
            self._client.transact_write_items(TransactItems=writes)
        except ClientError as error:
            if error.response["Error"]["Code"] == "TransactionCanceledException":
                wanted = f"move to {target.value}" if target else "be changed"
                raise StaleTransitionError(f"film {video_id} cannot {wanted} from where it is.") from None
            raise

    def listed_facets(self, video_id: str) -> list[str]:
        """The listings a film's entries actually stand in (what a takedown must remove)."""
        response = self._client.query(
            TableName=self.table_name,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :list)",
            ExpressionAttributeValues=_to_item({":pk": film_pk(video_id), ":list": "LIST#"}),
            ProjectionExpression="sk",
        )
        return [_from_item(item)["sk"].removeprefix("LIST#") for item in response.get("Items", [])]

    def list_counts(self, kind: str) -> dict[str, int]:
        """Published films per country, topic or workshop: counters kept as films are (un)published."""
        response = self._client.query(
            TableName=self.table_name,
            KeyConditionExpression="pk = :counts AND begins_with(sk, :kind)",
            ExpressionAttributeValues=_to_item({":counts": COUNTS_PK, ":kind": f"{kind}#"}),
        )
        counts = (_from_item(item) for item in response.get("Items", []))
        return {item["sk"].split("#", 1)[1]: int(item["films"]) for item in counts if int(item["films"]) > 0}

    def count_of(self, facet: str) -> int:
        response = self._client.get_item(TableName=self.table_name, Key=_to_item({"pk": COUNTS_PK, "sk": facet}))
        return int(_from_item(response["Item"])["films"]) if "Item" in response else 0

    def record_audit(self, video_id: str, at: str, entry: Mapping[str, Any]) -> None:
        item = {**entry, "pk": f"AUDIT#{video_id}", "sk": f"{at}#{uuid.uuid4().hex[:8]}", "at": at}
        self._client.put_item(TableName=self.table_name, Item=_to_item(item))

    def audit_trail(self, video_id: str) -> list[dict[str, Any]]:
        response = self._client.query(
            TableName=self.table_name,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues=_to_item({":pk": f"AUDIT#{video_id}"}),
        )
        return [{k: v for k, v in _from_item(item).items() if k not in ("pk", "sk")} for item in response["Items"]]

    def list_published(
        self, facet: str, limit: int, start_after: Mapping[str, Any] | None, containing: str | None = None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """Records in `facet`, newest first, and the key to continue from (or None). With `containing`,
        only entries whose search text contains it (among the `limit` entries read)."""
        values = {":facet": f"LIST#{facet}"}
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": LISTING_INDEX,
            "KeyConditionExpression": "gsi1pk = :facet",
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if containing:
            query["FilterExpression"] = "contains(#film.#search, :text)"
            query["ExpressionAttributeNames"] = {"#film": "film", "#search": "search"}
            values[":text"] = containing
        query["ExpressionAttributeValues"] = _to_item(values)
        if start_after:
            query["ExclusiveStartKey"] = _to_item(dict(start_after))
        response = self._client.query(**query)
        items = [_from_item(item)["film"] for item in response.get("Items", [])]
        last = response.get("LastEvaluatedKey")
        return items, (_from_item(last) if last else None)

    def list_by_status(self, status: Status, changed_before: str, limit: int) -> list[str]:
        """Ids of films in `status` since before `changed_before`, oldest first (index gsi3)."""
        response = self._client.query(
            TableName=self.table_name,
            IndexName=STATUS_INDEX,
            KeyConditionExpression="gsi3pk = :status AND gsi3sk < :before",
            ExpressionAttributeValues=_to_item({":status": status.value, ":before": changed_before}),
            Limit=limit,
        )
        return [_from_item(item)["pk"].removeprefix("FILM#") for item in response.get("Items", [])]

    def every_in_status(self, status: Status, changed_before: str = "9999") -> Iterator[str]:
        """Ids of all films in `status` since before `changed_before`, oldest first, read page by page
        as the caller goes on (the sweep, operators' repairs; never a request's path)."""
        pages = self._client.get_paginator("query").paginate(
            TableName=self.table_name,
            IndexName=STATUS_INDEX,
            KeyConditionExpression="gsi3pk = :status AND gsi3sk < :before",
            ExpressionAttributeValues=_to_item({":status": status.value, ":before": changed_before}),
        )
        for page in pages:
            yield from (_from_item(item)["pk"].removeprefix("FILM#") for item in page.get("Items", []))

    def count_by_status(self, status: Status) -> int:
        """How many films are in `status` (an index Query with Select=COUNT, for operators)."""
        total, start = 0, None
        while True:
            query: dict[str, Any] = {
                "TableName": self.table_name, "IndexName": STATUS_INDEX, "Select": "COUNT",
                "KeyConditionExpression": "gsi3pk = :status",
                "ExpressionAttributeValues": _to_item({":status": status.value}),
            }  # fmt: skip
            if start:
                query["ExclusiveStartKey"] = start
            response = self._client.query(**query)
            total += int(response["Count"])
            start = response.get("LastEvaluatedKey")
            if not start:
                return total

    def touch(self, video_id: str, status: Status, at: str, set_fields: Mapping[str, Any]) -> None:
        """Update a film that must still be in `status`, restarting its clock in that status."""
        fields = {**set_fields, "status_changed_at": at, "gsi3sk": at}
        names = {f"#f{n}": name for n, name in enumerate(fields)} | {"#status": "status"}
        values = {f":v{n}": value for n, value in enumerate(fields.values())} | {":status": status.value}
        try:
            self._client.update_item(
                TableName=self.table_name,
                Key=_to_item({"pk": film_pk(video_id), "sk": FILM_SK}),
                UpdateExpression="SET " + ", ".join(f"#f{n} = :v{n}" for n in range(len(fields))),
                ConditionExpression="#status = :status",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=_to_item(values),
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise StaleTransitionError(f"film {video_id} is no longer {status.value}.") from None
            raise

    def list_office_films(self, office_id: str, limit: int) -> list[dict[str, Any]]:
        response = self._client.query(
            TableName=self.table_name,
            IndexName=OFFICE_INDEX,
            KeyConditionExpression="gsi2pk = :office",
            ExpressionAttributeValues=_to_item({":office": f"OFFICE#{office_id}"}),
            ScanIndexForward=False,
            Limit=limit,
        )
        return [_from_item(item) for item in response.get("Items", [])]

    # Workshop stories ------------------------------------------------------------------------

    def put_workshop_story(self, workshop: str, story: Mapping[str, Any]) -> None:
        item = {"pk": f"WORKSHOP#{workshop}", "sk": STORY_SK, "story": dict(story)}
        self._client.put_item(TableName=self.table_name, Item=_to_item(item))

    def get_workshop_story(self, workshop: str) -> dict[str, Any] | None:
        response = self._client.get_item(
            TableName=self.table_name, Key=_to_item({"pk": f"WORKSHOP#{workshop}", "sk": STORY_SK})
        )
        return dict(_from_item(response["Item"])["story"]) if "Item" in response else None

    # API keys --------------------------------------------------------------------------------

    def put_api_key(self, key_hash: str, record: Mapping[str, Any]) -> None:
        item = {**record, "pk": f"KEY#{key_hash}", "sk": KEY_SK}
        self._client.put_item(TableName=self.table_name, Item=_to_item(item))

    def revoke_api_key(self, key_hash: str, at: str) -> bool:
        """Mark a key revoked; False when there is no such key."""
        try:
            self._client.update_item(
                TableName=self.table_name,
                Key=_to_item({"pk": f"KEY#{key_hash}", "sk": KEY_SK}),
                UpdateExpression="SET revoked = :yes, revoked_at = :at",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues=_to_item({":yes": True, ":at": at}),
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def get_api_key(self, key_hash: str) -> dict[str, Any] | None:
        response = self._client.get_item(
            TableName=self.table_name, Key=_to_item({"pk": f"KEY#{key_hash}", "sk": KEY_SK})
        )
        return _from_item(response["Item"]) if "Item" in response else None

    # Helpers ---------------------------------------------------------------------------------

    def _transition_update(
        self,
        video_id: str,
        target: Status,
        at: str,
        set_fields: Mapping[str, Any],
        remove_fields: Iterable[str],
        *,
        expect: frozenset[Status] | None = None,
    ) -> dict[str, Any]:
        sources = sorted(status.value for status in allowed_sources(target) & (expect or allowed_sources(target)))
        if not sources:
            raise ValueError(f"no film may move to {target.value} from {sorted(expect or ())}")
        fields = {**set_fields, "status": target.value, "status_changed_at": at, "gsi3pk": target.value, "gsi3sk": at}
        names = {f"#f{n}": name for n, name in enumerate(fields)}
        values = {f":v{n}": value for n, value in enumerate(fields.values())}
        assignments = [f"#f{n} = :v{n}" for n in range(len(fields))]
        # The film's journey, one entry per transition: what ops and the tests read to see that
        # no state was entered twice.
        names["#history"] = "history"
        values[":journey"] = [{"status": target.value, "at": at}]
        values[":none"] = []
        assignments.append("#history = list_append(if_not_exists(#history, :none), :journey)")
        expression = "SET " + ", ".join(assignments)
        removals = list(remove_fields)
        if removals:
            names.update({f"#r{n}": name for n, name in enumerate(removals)})
            expression += " REMOVE " + ", ".join(f"#r{n}" for n in range(len(removals)))
        names["#status"] = "status"
        values.update({f":s{n}": source for n, source in enumerate(sources)})
        condition = f"#status IN ({', '.join(f':s{n}' for n in range(len(sources)))})"
        return {
            "TableName": self.table_name,
            "Key": _to_item({"pk": film_pk(video_id), "sk": FILM_SK}),
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": _to_item(values),
        }

    def _edit_update(
        self, video_id: str, expect: frozenset[Status], set_fields: Mapping[str, Any], remove_fields: Iterable[str]
    ) -> dict[str, Any]:
        names = {f"#f{n}": name for n, name in enumerate(set_fields)} | {"#status": "status"}
        values: dict[str, Any] = {f":v{n}": value for n, value in enumerate(set_fields.values())}
        values.update({f":s{n}": status.value for n, status in enumerate(sorted(expect))})
        clauses = []
        if set_fields:
            clauses.append("SET " + ", ".join(f"#f{n} = :v{n}" for n in range(len(set_fields))))
        removals = list(remove_fields)
        if removals:
            names.update({f"#r{n}": name for n, name in enumerate(removals)})
            clauses.append("REMOVE " + ", ".join(f"#r{n}" for n in range(len(removals))))
        return {
            "TableName": self.table_name,
            "Key": _to_item({"pk": film_pk(video_id), "sk": FILM_SK}),
            "UpdateExpression": " ".join(clauses),
            "ConditionExpression": f"#status IN ({', '.join(f':s{n}' for n in range(len(expect)))})",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": _to_item(values),
        }

    def _listing_writes(self, video_id: str, listing: Listing) -> list[dict[str, Any]]:
        writes: list[dict[str, Any]] = []
        for facet in listing.old_facets:
            if facet not in listing.new_facets:
                key = {"pk": film_pk(video_id), "sk": f"LIST#{facet}"}
                writes.append({"Delete": {"TableName": self.table_name, "Key": _to_item(key)}})
                writes += self._count(facet, -1)
        sort_at = listing.sort_at or listing.record.get("published_at")
        for facet in listing.new_facets:
            entry = {
                "pk": film_pk(video_id), "sk": f"LIST#{facet}", "gsi1pk": f"LIST#{facet}",
                "gsi1sk": f"{sort_at}#{video_id}", "film": dict(listing.record),
            }  # fmt: skip
            writes.append({"Put": {"TableName": self.table_name, "Item": _to_item(entry)}})
            if facet not in listing.old_facets:
                writes += self._count(facet, +1)
        return writes

    def _count(self, facet: str, delta: int) -> list[dict[str, Any]]:
        if not is_counted(facet):
            return []
        update = {
            "TableName": self.table_name,
            "Key": _to_item({"pk": COUNTS_PK, "sk": facet}),
            "UpdateExpression": "ADD films :delta",
            "ExpressionAttributeValues": _to_item({":delta": delta}),
        }
        return [{"Update": update}]


def _require_version(update: dict[str, Any], version: int) -> None:
    """Adds `version = :expected` to an update's condition, and moves the version on by one."""
    update["ConditionExpression"] += (
        " AND ((attribute_not_exists(#version) AND :expected = :zero) OR #version = :expected)"
    )
    bump = "#version = if_not_exists(#version, :zero) + :one"
    expression = update["UpdateExpression"]
    update["UpdateExpression"] = expression.replace("SET ", f"SET {bump}, ", 1) if "SET " in expression else (
        f"SET {bump} {expression}")  # fmt: skip
    update["ExpressionAttributeNames"]["#version"] = "version"
    update["ExpressionAttributeValues"].update(_to_item({":expected": version, ":zero": 0, ":one": 1}))


def _to_item(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _serializer.serialize(_to_dynamo(value)) for key, value in data.items()}


def _from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _from_dynamo(_deserializer.deserialize(value)) for key, value in item.items()}


def _to_dynamo(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, Mapping):
        return {k: _to_dynamo(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_dynamo(v) for v in value]
    return value


def _from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {k: _from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_dynamo(v) for v in value]
    return value
