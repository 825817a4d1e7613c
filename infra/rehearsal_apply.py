"""The deploy rehearsal's second half: what moto's CloudFormation could not create, applied through each
service's API to the created stack, and the settings it dropped, applied through S3's and DynamoDB's APIs.

`Resolver` gives intrinsic functions their values once the stack exists (physical ids, and the attributes the
template uses); resources made here are remembered so that later ones can name them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from infra.moto_gaps import GAPS

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's
PSEUDO = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT_ID,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
}


def placeholder(logical_id: str, attribute: str | None = None) -> str:
    return f"rehearsal-{logical_id}" + (f"-{attribute}" if attribute else "")


@dataclass
class Resolver:
    """The values of intrinsic functions once the stack exists: physical ids, and the attributes used here."""

    stack_name: str
    parameters: dict[str, str]
    conditions: dict[str, bool]
    physical: dict[str, str]
    types: dict[str, str]
    made: dict[str, dict[str, str]] = field(default_factory=dict)  # resources the rehearsal made through APIs

    def ref(self, name: str) -> str:
        if name == "AWS::StackName":
            return self.stack_name
        if name in PSEUDO:
            return PSEUDO[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in self.made:
            return self.made[name]["Ref"]
        return self.physical[name]

    def get_att(self, name: str, attribute: str) -> str:
        if name in self.made:
            return self.made[name][attribute]
        physical, kind = self.physical[name], self.types[name]
        if kind == "AWS::SQS::Queue":
            queue_name = physical.rsplit("/", 1)[-1]
            return {"QueueName": queue_name, "Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{queue_name}"}[attribute]
        if kind == "AWS::S3::Bucket":
            return {
                "Arn": f"arn:aws:s3:::{physical}",
                "RegionalDomainName": f"{physical}.s3.{REGION}.amazonaws.com",
            }[attribute]
        if kind == "AWS::DynamoDB::Table" and attribute == "Arn":
            return f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{physical}"
        if kind == "AWS::Lambda::Function" and attribute == "Arn":
            return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{physical}"
        raise KeyError(f"the rehearsal resolves no {name}.{attribute} ({kind})")

    def __call__(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self(item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            [(function, argument)] = value.items()
            intrinsic: Callable[[], Any] | None = {
                "Ref": lambda: self.ref(argument),
                "Fn::GetAtt": lambda: self.get_att(*argument[:2]),
                "Fn::Sub": lambda: self.sub(argument),
                "Fn::Join": lambda: argument[0].join(str(self(item)) for item in argument[1]),
                "Fn::If": lambda: self(argument[1] if self.conditions[argument[0]] else argument[2]),
            }.get(function)
            if intrinsic is not None:
                return intrinsic()
        return {key: self(item) for key, item in value.items()}

    def sub(self, argument: Any) -> str:
        text, variables = (argument, {}) if isinstance(argument, str) else argument
        values = {name: self(value) for name, value in variables.items()}

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in values:
                return str(values[name])
            return self.get_att(*name.split(".", 1)) if "." in name and "::" not in name else self.ref(name)

        return re.sub(r"\$\{([^}!]+)\}", one, text)


def _cloudfront_list(items: list[Any]) -> dict[str, Any]:
    return {"Quantity": len(items), "Items": items}


def distribution_config(properties: dict[str, Any], reference: str) -> dict[str, Any]:
    """A CloudFormation DistributionConfig in the shape of CloudFront's API (lists as Quantity and Items)."""
    config = properties["DistributionConfig"]
    behaviour = dict(config["DefaultCacheBehavior"])
    methods = behaviour.pop("AllowedMethods", ["GET", "HEAD"])
    behaviour["AllowedMethods"] = {**_cloudfront_list(methods), "CachedMethods": _cloudfront_list(["GET", "HEAD"])}
    origins = [
        {
            "Id": origin["Id"],
            "DomainName": origin["DomainName"],
            "OriginAccessControlId": origin.get("OriginAccessControlId", ""),
            "S3OriginConfig": origin.get("S3OriginConfig", {"OriginAccessIdentity": ""}),
        }
        for origin in config["Origins"]
    ]
    shaped = {
        "CallerReference": reference,
        "Comment": config.get("Comment", ""),
        "Enabled": config["Enabled"],
        "Origins": _cloudfront_list(origins),
        "DefaultCacheBehavior": behaviour,
    }
    for key in ("DefaultRootObject", "HttpVersion"):
        if key in config:
            shaped[key] = config[key]
    return shaped


