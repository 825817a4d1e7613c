"""DynamoDB: workshop stories, one item per workshop (`pk=WORKSHOP#{slug}, sk=STORY`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.adapters.dynamodb_items import from_item, to_item

STORY_SK = "STORY"


def _key(workshop: str) -> dict[str, str]:
    return {"pk": f"WORKSHOP#{workshop}", "sk": STORY_SK}


class DynamoDBWorkshopStories:
    """Receives a boto3 DynamoDB client and the table name; never creates a client."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self.table_name = table_name

    def put_workshop_story(self, workshop: str, story: Mapping[str, Any]) -> None:
        self._client.put_item(TableName=self.table_name, Item=to_item({**_key(workshop), "story": dict(story)}))

    def get_workshop_story(self, workshop: str) -> dict[str, Any] | None:
        response = self._client.get_item(TableName=self.table_name, Key=to_item(_key(workshop)))
        return dict(from_item(response["Item"])["story"]) if "Item" in response else None

    def delete_workshop_story(self, workshop: str) -> bool:
        """Deletes the workshop's story; False when it had none."""
        response = self._client.delete_item(
            TableName=self.table_name, Key=to_item(_key(workshop)), ReturnValues="ALL_OLD"
        )
        return "Attributes" in response
