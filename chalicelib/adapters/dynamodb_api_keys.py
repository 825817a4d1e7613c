"""DynamoDB: API keys, stored by the hash of the key (`pk=KEY#{hash}, sk=KEY`), never the key itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.adapters.dynamodb_items import Update, conditionally_updated, from_item, to_item

KEY_SK = "KEY"


def _key(key_hash: str) -> dict[str, str]:
    return {"pk": f"KEY#{key_hash}", "sk": KEY_SK}


class DynamoDBApiKeys:
    """Receives a boto3 DynamoDB client and the table name; never creates a client."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self.table_name = table_name

    def put_api_key(self, key_hash: str, record: Mapping[str, Any]) -> None:
        self._client.put_item(TableName=self.table_name, Item=to_item({**record, **_key(key_hash)}))

    def revoke_api_key(self, key_hash: str, at: str) -> bool:
        """Mark a key revoked; False when there is no such key."""
        update = Update(self.table_name, _key(key_hash)).set({"revoked": True, "revoked_at": at}).require_exists("pk")
        return conditionally_updated(self._client, update)

    def get_api_key(self, key_hash: str) -> dict[str, Any] | None:
        response = self._client.get_item(TableName=self.table_name, Key=to_item(_key(key_hash)))
        return from_item(response["Item"]) if "Item" in response else None
