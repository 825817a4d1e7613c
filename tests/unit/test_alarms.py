"""The alarms (infra/alarms.py, generated into infra/resources.yaml): each watches a metric the code emits, with
the dimensions it emits (the stage included), and none pages for a deliberate retry."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib import observability
from chalicelib.config import METRICS_NAMESPACE, SERVICE_NAME
from infra import alarms
from infra.template import TEMPLATE, load_template
from local.lambda_context import LocalLambdaContext

ROOT = Path(__file__).resolve().parents[2]
CONFIG = json.loads((ROOT / ".chalice" / "config.json").read_text())
RESOURCES = load_template()["Resources"]
ALARMS = {name: r["Properties"] for name, r in RESOURCES.items() if r.get("Type") == "AWS::CloudWatch::Alarm"}
CUSTOM = {name: a for name, a in ALARMS.items() if a["Namespace"] == METRICS_NAMESPACE}
# Emitted by the `order` branch of this round (issue 20 item 3, issue 22): strict, so the marker goes once merged.


def emitted_metric_names() -> set[str]:
    """Every metric name the code emits: the literal names passed to `count` and `measure`, and FilmsRejected."""
    names = {"FilmsRejected"}
    for path in [ROOT / "app.py", *(ROOT / "chalicelib").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"count", "measure"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(str(node.args[0].value))
    return names


def test_the_template_holds_what_the_generator_writes():
    assert alarms.current_block(TEMPLATE.read_text()) == alarms.render(), "run python -m infra.alarms --write"


def test_each_alarm_is_written_once_and_pages_the_topic():
    generated = [name for name, r in RESOURCES.items() if r.get("Type") == "AWS::CloudWatch::Alarm"]
    assert sorted(generated) == sorted(alarm.logical_id for alarm in alarms.ALARMS)
    for alarm in ALARMS.values():
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}] and alarm["OKActions"] == [{"Ref": "AlarmTopic"}]
        assert "Runbook: docs/OPERATIONS.md" in alarm["AlarmDescription"]


@pytest.mark.parametrize("metric", sorted({a["MetricName"] for a in CUSTOM.values()}))
def test_each_custom_metric_alarmed_on_is_one_the_code_emits(metric):
    assert metric in emitted_metric_names()


@pytest.fixture(autouse=True)
def _no_stage_left_behind():
    """Powertools' Metrics keep their default dimensions process-wide: each test starts and ends without one."""
    yield
    observability.metrics.clear_default_dimensions()
    observability.metrics.clear_metrics()


def emitted(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, stage: str, metric: str) -> dict:
    """The dimensions `count(metric)` is published with by a function of `stage`, read from its EMF log line."""
    monkeypatch.setenv("STAGE", stage)

    def handler(event: dict[str, Any], context: Any) -> None:
        observability.count(metric)

    observability.observed(handler)({}, LocalLambdaContext("sweep_stuck_films", 60))
    for line in capsys.readouterr().out.splitlines():
        if line.startswith("{") and metric in (record := json.loads(line)):
            [dimension_names] = record["_aws"]["CloudWatchMetrics"][0]["Dimensions"]
            return {name: record[name] for name in dimension_names}
    raise AssertionError(f"{metric} was not published")


@pytest.mark.parametrize("name", sorted(CUSTOM))
def test_each_custom_alarm_has_the_dimensions_the_metric_is_published_with(name, capsys, monkeypatch):
    alarm = CUSTOM[name]
    stack_parameters = {"Stage": "prod"}
    expected = {
        d["Name"]: stack_parameters[d["Value"]["Ref"]] if isinstance(d["Value"], dict) else d["Value"]
        for d in alarm["Dimensions"]
    }
    assert expected == emitted(capsys, monkeypatch, "prod", alarm["MetricName"])
    assert expected == {"service": SERVICE_NAME, "stage": "prod"}


def test_a_dev_stack_publishes_under_another_stage_than_prods_alarms_watch(capsys, monkeypatch):
    assert emitted(capsys, monkeypatch, "dev", "FilmsFailed")["stage"] == "dev"


def test_each_aws_metric_alarm_watches_this_stacks_own_resources():
    # AWS publishes these under the resource's name: a name made from the stack (a Ref, a GetAtt, a Sub of the
    # stack's name) is this stack's; a literal would be every stack's. The API's stage is Chalice's, per stage.
    api_stages = {CONFIG["stages"][stage]["api_gateway_stage"] for stage in ("dev", "prod")}
    for name, alarm in ALARMS.items():
        if alarm["Namespace"] == METRICS_NAMESPACE:
            continue
        for dimension in alarm["Dimensions"]:
            value = dimension["Value"]
            if dimension["Name"] == "Stage":
                assert api_stages == {value}, name
            else:
                assert "Ref" in value or "Fn::GetAtt" in value or "AWS::StackName" in value.get("Fn::Sub", ""), name


def test_nothing_pages_for_a_lambda_error_or_throttle():
    # A film sent back to its queue for a retry is a Lambda error; a throttle is a retry Lambda makes itself.
    watched = {(a["Namespace"], a["MetricName"]) for a in ALARMS.values()}
    assert not watched & {("AWS/Lambda", "Errors"), ("AWS/Lambda", "Throttles")}


def test_what_a_person_must_act_on_pages():
    watched = {(a["Namespace"], a["MetricName"], json.dumps(a["Dimensions"])) for a in ALARMS.values()}
    for queue in ("UploadsDeadLetterQueue", "TranscodeDeadLetterQueue", "ProtectDeadLetterQueue"):
        dims = json.dumps([{"Name": "QueueName", "Value": {"Fn::GetAtt": [queue, "QueueName"]}}])
        assert ("AWS/SQS", "ApproximateNumberOfMessagesVisible", dims) in watched
    names = {a["MetricName"] for a in ALARMS.values()}
    assert {
        "FilmsFailed",
        "SourceDeletionsFailed",
        "SweepsCompleted",
        "5XXError",
        "TakedownsUnfinished",
        "MediaExposureUnfinished",
    } <= names
    heartbeat = ALARMS["SweepHeartbeatAlarm"]
    assert heartbeat["TreatMissingData"] == "breaching", "a sweep that stopped sends no data at all"
    assert heartbeat["ComparisonOperator"] == "LessThanThreshold"
    api = ALARMS["Api5xxAlarm"]["Dimensions"]
    assert api == [
        {"Name": "ApiName", "Value": {"Fn::Sub": "${AWS::StackName}-api"}},
        {"Name": "Stage", "Value": "api"},
    ]


def test_the_dashboard_shows_only_this_stages_custom_metrics():
    body = RESOURCES["OperationsDashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    widgets = json.loads(body)["widgets"]
    titles = [widget["properties"]["title"] for widget in widgets]
    assert titles[:4] == ["Funnel: uploads to published", "Rejections by reason", "Stage latency (p90)", "Queue depths"]
    for widget in widgets:
        for row in widget["properties"]["metrics"]:
            if row[0] == METRICS_NAMESPACE:
                assert row[2:6] == ["service", SERVICE_NAME, "stage", "${Stage}"], row
            elif isinstance(row[0], dict):
                assert 'stage="${Stage}"' in row[0]["expression"]
