"""What real CloudFormation, CloudWatch or an operator would trip on, checked on the packaged template.

No emulator shows these (moto creates the stack either way): each check reads the template that
`make package` wrote (SAM, intrinsic functions in their long form) and returns the faults it finds, each a
sentence naming the resource and what would go wrong on AWS. `make deploy-check` (infra/rehearsal.py)
runs them all; tests/unit/test_deploy_checks.py shows each failing on a fixture that has its fault.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

Template = dict[str, Any]

# Kept when the stack is deleted or the resource replaced: the films' records and the published films.
RETAINED = {"CatalogTable": "every film's record", "MediaBucket": "every published film"}
API_GATEWAY_LIMIT_S = 29  # a REST integration is cut at 29 s; on an edge-optimized API it cannot be raised
TEMPLATE_BODY_LIMIT = 51_200  # bytes: `aws cloudformation deploy` needs --s3-bucket above this
CLOUDWATCH = "cloudwatch.amazonaws.com"


def _resources(template: Template) -> dict[str, Any]:
    resources: dict[str, Any] = template.get("Resources", {})
    return resources


def _of_type(template: Template, *types: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for logical_id, resource in _resources(template).items():
        if resource.get("Type") in types:
            yield logical_id, resource.get("Properties", {})


def _names_the_stack(value: Any) -> bool:
    return "AWS::StackName" in json.dumps(value)


def check_retained(template: Template) -> list[str]:
    faults = []
    for logical_id, what in RETAINED.items():
        resource = _resources(template).get(logical_id)
        if resource is None:
            faults.append(f"{logical_id}: not in the template")
            continue
        for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
            if resource.get(policy) != "Retain":
                faults.append(
                    f"{logical_id} has no {policy}: Retain: deleting or replacing the stack would delete {what}"
                )
    return faults


def _allows_cloudwatch(key_policy: Any) -> bool:
    for statement in key_policy.get("Statement", []) if isinstance(key_policy, dict) else []:
        services = statement.get("Principal", {}).get("Service", []) if isinstance(statement, dict) else []
        services = [services] if isinstance(services, str) else services
        actions = statement.get("Action", [])
        actions = {actions} if isinstance(actions, str) else set(actions)
        admits = "kms:*" in actions or {"kms:Decrypt", "kms:GenerateDataKey*"} <= actions
        if statement.get("Effect") == "Allow" and CLOUDWATCH in services and admits:
            return True
    return False


def check_alarm_topic(template: Template) -> list[str]:
    """Every topic an alarm notifies is one CloudWatch can publish to: unencrypted, or under a key that admits it."""
    resources = _resources(template)
    topics = {
        action["Ref"]
        for _, alarm in _of_type(template, "AWS::CloudWatch::Alarm")
        for action in [*alarm.get("AlarmActions", []), *alarm.get("OKActions", [])]
        if isinstance(action, dict) and "Ref" in action
    }
    if not topics:
        return ["no alarm notifies a topic: no alarm would reach anyone"]
    faults = []
    for topic in sorted(topics):
        key = resources.get(topic, {}).get("Properties", {}).get("KmsMasterKeyId")
        if key is None:
            continue
        target = resources.get(key["Ref"], {}) if isinstance(key, dict) and "Ref" in key else {}
        if target.get("Type") != "AWS::KMS::Key":
            faults.append(
                f"{topic} is encrypted with {json.dumps(key)}, a key whose policy this stack does not write "
                "(alias/aws/sns is AWS-managed): CloudWatch cannot publish to it, so no alarm would arrive. "
                f"Use a customer-managed key whose policy admits {CLOUDWATCH}, or no encryption"
            )
        elif not _allows_cloudwatch(target.get("Properties", {}).get("KeyPolicy")):
            faults.append(
                f"{topic}'s key {key['Ref']} does not allow {CLOUDWATCH} kms:Decrypt and kms:GenerateDataKey*: "
                "CloudWatch cannot publish to the topic, so no alarm would arrive"
            )
    return faults


def _function_setting(template: Template, properties: dict[str, Any], name: str) -> Any:
    globals_ = template.get("Globals", {}).get("Function", {})
    return properties.get(name, globals_.get(name))


def check_api_timeout(template: Template) -> list[str]:
    """The functions behind the REST API end within API Gateway's 29 s."""
    apis = [
        json.dumps(api.get("DefinitionBody", api.get("Body", {})))
        for _, api in _of_type(template, "AWS::Serverless::Api", "AWS::ApiGateway::RestApi")
    ]
    faults = []
    for logical_id, function in _of_type(template, "AWS::Serverless::Function", "AWS::Lambda::Function"):
        if not any(f"{logical_id}.Arn" in api for api in apis):
            continue
        timeout = _function_setting(template, function, "Timeout") or 3
        if int(timeout) > API_GATEWAY_LIMIT_S:
            faults.append(
                f"{logical_id}'s Timeout is {timeout} s, longer than API Gateway's {API_GATEWAY_LIMIT_S} s: "
                "callers get a 504 while the function goes on (lambda_timeout of api_handler, .chalice/config.json)"
            )
    return faults


