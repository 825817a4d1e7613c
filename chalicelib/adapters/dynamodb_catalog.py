"""DynamoDB: the catalog, one table holding films and their listings, API keys and the audit trail.

Each part lives in its own module (`dynamodb_films.py`, `dynamodb_api_keys.py`, `dynamodb_audit.py`,
`dynamodb_stories.py`)
and knows its own keys; this class gives the use cases the one catalog they are wired with.
"""

from __future__ import annotations

from chalicelib.adapters.dynamodb_api_keys import DynamoDBApiKeys
from chalicelib.adapters.dynamodb_audit import DynamoDBAudit
from chalicelib.adapters.dynamodb_films import DynamoDBFilms
from chalicelib.adapters.dynamodb_stories import DynamoDBWorkshopStories


class DynamoDBCatalog(DynamoDBFilms, DynamoDBApiKeys, DynamoDBAudit, DynamoDBWorkshopStories):
    """Receives a boto3 DynamoDB client and the table name; never creates a client."""