@dataclass
class Outcome:
    """What became of each resource of the transformed template."""

    created: list[str] = field(default_factory=list)
    covered: dict[str, str] = field(default_factory=dict)  # logical id -> the API call that made or applied it
    left_out: dict[str, str] = field(default_factory=dict)  # logical id -> why
    applied: list[str] = field(default_factory=list)  # dropped properties applied through an API
    phases: dict[str, float] = field(default_factory=dict)  # phase -> when it ended (time.monotonic)


def apply_removed(session: Any, removed: dict[str, Any], resolve: Resolver, outcome: Outcome) -> None:
    """Each taken-out resource, through its own service's API where moto has one, dependencies first."""
    clients: dict[str, Any] = {}

    def client(name: str) -> Any:
        if name not in clients:
            clients[name] = session.client(name, region_name=REGION)
        return clients[name]

    order = list(GAPS)  # origin access control and headers policies before distributions, and so on
    for logical_id, resource in sorted(removed.items(), key=lambda item: order.index(item[1]["Type"])):
        kind = resource["Type"]
        if "Condition" in resource and not resolve.conditions[resource["Condition"]]:
            outcome.left_out[logical_id] = f"its condition {resource['Condition']} is false with these parameters"
            continue
        if not GAPS[kind][1]:
            outcome.left_out[logical_id] = GAPS[kind][0]
            resolve.made[logical_id] = {"Ref": placeholder(logical_id), "Id": placeholder(logical_id)}
            continue
        properties = resolve(resource.get("Properties", {}))
        call = APPLY[kind](client, logical_id, properties, resolve)
        outcome.covered[logical_id] = call


def _oac(client: Callable[[str], Any], logical_id: str, p: dict[str, Any], resolve: Resolver) -> str:
    made = client("cloudfront").create_origin_access_control(OriginAccessControlConfig=p["OriginAccessControlConfig"])
    resolve.made[logical_id] = {"Ref": made["OriginAccessControl"]["Id"], "Id": made["OriginAccessControl"]["Id"]}
    return "cloudfront:CreateOriginAccessControl"


def _distribution(client: Callable[[str], Any], logical_id: str, p: dict[str, Any], resolve: Resolver) -> str:
    made = client("cloudfront").create_distribution(DistributionConfig=distribution_config(p, logical_id))
    distribution = made["Distribution"]
    resolve.made[logical_id] = {"Ref": distribution["Id"], "DomainName": distribution["DomainName"]}
    return "cloudfront:CreateDistribution"


def _alarm(client: Callable[[str], Any], logical_id: str, p: dict[str, Any], resolve: Resolver) -> str:
    client("cloudwatch").put_metric_alarm(**p)
    return "cloudwatch:PutMetricAlarm"


def _bucket_policy(client: Callable[[str], Any], logical_id: str, p: dict[str, Any], resolve: Resolver) -> str:
    client("s3").put_bucket_policy(Bucket=p["Bucket"], Policy=json.dumps(p["PolicyDocument"]))
    return "s3:PutBucketPolicy"


def _queue_policy(client: Callable[[str], Any], logical_id: str, p: dict[str, Any], resolve: Resolver) -> str:
    for queue_url in p["Queues"]:
        client("sqs").set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(p["PolicyDocument"])})
    return "sqs:SetQueueAttributes(Policy)"


def _subscription(client: Callable[[str], Any], logical_id: str, p: dict[str, Any], resolve: Resolver) -> str:
    client("sns").subscribe(TopicArn=p["TopicArn"], Protocol=p["Protocol"], Endpoint=p["Endpoint"])
    return "sns:Subscribe"


def _secret(client: Callable[[str], Any], logical_id: str, p: dict[str, Any], resolve: Resolver) -> str:
    secrets = client("secretsmanager")
    generate = p.get("GenerateSecretString", {})
    value = secrets.get_random_password(
        PasswordLength=int(generate.get("PasswordLength", 32)),
        ExcludePunctuation=bool(generate.get("ExcludePunctuation", False)),
    )["RandomPassword"]
    made = secrets.create_secret(
        Name=f"{resolve.stack_name}-{logical_id}", Description=p.get("Description", ""), SecretString=value
    )
    resolve.made[logical_id] = {"Ref": made["ARN"], "Id": made["ARN"]}
    return "secretsmanager:CreateSecret"


APPLY: dict[str, Callable[[Callable[[str], Any], str, dict[str, Any], Resolver], str]] = {
    "AWS::SecretsManager::Secret": _secret,
    "AWS::CloudFront::OriginAccessControl": _oac,
    "AWS::CloudFront::Distribution": _distribution,
    "AWS::CloudWatch::Alarm": _alarm,
    "AWS::S3::BucketPolicy": _bucket_policy,
    "AWS::SQS::QueuePolicy": _queue_policy,
    "AWS::SNS::Subscription": _subscription,
}