def check_sqs_concurrency(template: Template) -> list[str]:
    """A function with reserved concurrency caps its SQS event source at 2..reserved concurrent runs."""
    faults = []
    for logical_id, function in _of_type(template, "AWS::Serverless::Function"):
        reserved = function.get("ReservedConcurrentExecutions")
        for event in function.get("Events", {}).values():
            if reserved is None or event.get("Type") != "SQS":
                continue
            maximum = event.get("Properties", {}).get("ScalingConfig", {}).get("MaximumConcurrency")
            if maximum is None:
                faults.append(
                    f"{logical_id} has reserved concurrency {reserved} but its SQS event source no "
                    "ScalingConfig.MaximumConcurrency: Lambda's pollers take more messages than it may run and "
                    "throttle them back, and films reach the dead-letter queue without running "
                    "(its stage's max_concurrency in chalicelib/domain/stages.py)"
                )
            elif not 2 <= int(maximum) <= int(reserved):
                faults.append(
                    f"{logical_id}'s SQS MaximumConcurrency is {maximum}, outside 2..{reserved} (its reserved "
                    "concurrency): above it, messages are throttled back to the queue until the dead-letter queue; "
                    "2 is the least SQS allows"
                )
    return faults


def check_names_per_stack(template: Template) -> list[str]:
    """Layers and the REST API carry the stack's name: dev's never replace or mix with prod's."""
    faults = []
    for logical_id, layer in _of_type(template, "AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion"):
        if not _names_the_stack(layer.get("LayerName")):
            faults.append(
                f"{logical_id} has no LayerName made from the stack's name: it would be named {logical_id} in every "
                "stack, so dev's and prod's versions share one layer"
            )
    for logical_id, api in _of_type(template, "AWS::Serverless::Api", "AWS::ApiGateway::RestApi"):
        if not _names_the_stack(api.get("Name")):
            faults.append(
                f"{logical_id} has no Name made from the stack's name: every stack's API is named after the app, "
                "and API Gateway's metrics (5XXError by ApiName) mix dev and prod"
            )
    return faults


def _api_stages(template: Template) -> set[str]:
    return {str(api.get("StageName")) for _, api in _of_type(template, "AWS::Serverless::Api") if "StageName" in api}


def _dimension_faults(where: str, dimensions: list[dict[str, Any]], namespace: str, api_stages: set[str]) -> list[str]:
    names = {d.get("Name"): d.get("Value") for d in dimensions}
    if not namespace.startswith("AWS/"):
        if names.get("stage") != {"Ref": "Stage"}:
            return [f"{where}: its {namespace} metric has no stage dimension (Ref Stage): it would mix dev and prod"]
        return []
    faults = []
    for name, value in names.items():
        if name == "Stage" and namespace == "AWS/ApiGateway":
            if value not in api_stages:
                faults.append(f"{where}: API stage {value!r} is not the REST API's stage {sorted(api_stages)}")
        elif not isinstance(value, dict):
            faults.append(f"{where}: dimension {name}={value!r} names no resource of this stack")
    return faults


