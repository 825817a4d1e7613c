"""Creates the stack's storage, queues and catalog in moto by reading `infra/resources.yaml`.

The same definition is merged into the deployed template; here each resource is created with the
matching API call, after `infra/local-overrides.json` has replaced the production-only numbers.
The template is read by `infra.template`, as Chalice reads it when packaging.
Resources that have no local meaning (CloudFront, policies, Chalice's own functions) are skipped.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import string
from pathlib import Path
from typing import Any

from chalicelib.domain.stages import STAGES
from infra.template import load_template

ROOT = Path(__file__).resolve().parent.parent
# LOCAL_OVERRIDES names another file of the same shape (the fault tests use short timeouts).
OVERRIDES = Path(os.environ.get("LOCAL_OVERRIDES") or ROOT / "infra" / "local-overrides.json")
ACCOUNT_ID = "123456789012"  # moto's account
REGION = "us-east-1"

# Resource types the local stack has no use for, and why.
SKIPPED_TYPES = {
    "AWS::S3::BucketPolicy": "moto does not enforce bucket policies",
    "AWS::SQS::QueuePolicy": "moto does not enforce queue policies",
    "AWS::CloudFront::Distribution": "media are served straight from moto's S3 locally",
    "AWS::CloudFront::OriginAccessControl": "no CloudFront locally",
    "AWS::CloudFront::ResponseHeadersPolicy": "the local web server sends the same headers (local/web_server.py)",
    "AWS::Serverless::LayerVersion": "ffmpeg and ffprobe are on the local PATH",
    "AWS::SNS::Topic": "alarms have no local twin: the console shows the same log lines and metrics",
    "AWS::SNS::Subscription": "no alarms locally",
    "AWS::KMS::Key": "it only encrypts the alarm topic: no alarms locally",
    "AWS::CloudWatch::Alarm": "no CloudWatch locally",
    "AWS::CloudWatch::Dashboard": "no CloudWatch locally",
    "AWS::Logs::LogGroup": "the local stack logs to its console",
}
_SUB = re.compile(r"\$\{([^}]+)\}")


class LocalResources:
    """Creates each resource once, on first reference, so dependencies come first whatever the order."""

    def __init__(self, session: Any, endpoint_url: str | None, stack_name: str, template: dict[str, Any] | None = None):
        self._clients = {
            name: session.client(name, endpoint_url=endpoint_url)
            for name in ("s3", "sqs", "dynamodb", "secretsmanager")
        }
        self._stack_name = stack_name
        self._template = template or load_template()
        self._created: dict[str, dict[str, str]] = {}

    def create_all(self) -> dict[str, dict[str, str]]:
        for logical_id, resource in self._template["Resources"].items():
            if resource.get("Type") and resource["Type"] not in SKIPPED_TYPES:
                self._create(logical_id)
        return dict(self._created)

    @property
    def template(self) -> dict[str, Any]:
        return self._template

    def function_environment(self, local_values: dict[str, str]) -> dict[str, str]:
        """The environment the template gives every function, with `local_values` for what has no local twin."""
        variables = self._template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
        return {name: local_values.get(name) or str(self.resolve(value)) for name, value in variables.items()}

    # Intrinsic functions -----------------------------------------------------------------------

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, dict):
            return value
        if set(value) == {"Ref"}:
            return self._ref(value["Ref"])
        if set(value) == {"Fn::GetAtt"}:
            logical_id, attribute = value["Fn::GetAtt"]
            return self._attribute(logical_id, attribute)
        if set(value) == {"Fn::Sub"}:
            return _SUB.sub(lambda match: str(self._sub_variable(match.group(1))), value["Fn::Sub"])
        return {key: self.resolve(item) for key, item in value.items()}

    def _sub_variable(self, name: str) -> str:
        if "." in name and not name.startswith("AWS::"):
            logical_id, attribute = name.split(".", 1)
            return self._attribute(logical_id, attribute)
        return self._ref(name)

    def _ref(self, name: str) -> str:
        pseudo = {
            "AWS::StackName": self._stack_name,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Region": REGION,
            "AWS::Partition": "aws",
        }
        if name in pseudo:
            return pseudo[name]
        parameters = self._template.get("Parameters", {})
        if name in parameters:
            return str(parameters[name]["Default"])  # the local stack takes every parameter's default
        if self._template["Resources"][name].get("Type") in SKIPPED_TYPES:
            return ""  # no local twin (a CloudFront distribution: the local media server caches nothing)
        return self._create(name)["Ref"]

    def _attribute(self, logical_id: str, attribute: str) -> str:
        return self._create(logical_id)[attribute]

    # Creation ----------------------------------------------------------------------------------

    def _create(self, logical_id: str) -> dict[str, str]:
        if logical_id in self._created:
            return self._created[logical_id]
        resource = self._template["Resources"][logical_id]
        kind = resource.get("Type")
        properties = local_properties(logical_id, resource.get("Properties", {}))
        creators = {
            "AWS::SQS::Queue": self._queue,
            "AWS::S3::Bucket": self._bucket,
            "AWS::DynamoDB::Table": self._table,
            "AWS::SecretsManager::Secret": self._secret,
        }
        if kind not in creators:
            raise ValueError(f"{logical_id}: the local stack cannot create a {kind}; add it to local/resources.py")
        if kind == "AWS::SecretsManager::Secret":  # CloudFormation names it after the stack and the logical id
            properties = {"Name": f"{self._stack_name}-{logical_id}", **properties}
        self._created[logical_id] = creators[kind](properties)
        return self._created[logical_id]

    def _queue(self, properties: dict[str, Any]) -> dict[str, str]:
        name = self.resolve(properties["QueueName"])
        attributes: dict[str, str] = {
            key: str(properties[key]) for key in ("VisibilityTimeout", "MessageRetentionPeriod") if key in properties
        }
        if "RedrivePolicy" in properties:
            attributes["RedrivePolicy"] = json.dumps(self.resolve(properties["RedrivePolicy"]))
        url = self._clients["sqs"].create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        return {"Ref": url, "Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{name}", "QueueName": name}

    def _bucket(self, properties: dict[str, Any]) -> dict[str, str]:
        s3 = self._clients["s3"]
        name = self.resolve(properties["BucketName"])
        s3.create_bucket(Bucket=name)
        if "PublicAccessBlockConfiguration" in properties:
            s3.put_public_access_block(
                Bucket=name, PublicAccessBlockConfiguration=properties["PublicAccessBlockConfiguration"]
            )
        if "CorsConfiguration" in properties:
            rules = [s3_cors_rule(self.resolve(rule)) for rule in properties["CorsConfiguration"]["CorsRules"]]
            s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": rules})
        queues = properties.get("NotificationConfiguration", {}).get("QueueConfigurations", [])
        if queues:
            s3.put_bucket_notification_configuration(
                Bucket=name,
                NotificationConfiguration={"QueueConfigurations": [self._queue_notification(q) for q in queues]},
            )
        return {"Ref": name, "Arn": f"arn:aws:s3:::{name}", "RegionalDomainName": f"{name}.s3.{REGION}.amazonaws.com"}

    def _queue_notification(self, configuration: dict[str, Any]) -> dict[str, Any]:
        rules = configuration.get("Filter", {}).get("S3Key", {}).get("Rules", [])
        notification: dict[str, Any] = {
            "QueueArn": self.resolve(configuration["Queue"]),
            "Events": [configuration["Event"]],
        }
        if rules:
            notification["Filter"] = {"Key": {"FilterRules": rules}}
        return notification

    def _table(self, properties: dict[str, Any]) -> dict[str, str]:
        name = self.resolve(properties["TableName"])
        optional = {key: properties[key] for key in ("GlobalSecondaryIndexes",) if key in properties}
        self._clients["dynamodb"].create_table(
            TableName=name,
            AttributeDefinitions=properties["AttributeDefinitions"],
            KeySchema=properties["KeySchema"],
            BillingMode=properties["BillingMode"],
            **optional,
        )
        return {"Ref": name, "Arn": f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{name}"}

    def _secret(self, properties: dict[str, Any]) -> dict[str, str]:
        """A secret generated here, as Secrets Manager generates one for the deployed stack: in no file."""
        length = int(properties["GenerateSecretString"]["PasswordLength"])
        value = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(length))
        created = self._clients["secretsmanager"].create_secret(
            Name=self.resolve(properties["Name"]), SecretString=value
        )
        return {"Ref": created["ARN"], "Id": created["ARN"]}


def s3_cors_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A template's CORS rule in the S3 API's shape, whose names differ a little."""
    renamed = {"Id": "ID", "MaxAge": "MaxAgeSeconds", "ExposedHeaders": "ExposeHeaders"}
    return {renamed.get(key, key): value for key, value in rule.items()}


def local_overrides() -> dict[str, Any]:
    """`resources`: properties per logical id; `stage_queue_visibility_s`: every stage's work queue's visibility;
    `function_timeouts`: seconds per handler; `heartbeat_s`; `schedule_interval_s`."""
    overrides: dict[str, Any] = json.loads(OVERRIDES.read_text())
    return overrides


def local_properties(logical_id: str, properties: dict[str, Any]) -> dict[str, Any]:
    """A resource's properties as the local stack creates it: each stage's work queue (chalicelib/domain/stages.py)
    with the short local visibility, then the overrides the resource has of its own."""
    overrides = local_overrides()
    visibility = overrides.get("stage_queue_visibility_s")
    stage_queue = visibility is not None and logical_id in {stage.queue_id for stage in STAGES}
    return {
        **properties,
        **({"VisibilityTimeout": visibility} if stage_queue else {}),
        **overrides["resources"].get(logical_id, {}),
    }
