"""Which stack a command acts on: the local stack (`.local/stack.json`) or a deployed CloudFormation stack.

Either way the command gets the same `Dependencies` the handlers use, built from the same
environment variable names (chalicelib/config.py) that the functions receive.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from chalicelib import wiring
from chalicelib.domain.stages import STAGES
from chalicelib.services.dependencies import Dependencies
from cli import chalice_config

# Function environment variable -> the template's output (deployed) or logical id (local) holding it; each
# stage's queue (domain/stages.py) is output as `<logical id>Url`.
RESOURCE_VARIABLES = {
    "UPLOADS_BUCKET": ("UploadsBucketName", "UploadsBucket"),
    "MEDIA_BUCKET": ("MediaBucketName", "MediaBucket"),
    "CATALOG_TABLE": ("CatalogTableName", "CatalogTable"),
    "IDEMPOTENCY_TABLE": ("IdempotencyTableName", "IdempotencyTable"),
    **{stage.queue_url_variable: (f"{stage.queue_id}Url", stage.queue_id) for stage in STAGES},
}


# Each stage's dead-letter queue, by its queue's short name (what `ops status` and `ops redrive` show).
DEAD_LETTER_QUEUES = {stage.queue: (f"{stage.dead_letter_queue_id}Url", stage.dead_letter_queue_id) for stage in STAGES}


@dataclass(frozen=True)
class WebsiteTarget:
    """Where the website's pages go, and the API they call."""

    bucket: str
    api_url: str


class Target:
    def __init__(
        self,
        stage: str,
        names: dict[str, str],
        dead_letter_queues: dict[str, str],
        website: WebsiteTarget,
        media_distribution_id: str = "",
    ) -> None:
        self.stage = stage
        self.names = names
        self.dead_letter_queues = dead_letter_queues
        self.website = website
        # The CDN in front of the media (none locally): a takedown from the command line empties its cache.
        self.media_distribution_id = media_distribution_id

    def dependencies(self) -> Dependencies:
        # The tools page no public listing, so they never need the cursor signing key (nor may read it).
        no_cursor_key = {"CURSOR_SIGNING_KEY_ARN": ""}
        os.environ.update(
            {
                **chalice_config.environment(self.stage),
                **self.names,
                "MEDIA_BASE_URL": "-",
                "SITE_URL": "-",
                "MEDIA_DISTRIBUTION_ID": self.media_distribution_id,
                **no_cursor_key,
            }
        )
        wiring.reset()
        return wiring.dependencies()


def local_target(stack_file: Path) -> Target:
    if not stack_file.exists():
        raise SystemExit(f"{stack_file} does not exist: start the local stack with `make run`, or pass --stack")
    stack: dict[str, Any] = json.loads(stack_file.read_text())
    # The stack's admin user: moto checks IAM once the stack is up (local/iam.py).
    os.environ.update(
        {**stack["admin_credentials"], "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": stack["aws_endpoint_url"]}
    )
    resources = stack["resources"]
    names = {variable: resources[logical] for variable, (_, logical) in RESOURCE_VARIABLES.items()}
    queues = {name: resources[logical] for name, (_, logical) in DEAD_LETTER_QUEUES.items()}
    return Target("local", names, queues, WebsiteTarget(resources["WebsiteBucket"], stack["api_url"]))


def deployed_target(stack_name: str, stage: str) -> Target:
    stack = boto3.session.Session().client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"][0]
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    names = {variable: outputs[output] for variable, (output, _) in RESOURCE_VARIABLES.items()}
    queues = {name: outputs[output] for name, (output, _) in DEAD_LETTER_QUEUES.items()}
    # EndpointURL is Chalice's output; a stack deployed before the website bucket has none (`web publish` says so).
    website = WebsiteTarget(outputs.get("WebsiteBucketName", ""), outputs["EndpointURL"])
    # A stack deployed before the output existed has none: its takedowns then wait for the cache's five minutes.
    return Target(stage, names, queues, website, outputs.get("MediaDistributionId", ""))