def check_stage_everywhere(template: Template, stage: str) -> list[str]:
    """Functions publish under `stage`; every alarm and the dashboard watch this stage's and this stack's metrics."""
    faults = []
    if "Stage" not in template.get("Parameters", {}):
        faults.append("the template has no Stage parameter: alarms cannot tell dev's metrics from prod's")
    globals_env = template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    for logical_id, function in _of_type(template, "AWS::Serverless::Function"):
        env = {**globals_env, **function.get("Environment", {}).get("Variables", {})}
        if env.get("STAGE") != stage:
            faults.append(
                f"{logical_id} publishes its metrics under stage {env.get('STAGE')!r}, not {stage!r} (the Stage "
                "its alarms watch): they would never fire"
            )
    api_stages = _api_stages(template)
    for logical_id, alarm in _of_type(template, "AWS::CloudWatch::Alarm"):
        faults += _dimension_faults(logical_id, alarm.get("Dimensions", []), alarm.get("Namespace", ""), api_stages)
    for logical_id, dashboard in _of_type(template, "AWS::CloudWatch::Dashboard"):
        faults += _dashboard_faults(logical_id, dashboard.get("DashboardBody"))
    return faults


def _dashboard_faults(logical_id: str, body: Any) -> list[str]:
    text = body.get("Fn::Sub") if isinstance(body, dict) else body
    if not isinstance(text, str):
        return [f"{logical_id}: its body is not a string or an Fn::Sub of one"]
    faults = []
    for widget in json.loads(text).get("widgets", []):
        title = widget.get("properties", {}).get("title", "?")
        for row in widget.get("properties", {}).get("metrics", []):
            if row and isinstance(row[0], dict):
                if 'stage="${Stage}"' not in row[0].get("expression", ""):
                    faults.append(f"{logical_id} ({title}): a search that does not keep to stage ${{Stage}}")
            elif row and not str(row[0]).startswith("AWS/"):
                pairs = dict(zip(row[2::2], row[3::2], strict=False))
                if pairs.get("stage") != "${Stage}":
                    faults.append(f"{logical_id} ({title}): {row[1]} without its stage dimension")
            elif row and not any("${" in str(cell) for cell in row[2:]):
                faults.append(f"{logical_id} ({title}): {row[1]} names no resource of this stack")
    return faults


# A command line (not a mention in prose): the line starts with it; continuation lines end in a backslash.
_DEPLOY = re.compile(r"^[ \t]*(aws cloudformation deploy (?:[^\n]*\\\n)*[^\n]*)", re.MULTILINE)


def deploy_commands(markdown: str) -> list[str]:
    """The `aws cloudformation deploy` commands of a document, continuation lines joined."""
    return [re.sub(r"\\\n\s*", " ", command) for command in _DEPLOY.findall(markdown)]


def check_deploy_route(template_bytes: int, commands: list[str]) -> list[str]:
    """A template over 51,200 bytes is deployed through an S3 bucket (--s3-bucket), or CloudFormation refuses it."""
    if template_bytes <= TEMPLATE_BODY_LIMIT:
        return []
    if not commands:
        return ["the deploy documentation has no `aws cloudformation deploy` command"]
    return [
        f"`{command[:80]}...` has no --s3-bucket: the template is {template_bytes:,} bytes, and CloudFormation "
        f"refuses a template body over {TEMPLATE_BODY_LIMIT:,}"
        for command in commands
        if "--s3-bucket" not in command
    ]


def check_all(template: Template, stage: str) -> list[str]:
    """Every check of the template itself (the deploy route is checked against the documentation separately)."""
    return [
        *check_retained(template),
        *check_alarm_topic(template),
        *check_api_timeout(template),
        *check_sqs_concurrency(template),
        *check_names_per_stack(template),
        *check_stage_everywhere(template, stage),
    ]