def apply_dropped(session: Any, template: dict[str, Any], resolve: Resolver, outcome: Outcome) -> None:
    """The bucket and table settings moto's CloudFormation drops, applied with S3's and DynamoDB's APIs."""
    s3, dynamodb = session.client("s3", region_name=REGION), session.client("dynamodb", region_name=REGION)
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] not in {"AWS::S3::Bucket", "AWS::DynamoDB::Table"}:
            continue
        p = resolve(resource.get("Properties", {}))
        if resource["Type"] == "AWS::S3::Bucket":
            bucket = resolve.ref(logical_id)
            if "PublicAccessBlockConfiguration" in p:
                s3.put_public_access_block(
                    Bucket=bucket, PublicAccessBlockConfiguration=p["PublicAccessBlockConfiguration"]
                )
            if "LifecycleConfiguration" in p:
                rules = [_lifecycle_rule(rule) for rule in p["LifecycleConfiguration"]["Rules"]]
                s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
            if "CorsConfiguration" in p:
                s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=_cors(p["CorsConfiguration"]))
            if "NotificationConfiguration" in p:
                s3.put_bucket_notification_configuration(
                    Bucket=bucket, NotificationConfiguration=_notifications(p["NotificationConfiguration"])
                )
            outcome.applied.append(f"{logical_id}: public access block, lifecycle, CORS, notifications")
        elif resource["Type"] == "AWS::DynamoDB::Table":
            table = resolve.ref(logical_id)
            if p.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled"):
                dynamodb.update_continuous_backups(
                    TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
                )
            if "TimeToLiveSpecification" in p:
                dynamodb.update_time_to_live(TableName=table, TimeToLiveSpecification=p["TimeToLiveSpecification"])
            outcome.applied.append(f"{logical_id}: point-in-time recovery, TTL")


def _lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A CloudFormation lifecycle rule in the shape of S3's API."""
    prefix = {"Prefix": rule["Prefix"]} if "Prefix" in rule else {}
    tags = rule.get("TagFilters", [])
    shaped: dict[str, Any] = {
        "ID": rule["Id"],
        "Status": rule["Status"],
        "Filter": {"And": {**prefix, "Tags": tags}} if tags else (prefix or {"Prefix": ""}),
    }
    if "ExpirationInDays" in rule:
        shaped["Expiration"] = {"Days": rule["ExpirationInDays"]}
    if "AbortIncompleteMultipartUpload" in rule:
        shaped["AbortIncompleteMultipartUpload"] = rule["AbortIncompleteMultipartUpload"]
    return shaped


def _cors(config: dict[str, Any]) -> dict[str, Any]:
    rules = []
    for rule in config["CorsRules"]:
        shaped = {k: rule[k] for k in ("AllowedMethods", "AllowedOrigins", "AllowedHeaders") if k in rule}
        if "ExposedHeaders" in rule:
            shaped["ExposeHeaders"] = rule["ExposedHeaders"]
        if "MaxAge" in rule:
            shaped["MaxAgeSeconds"] = rule["MaxAge"]
        if "Id" in rule:
            shaped["ID"] = rule["Id"]
        rules.append(shaped)
    return {"CORSRules": rules}


def _notifications(config: dict[str, Any]) -> dict[str, Any]:
    return {
        "QueueConfigurations": [
            {
                "QueueArn": queue["Queue"],
                "Events": [queue["Event"]],
                "Filter": {"Key": {"FilterRules": queue["Filter"]["S3Key"]["Rules"]}},
            }
            for queue in config.get("QueueConfigurations", [])
        ]
    }


def conditions_of(template: dict[str, Any], parameters: dict[str, str]) -> dict[str, bool]:
    """The template's conditions, for the few forms it uses (Not, Equals on a parameter)."""

    def evaluate(expression: Any) -> Any:
        if isinstance(expression, dict) and "Fn::Not" in expression:
            return not evaluate(expression["Fn::Not"][0])
        if isinstance(expression, dict) and "Fn::Equals" in expression:
            left, right = (evaluate(side) for side in expression["Fn::Equals"])
            return left == right
        if isinstance(expression, dict) and "Ref" in expression:
            return parameters[expression["Ref"]]
        return expression

    return {name: bool(evaluate(expression)) for name, expression in template.get("Conditions", {}).items()}
