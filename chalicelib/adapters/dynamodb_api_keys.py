"""DynamoDB: API keys, stored by the hash of the key (`pk=KEY#{hash}, sk=KEY`), never the key itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.dynamodb_items import Update, from_item, is_condition_failure, to_item

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
        try:
            self._client.update_item(**update.build())
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def get_api_key(self, key_hash: str) -> dict[str, Any] | None:
        response = self._client.get_item(TableName=self.table_name, Key=to_item(_key(key_hash)))
        return from_item(response["Item"]) if "Item" in response else None
