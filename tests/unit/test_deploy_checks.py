"""The deploy rehearsal's checks (infra/deploy_checks.py): each fails, naming the fault, on a fixture that has it,
and passes on one that has none. `make deploy-check` runs them on the packaged template itself."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import pytest

from infra import deploy_checks, rehearsal
from infra.alarms import resources as generated_resources
from infra.template import load_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = load_template()
RETAIN = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}


def sqs_function(reserved: int, maximum: int | None) -> dict[str, Any]:
    scaling = {} if maximum is None else {"ScalingConfig": {"MaximumConcurrency": maximum}}
    return {
        "Type": "AWS::Serverless::Function",
        "Properties": {
            "Timeout": 900,
            "ReservedConcurrentExecutions": reserved,
            "Environment": {"Variables": {"STAGE": "prod"}},
            "Events": {"Queue": {"Type": "SQS", "Properties": {"BatchSize": 1, **scaling}}},
        },
    }


def fixed() -> dict[str, Any]:
    """A packaged template with none of the faults, shaped as `make package` writes it (long-form intrinsics)."""
    resources: dict[str, Any] = {
        "CatalogTable": {"Type": "AWS::DynamoDB::Table", **RETAIN, "Properties": {}},
        "MediaBucket": {"Type": "AWS::S3::Bucket", **RETAIN, "Properties": {}},
        "AlarmTopic": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Ref": "AlarmTopicKey"}}},
        "AlarmTopicKey": {
            "Type": "AWS::KMS::Key",
            "Properties": {
                "KeyPolicy": {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "cloudwatch.amazonaws.com"},
                            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                            "Resource": "*",
                        }
                    ]
                }
            },
        },
        "APIHandler": {
            "Type": "AWS::Serverless::Function",
            "Properties": {"Timeout": 28, "Environment": {"Variables": {"STAGE": "prod"}}},
        },
        "RestAPI": {
            "Type": "AWS::Serverless::Api",
            "Properties": {
                "Name": {"Fn::Sub": "${AWS::StackName}-api"},
                "StageName": "api",
                "DefinitionBody": {"paths": {"/": {"get": {"uri": {"Fn::Sub": "...${APIHandler.Arn}/invocations"}}}}},
            },
        },
        "TranscodeFilm": sqs_function(10, 10),
        "ProtectFilm": sqs_function(5, 5),
        "FfmpegLayer": {
            "Type": "AWS::Serverless::LayerVersion",
            "Properties": {"LayerName": {"Fn::Sub": "${AWS::StackName}-ffmpeg"}},
        },
    }
    # The real alarms and dashboard, as infra/alarms.py generates them into infra/resources.yaml.
    resources.update({name: copy.deepcopy(TEMPLATE["Resources"][name]) for name in generated_resources()})
    return {"Parameters": {"Stage": {"Type": "String"}}, "Resources": resources}


def faults_of(template: dict[str, Any]) -> list[str]:
    return deploy_checks.check_all(template, "prod")


def test_the_fixed_template_passes():
    assert faults_of(fixed()) == []


def with_change(change) -> dict[str, Any]:
    template = copy.deepcopy(fixed())
    change(template["Resources"])
    return template


def test_an_alarm_topic_under_the_aws_managed_key_fails():
    def aws_managed(r):
        r["AlarmTopic"]["Properties"]["KmsMasterKeyId"] = "alias/aws/sns"

    [fault] = faults_of(with_change(aws_managed))
    assert "AlarmTopic" in fault and "alias/aws/sns" in fault and "CloudWatch cannot publish" in fault


def test_a_key_that_does_not_admit_cloudwatch_fails_and_no_encryption_passes():
    def closed_key(r):
        r["AlarmTopicKey"]["Properties"]["KeyPolicy"]["Statement"][0]["Principal"] = {"Service": "sns.amazonaws.com"}

    [fault] = faults_of(with_change(closed_key))
    assert "does not allow cloudwatch.amazonaws.com" in fault
    assert faults_of(with_change(lambda r: r["AlarmTopic"]["Properties"].pop("KmsMasterKeyId"))) == []


@pytest.mark.parametrize("logical_id", ["CatalogTable", "MediaBucket"])
def test_no_retain_fails(logical_id):
    faults = faults_of(with_change(lambda r: r[logical_id].pop("DeletionPolicy")))
    assert faults == [faults[0]] and f"{logical_id} has no DeletionPolicy: Retain" in faults[0]


def test_a_60_second_api_timeout_fails():
    def long_api(r):
        r["APIHandler"]["Properties"]["Timeout"] = 60

    [fault] = faults_of(with_change(long_api))
    assert "APIHandler's Timeout is 60 s" in fault and "29 s" in fault


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [(None, "no ScalingConfig.MaximumConcurrency"), (11, "MaximumConcurrency is 11, outside 2..10"), (1, "is 1")],
)
def test_a_missing_or_out_of_range_maximum_concurrency_fails(maximum, expected):
    def change(r):
        r["TranscodeFilm"] = sqs_function(10, maximum)

    [fault] = faults_of(with_change(change))
    assert fault.startswith("TranscodeFilm") and expected in fault


def test_shared_layer_and_api_names_fail():
    def shared(r):
        r["FfmpegLayer"]["Properties"].pop("LayerName")
        r["RestAPI"]["Properties"].pop("Name")

    faults = faults_of(with_change(shared))
    assert [f.split(" ")[0] for f in faults] == ["FfmpegLayer", "RestAPI"]


def test_metrics_alarms_and_dashboard_without_the_stage_fail():
    def stageless(r):
        dims = r["FilmsFailedAlarm"]["Properties"]["Dimensions"]
        r["FilmsFailedAlarm"]["Properties"]["Dimensions"] = [d for d in dims if d["Name"] != "stage"]
        r["ProtectFilm"]["Properties"]["Environment"]["Variables"]["STAGE"] = "dev"
        body = r["OperationsDashboard"]["Properties"]["DashboardBody"]
        body["Fn::Sub"] = body["Fn::Sub"].replace(', "stage", "${Stage}"', "", 1)

    faults = faults_of(with_change(stageless))
    assert len(faults) == 3
    assert any(f.startswith("FilmsFailedAlarm") and "no stage dimension" in f for f in faults)
    assert any(f.startswith("ProtectFilm publishes its metrics under stage 'dev'") for f in faults)
    assert any(f.startswith("OperationsDashboard (Funnel") for f in faults)


def test_an_api_alarm_on_another_stage_fails():
    def other_stage(r):
        r["RestAPI"]["Properties"]["StageName"] = "prod"

    [fault] = faults_of(with_change(other_stage))
    assert fault.startswith("Api5xxAlarm") and "'api' is not the REST API's stage" in fault


def test_an_over_size_template_without_a_bucket_fails():
    without = "aws cloudformation deploy --template-file t.yaml \\\n    --stack-name s --capabilities CAPABILITY_IAM"
    [fault] = deploy_checks.check_deploy_route(114_000, deploy_commands := deploy_checks.deploy_commands(without))
    assert "has no --s3-bucket" in fault and "114,000 bytes" in fault
    assert deploy_checks.check_deploy_route(50_000, deploy_commands) == []
    assert deploy_checks.check_deploy_route(114_000, [deploy_commands[0] + " --s3-bucket artifacts"]) == []


def test_the_documented_deploy_goes_through_a_bucket():
    commands = deploy_checks.deploy_commands((ROOT / "docs" / "DEPLOY.md").read_text())
    assert commands and deploy_checks.check_deploy_route(120_000, commands) == []


def test_make_deploy_check_stops_naming_the_faults_before_creating_anything(tmp_path, capsys):
    # What `make deploy-check` runs, on a build whose template has two faults and a deploy doc with no bucket.
    template = with_change(lambda r: r["AlarmTopic"]["Properties"].update(KmsMasterKeyId="alias/aws/sns"))
    template["Description"] = "x" * 60_000  # over CloudFormation's 51,200 bytes for a template body
    (tmp_path / "sam.yaml").write_text(json.dumps(template))
    doc = tmp_path / "DEPLOY.md"
    doc.write_text("```sh\naws cloudformation deploy --template-file packaged.yaml --stack-name omjr-prod\n```\n")
    assert rehearsal.main([str(tmp_path), "--stage", "prod", "--deploy-doc", str(doc)]) == 1
    printed = capsys.readouterr().err
    assert "2 fault(s)" in printed and "alias/aws/sns" in printed and "has no --s3-bucket" in printed


def test_the_rehearsals_report_ends_with_its_verdict_and_what_comes_next():
    # The report is long (every resource, every gap): its last line is the one a reader looks for.
    outcome = rehearsal.Outcome(created=["CatalogTable"], left_out={"RestAPIapiStage": "no stage in moto"})
    last = rehearsal.report(outcome, time.monotonic(), "omjr-prod").splitlines()[-1]
    assert last.startswith("the deploy rehearsal passed: omjr-prod was created offline")
    assert "docs/DEPLOY.md" in last
