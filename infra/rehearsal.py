"""`make deploy-check`: the packaged stack deployed offline, as far as an emulator can, and checked for what it cannot.

1. The checks of infra/deploy_checks.py on `build/STAGE/sam.yaml` and on docs/DEPLOY.md's deploy command.
2. What `aws cloudformation package` does: the zips go to an artifacts bucket (moto's S3), CodeUri and ContentUri
   become `s3://` addresses, and the template itself goes there too (it is over 51,200 bytes).
3. The SAM template becomes plain CloudFormation offline, with aws-sam-translator (the library CloudFormation's
   transform runs), with a managed-policy loader that knows no policy: every role here is written out.
4. The resource types moto's CloudFormation cannot create (GAPS, below, each with its reason) are taken out;
   references to them become placeholders; the rest is created on moto's CloudFormation from the template's S3 URL.
5. What the taken-out resources' own APIs allow is applied to the created stack (bucket and queue policies, the
   alarm subscription, alarms, the API stage, CloudFront), and so are properties moto's CloudFormation drops
   silently (DROPPED, below).

It ends with the counts: created by CloudFormation, covered another way, left out with the reason. Nothing here
proves IAM, KMS key policies, CloudFront behaviour or quotas: moto accepts what AWS would refuse.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import io
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from moto import mock_aws
from moto.cloudformation.parsing import get_model_map
from samtranslator.translator.transform import transform as sam_transform  # type: ignore[import-untyped]

from infra import deploy_checks
from infra.template import load_template

ROOT = Path(__file__).resolve().parents[1]
REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's
ARTIFACTS_BUCKET = "omjr-rehearsal-artifacts"

# Resource types moto's CloudFormation cannot create, why, and whether their service's API covers them here;
# in the order they are applied (what a distribution or a policy names comes first).
GAPS: dict[str, tuple[str, bool]] = {
    "AWS::CloudFront::OriginAccessControl": ("moto's CloudFormation has no CloudFront; CloudFront's API", True),
    "AWS::CloudFront::ResponseHeadersPolicy": (
        "moto has no response headers policies, in CloudFormation or API",
        False,
    ),
    "AWS::CloudFront::Distribution": ("moto's CloudFormation has no CloudFront; created with CloudFront's API", True),
    "AWS::CloudWatch::Alarm": ("moto's CloudFormation cannot create alarms; created with PutMetricAlarm", True),
    "AWS::S3::BucketPolicy": ("moto's CloudFormation has no bucket policies; applied with PutBucketPolicy", True),
    "AWS::SQS::QueuePolicy": ("moto's CloudFormation has no queue policies; applied with SetQueueAttributes", True),
    "AWS::SNS::Subscription": ("moto's CloudFormation has no SNS subscriptions; made with Subscribe", True),
    # moto ignores a RestApi's Body and imports no Swagger 2.0 (Chalice writes 2.0): its API has no method,
    # and moto refuses to deploy an API without one. Routes and gateway responses are unit-tested instead.
    "AWS::ApiGateway::Deployment": ("moto's API has no methods (Body ignored), and moto deploys none without", False),
    "AWS::ApiGateway::Stage": ("moto's CloudFormation has no API stage, and there is no deployment to stage", False),
}
# Properties moto's CloudFormation accepts and drops without a word, and what the rehearsal does about them.
DROPPED = {
    "AWS::S3::Bucket": "public access block, lifecycle rules, CORS, notifications: applied with S3's API",
    "AWS::DynamoDB::Table": "point-in-time recovery and TTL: applied with DynamoDB's API",
    "AWS::Lambda::Function": "layers, ephemeral storage, tracing: not checked (moto keeps no such setting)",
    "AWS::ApiGateway::RestApi": "the OpenAPI body (routes, gateway responses): not checked; cfn-lint and the "
    "gateway-responses unit test read it",
    "AWS::KMS::Key": "the key policy is stored, never enforced: whether CloudWatch may use it is deploy_checks' job",
}
PSEUDO = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT_ID,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
}


class _NoManagedPolicies:
    """aws-sam-translator's managed-policy loader, offline: every role of this stack is written out in full."""

    def load(self) -> dict[str, str]:
        return {}


