"""DynamoDB: the catalog of films, their conditional status changes, listings and API keys.

One table. A film is `pk=FILM#{id}, sk=FILM`. Publishing adds one listing entry per facet
(`sk=LIST#{facet}`) carrying the film's public record; index `gsi1` serves every public listing
newest first with a Query. Index `gsi2` lists an office's uploads, `gsi3` films by status.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from chalicelib.domain.errors import StaleTransitionError
from chalicelib.domain.film import Status, allowed_sources

FILM_SK = "FILM"
KEY_SK = "KEY"
LISTING_INDEX = "gsi1"
OFFICE_INDEX = "gsi2"
STATUS_INDEX = "gsi3"

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def film_pk(video_id: str) -> str:
    return f"FILM#{video_id}"


class DynamoDBCatalog:
    """Receives a boto3 DynamoDB client and the table name; never creates a client."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self.table_name = table_name

    # Films -----------------------------------------------------------------------------------

    def create_film(self, film: Mapping[str, Any]) -> None:
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
        self._client.put_item(
            TableName=self.table_name, Item=_to_item(item), ConditionExpression="attribute_not_exists(pk)"
        )

    def get_film(self, video_id: str) -> dict[str, Any] | None:
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
    ) -> dict[str, Any]:
        """Move a film to `target` if, and only if, its current status allows it; return the new film."""
        update = self._transition_update(video_id, target, at, set_fields or {}, remove_fields)
        try:
            response = self._client.update_item(**update, ReturnValues="ALL_NEW")
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise StaleTransitionError(f"film {video_id} cannot move to {target.value} from where it is.") from None
            raise
        return _from_item(response["Attributes"])

    def publish(
        self, video_id: str, at: str, film: Mapping[str, Any], facets: list[str], record: Mapping[str, Any]
    ) -> None:
        """PUBLISHED and one listing entry per facet, in one transaction."""
        update = self._transition_update(video_id, Status.PUBLISHED, at, {"published_at": at}, ())
        writes: list[dict[str, Any]] = [{"Update": update}]
        for facet in facets:
            entry = {
                "pk": film_pk(video_id),
                "sk": f"LIST#{facet}",
                "gsi1pk": f"LIST#{facet}",
                "gsi1sk": f"{at}#{video_id}",
                "film": {**record, "published_at": at},
            }
            writes.append({"Put": {"TableName": self.table_name, "Item": _to_item(entry)}})
        self._transact(video_id, Status.PUBLISHED, writes)

    def unpublish(self, video_id: str, at: str, facets: list[str]) -> None:
        update = self._transition_update(video_id, Status.UNPUBLISHED, at, {}, ("published_at",))
        writes: list[dict[str, Any]] = [{"Update": update}]
        for facet in facets:
            key = {"pk": film_pk(video_id), "sk": f"LIST#{facet}"}
            writes.append({"Delete": {"TableName": self.table_name, "Key": _to_item(key)}})
        self._transact(video_id, Status.UNPUBLISHED, writes)

    def list_published(
        self, facet: str, limit: int, start_after: Mapping[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """Public records in `facet`, newest first, and the key to continue from (or None)."""
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": LISTING_INDEX,
            "KeyConditionExpression": "gsi1pk = :facet",
            "ExpressionAttributeValues": _to_item({":facet": f"LIST#{facet}"}),
            "ScanIndexForward": False,
            "Limit": limit,
        }
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

    # API keys --------------------------------------------------------------------------------

    def put_api_key(self, key_hash: str, record: Mapping[str, Any]) -> None:
        item = {**record, "pk": f"KEY#{key_hash}", "sk": KEY_SK}
        self._client.put_item(TableName=self.table_name, Item=_to_item(item))

    def get_api_key(self, key_hash: str) -> dict[str, Any] | None:
        response = self._client.get_item(
            TableName=self.table_name, Key=_to_item({"pk": f"KEY#{key_hash}", "sk": KEY_SK})
        )
        return _from_item(response["Item"]) if "Item" in response else None

    # Helpers ---------------------------------------------------------------------------------

    def _transition_update(
        self, video_id: str, target: Status, at: str, set_fields: Mapping[str, Any], remove_fields: Iterable[str]
    ) -> dict[str, Any]:
        sources = sorted(status.value for status in allowed_sources(target))
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

    def _transact(self, video_id: str, target: Status, writes: list[dict[str, Any]]) -> None:
        try:
            self._client.transact_write_items(TransactItems=writes)
        except ClientError as error:
            if error.response["Error"]["Code"] == "TransactionCanceledException":
                raise StaleTransitionError(f"film {video_id} cannot move to {target.value} from where it is.") from None
            raise


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
