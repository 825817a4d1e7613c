"""DynamoDB: the audit trail of editors' actions on a film (`pk=AUDIT#{id}`, oldest first). A film's change
writes its entry in its own transaction (`DynamoDBFilms.apply`); `record_audit` is for what is no film's change."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from chalicelib.adapters.dynamodb_items import from_item, to_item


def _pk(video_id: str) -> str:
    return f"AUDIT#{video_id}"


def audit_item(video_id: str, at: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    """One entry of a film's audit trail as the table stores it (written alone, or in a change's transaction)."""
    # The random tail keeps two actions in the same millisecond apart.
    return {**entry, "pk": _pk(video_id), "sk": f"{at}#{uuid.uuid4().hex[:8]}", "at": at}


class DynamoDBAudit:
    """Receives a boto3 DynamoDB client and the table name; never creates a client."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self.table_name = table_name

    def record_audit(self, video_id: str, at: str, entry: Mapping[str, Any]) -> None:
        self._client.put_item(TableName=self.table_name, Item=to_item(audit_item(video_id, at, entry)))

    def audit_trail(self, video_id: str) -> list[dict[str, Any]]:
        response = self._client.query(
            TableName=self.table_name,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues=to_item({":pk": _pk(video_id)}),
        )
        return [{k: v for k, v in from_item(item).items() if k not in ("pk", "sk")} for item in response["Items"]]