def package(template: dict[str, Any], build_dir: Path, s3: Any) -> dict[str, Any]:
    """What `aws cloudformation package` does: local zips to the artifacts bucket, their URIs rewritten."""
    packaged = copy.deepcopy(template)
    for resource in packaged["Resources"].values():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            local = properties.get(key)
            if isinstance(local, str) and not local.startswith("s3://"):
                data = (build_dir / local).read_bytes()
                object_key = hashlib.md5(data, usedforsecurity=False).hexdigest()
                s3.put_object(Bucket=ARTIFACTS_BUCKET, Key=object_key, Body=data)
                properties[key] = f"s3://{ARTIFACTS_BUCKET}/{object_key}"
    return packaged


def transform(template: dict[str, Any], parameters: dict[str, str]) -> dict[str, Any]:
    """The SAM transform, offline."""
    transformed: dict[str, Any] = sam_transform(template, parameters, _NoManagedPolicies())
    return transformed


def placeholder(logical_id: str, attribute: str | None = None) -> str:
    return f"rehearsal-{logical_id}" + (f"-{attribute}" if attribute else "")


def _without(value: Any, removed: set[str]) -> Any:
    """`value` with every reference to a removed resource replaced by its placeholder."""
    if isinstance(value, list):
        return [_without(item, removed) for item in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"} and value["Ref"] in removed:
        return placeholder(value["Ref"])
    if set(value) == {"Fn::GetAtt"} and value["Fn::GetAtt"][0] in removed:
        return placeholder(*value["Fn::GetAtt"][:2])
    if set(value) == {"Fn::Sub"}:
        text, variables = (value["Fn::Sub"], {}) if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"]
        for logical_id in removed:
            text = _sub_placeholders(text, logical_id)
        return {"Fn::Sub": text if not variables else [text, _without(variables, removed)]}
    return {key: _without(item, removed) for key, item in value.items()}


def _sub_placeholders(text: str, logical_id: str) -> str:
    """`${X}` and `${X.Attribute}` of a removed resource X, in an Fn::Sub string, replaced by placeholders."""
    pattern = r"\$\{" + re.escape(logical_id) + r"(?:\.(\w+))?\}"
    return re.sub(pattern, lambda match: placeholder(logical_id, match.group(1)), text)


def split(template: dict[str, Any], creatable: set[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the template moto's CloudFormation can create, the resources taken out of it, by logical id)."""
    resources = template["Resources"]
    unknown = sorted({r["Type"] for r in resources.values()} - creatable - set(GAPS))
    if unknown:
        raise SystemExit(f"moto's CloudFormation cannot create {unknown}: add them to GAPS in {__file__} with a reason")
    removed = {name: r for name, r in resources.items() if r["Type"] in GAPS}
    kept = _without({k: v for k, v in template.items() if k != "Resources"}, set(removed))
    kept["Resources"] = {}
    for name, resource in resources.items():
        if name in removed:
            continue
        rewritten = _without(resource, set(removed))
        depends = rewritten.get("DependsOn")
        if depends is not None:
            depends = [depends] if isinstance(depends, str) else depends
            rewritten["DependsOn"] = [d for d in depends if d not in removed]
        kept["Resources"][name] = rewritten
    return kept, removed


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


APPLY: dict[str, Callable[[Callable[[str], Any], str, dict[str, Any], Resolver], str]] = {
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


def rehearse(build_dir: Path, stage: str, stack_name: str) -> Outcome:
    """Package, transform, create on moto's CloudFormation, apply the rest: what became of each resource."""
    parameters = {"Stage": stage, "AlarmEmail": "ops@example.org", "WebsiteOrigin": "https://films.example.org"}
    outcome = Outcome()
    with mock_aws():
        session = boto3.session.Session(region_name=REGION)
        s3 = session.client("s3")
        s3.create_bucket(Bucket=ARTIFACTS_BUCKET)
        packaged = package(load_template(build_dir / "sam.yaml"), build_dir, s3)
        outcome.phases["package (zips to S3)"] = time.monotonic()
        transformed = transform(packaged, parameters)
        outcome.phases["SAM transform"] = time.monotonic()
        kept, removed = split(transformed, set(get_model_map()))
        # Through the bucket, as the documented deploy does: a template body over 51,200 bytes is refused.
        s3.put_object(Bucket=ARTIFACTS_BUCKET, Key=f"{stack_name}.json", Body=json.dumps(kept).encode())
        cloudformation = session.client("cloudformation")
        cloudformation.create_stack(
            StackName=stack_name,
            TemplateURL=f"https://{ARTIFACTS_BUCKET}.s3.amazonaws.com/{stack_name}.json",
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
        )
        [stack] = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
        if stack["StackStatus"] != "CREATE_COMPLETE":
            raise SystemExit(f"moto's CloudFormation: {stack['StackStatus']} {stack.get('StackStatusReason', '')}")
        outcome.phases["create on moto's CloudFormation"] = time.monotonic()
        made = cloudformation.describe_stack_resources(StackName=stack_name)["StackResources"]
        outcome.created = sorted(r["LogicalResourceId"] for r in made)
        resolve = Resolver(
            stack_name,
            parameters,
            conditions_of(transformed, parameters),
            {r["LogicalResourceId"]: r.get("PhysicalResourceId", "") for r in made},
            {name: r["Type"] for name, r in transformed["Resources"].items()},
        )
        for logical_id in sorted(set(kept["Resources"]) - set(outcome.created)):
            outcome.left_out[logical_id] = "moto's CloudFormation skipped it without an error"
        apply_removed(session, removed, resolve, outcome)
        # The uploads bucket's notification sends S3's test event to its queue, and moto then runs the validation
        # function on it in a Docker container there is none of: its complaints say nothing about the template.
        with contextlib.redirect_stdout(io.StringIO()):
            logging.getLogger("moto.awslambda").setLevel(logging.CRITICAL)
            apply_dropped(session, kept, resolve, outcome)
        outcome.phases["apply through the APIs"] = time.monotonic()
    return outcome


def report(outcome: Outcome, started: float) -> str:
    ends = list(outcome.phases.values())
    spans = [
        f"{name} {end - start:.1f} s"
        for (name, end), start in zip(outcome.phases.items(), [started, *ends], strict=False)
    ]
    lines = [
        f"created by moto's CloudFormation: {len(outcome.created)}",
        f"covered another way (their service's API): {len(outcome.covered)}",
        *(f"  {name}: {call}" for name, call in sorted(outcome.covered.items())),
        f"left out: {len(outcome.left_out)}",
        *(f"  {name}: {why}" for name, why in sorted(outcome.left_out.items())),
        "applied with S3's and DynamoDB's APIs:",
        *(f"  {line}" for line in outcome.applied),
        "settings moto's CloudFormation drops without a word, and what the rehearsal did about them:",
        *(f"  {kind}: {what}" for kind, what in DROPPED.items()),
        "not checked by moto at all (AWS may still refuse): IAM policies, the KMS key policy, quotas (reserved",
        "  concurrency), CloudFront behaviour, the API's routes: see docs/DEPLOY.md, pre-flight",
        f"rehearsal took {time.monotonic() - started:.1f} s: " + ", ".join(spans),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The deploy rehearsal (make deploy-check)")
    parser.add_argument("build_dir", type=Path, help="what `make package` wrote: build/STAGE")
    parser.add_argument("--stage", required=True, help="the stage it was packaged for (dev, prod)")
    parser.add_argument("--deploy-doc", type=Path, default=ROOT / "docs" / "DEPLOY.md")
    args = parser.parse_args(argv)
    started = time.monotonic()
    template_path = args.build_dir / "sam.yaml"
    faults = deploy_checks.check_all(load_template(template_path), args.stage)
    faults += deploy_checks.check_deploy_route(
        template_path.stat().st_size, deploy_checks.deploy_commands(args.deploy_doc.read_text())
    )
    if faults:
        print(f"{template_path}: {len(faults)} fault(s) AWS or an operator would trip on:", file=sys.stderr)
        print("\n".join(f"- {fault}" for fault in faults), file=sys.stderr)
        return 1
    print(f"{template_path}: the deploy checks pass (infra/deploy_checks.py)")
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ[variable] = "testing"  # moto's; never a real account's
    outcome = rehearse(args.build_dir, args.stage, f"omjr-{args.stage}")
    print(report(outcome, started))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
