"""The stage registry (chalicelib/domain/stages.py) agrees with the template, app.py and the functions' settings,
and recovery has an answer for every status a film is processed in: a status without one fails loudly."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from chalice.app import SQSEventConfig

import app as app_module
from chalicelib.config import Settings
from chalicelib.domain import stages
from chalicelib.domain.film import PROCESSING, Film, Status, can_transition
from chalicelib.domain.stages import STAGES, Message, NoStageError, stage_after, stage_for
from chalicelib.domain.sweep import SweepLimits
from chalicelib.services import recovery
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.stage_messages import service_of
from infra import alarms
from infra.template import load_template
from local import iam
from local.resources import ROOT
from tests.fakes.queue import InMemoryQueue

TEMPLATE = load_template()
RESOURCES = TEMPLATE["Resources"]
CONFIG = json.loads((ROOT / ".chalice" / "config.json").read_text())
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_every_stage_has_its_queue_and_dead_letter_queue_in_the_template(stage):
    queue = RESOURCES[stage.queue_id]
    assert queue["Type"] == "AWS::SQS::Queue"
    assert queue["Properties"]["QueueName"] == {"Fn::Sub": stage.queue_name}
    redrive = queue["Properties"]["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": [stage.dead_letter_queue_id, "Arn"]}
    assert RESOURCES[stage.dead_letter_queue_id]["Type"] == "AWS::SQS::Queue"
    # Every function gets the queue's URL; `omjr ops` finds both queues of a deployed stack by their outputs.
    variables = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]
    assert variables[stage.queue_url_variable] == {"Ref": stage.queue_id}
    assert TEMPLATE["Outputs"][f"{stage.queue_id}Url"]["Value"] == {"Ref": stage.queue_id}
    assert TEMPLATE["Outputs"][f"{stage.dead_letter_queue_id}Url"]["Value"] == {"Ref": stage.dead_letter_queue_id}


@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_every_stage_has_its_function_in_app_and_its_settings(stage):
    [source] = [s for s in app_module.app.event_sources if isinstance(s, SQSEventConfig) and s.name == stage.function]
    assert (source.queue, source.batch_size, source.maximum_concurrency) == (stage.queue_name, 1, stage.max_concurrency)
    assert source.handler_string == f"app.{stage.function}"
    assert callable(getattr(app_module, stage.function))
    assert CONFIG["lambda_functions"][stage.function]["lambda_timeout"] > 0, "the stage's time limit"
    assert stage.stuck_after_setting in CONFIG["environment_variables"]
    assert callable(service_of(stage))
    # Its function's own role (the template's, which the local stack gives it too) may take the queue's messages.
    takes = {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"}
    statements = iam.template_policy(TEMPLATE, stage.function)["Statement"]
    assert any(
        takes <= set(statement["Action"]) and statement["Resource"] == {"Fn::GetAtt": [stage.queue_id, "Arn"]}
        for statement in statements
    )


def test_app_has_no_queue_handler_the_registry_does_not_list():
    sqs = [source.name for source in app_module.app.event_sources if isinstance(source, SQSEventConfig)]
    assert sorted(sqs) == sorted(stage.function for stage in STAGES)


def test_stage_names_functions_and_queues_are_each_used_once():
    for attribute in ("name", "function", "queue", "service"):
        values = [getattr(stage, attribute) for stage in STAGES]
        assert len(values) == len(set(values)), attribute


def test_recovery_has_a_stage_for_every_status_a_film_is_processed_in():
    assert stages.unanswered() == frozenset()
    assert {status: stage_for(status).name for status in sorted(PROCESSING)} == {
        Status.PROTECTING: "protect",
        Status.TRANSCODING: "transcode",
        Status.UPLOADED: "validate",
        Status.VALIDATING: "validate",
    }


@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_every_stage_ends_only_where_the_lifecycle_lets_a_film_go(stage):
    working = stage.runs_in[-1]  # validation's film waits in UPLOADED and is worked on in VALIDATING
    # A step that keeps the status (its end is its own status) hands the film on to a later stage of it.
    assert all(end == working or can_transition(working, end) for end in stage.ends_in), sorted(stage.ends_in)


@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_the_sweep_watches_every_status_a_stage_runs_in(stage):
    assert set(stage.runs_in) <= PROCESSING
    assert set(stage.runs_in) <= set(config_limits().stuck_after_s)


def test_a_status_no_stage_runs_in_is_an_error_not_a_default():
    with pytest.raises(NoStageError, match="READY"):
        stage_for(Status.READY)


def test_a_step_that_keeps_the_status_hands_on_to_the_next_stage_of_that_status(monkeypatch):
    step = replace(stages.TRANSCODE, name="step", function="step_film", queue="step")
    monkeypatch.setattr(stages, "STAGES", (stages.VALIDATE, stages.PROTECT, step, stages.TRANSCODE))
    assert stage_for(Status.TRANSCODING) is step, "a film in TRANSCODING starts again from its first stage"
    assert stage_after(stages.VALIDATE, Status.TRANSCODING) is step
    assert stage_after(stages.PROTECT, Status.TRANSCODING) is step
    assert stage_after(step, Status.TRANSCODING) is stages.TRANSCODE


# Recovery: a stuck film goes back to the stage of its status, read from the registry. --------------------------


@dataclass
class FakeCatalog:
    films: dict[str, Film]
    touched: list[str] = field(default_factory=list)

    def every_in_status(self, status: Status, before: str) -> Iterator[str]:
        yield from [video_id for video_id, film in self.films.items() if film.status is status]

    def every_in_status_since(self, status: Status, after: str) -> Iterator[str]:
        yield from self.every_in_status(status, after)

    def get_film(self, video_id: str) -> Film | None:
        return self.films.get(video_id)

    def touch(self, video_id: str, status: Status, at: str, fields: dict[str, Any]) -> None:
        self.touched.append(video_id)
        self.films[video_id] = replace(self.films[video_id], requeued=fields["requeued"])


@dataclass(frozen=True)
class FakeSettings:
    uploads_bucket: str = "uploads-bucket"


def config_limits() -> SweepLimits:
    """The sweep's limits as the functions read them from their settings."""
    names = [*TEMPLATE["Globals"]["Function"]["Environment"]["Variables"], "STAGE"]
    environment = {**dict.fromkeys(names, "-"), **CONFIG["environment_variables"]}
    return Settings.from_env(environment).sweep


LIMITS = SweepLimits(
    upload_window_s=3600, multipart_window_s=86_400, stuck_after_s=dict.fromkeys(PROCESSING, 600), requeues=1
)


def stuck(video_id: str, status: Status) -> Film:
    long_ago = (NOW - timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    return Film(video_id, status, long_ago, long_ago, upload_key=f"uploads/{video_id}/source.mp4", upload_etag='"e"')


def deps_with(catalog: FakeCatalog) -> tuple[Any, dict[str, InMemoryQueue]]:
    queues = {stage.name: InMemoryQueue() for stage in STAGES}
    fakes: dict[str, Any] = dict.fromkeys(["uploads", "media", "media_cache", "idempotency"])
    return Dependencies(settings=FakeSettings(), catalog=catalog, queues=queues, **fakes), queues  # type: ignore[arg-type]


def test_the_sweep_queues_each_stuck_film_for_the_stage_of_its_status():
    films = {status.value.lower(): stuck(status.value.lower(), status) for status in PROCESSING}
    deps, queues = deps_with(FakeCatalog(films))
    assert recovery.sweep(deps, LIMITS, now=NOW)["requeue"] == len(PROCESSING)

    def named(queue: InMemoryQueue) -> list[str]:
        bodies = [json.loads(body) for body in queue.sent]
        if queue is queues["validate"]:  # upload notifications, as the bucket sends them
            return sorted(body["Records"][0]["s3"]["object"]["key"].split("/")[1] for body in bodies)
        return [body["video_id"] for body in bodies]

    assert {name: named(queue) for name, queue in queues.items()} == {
        "validate": ["uploaded", "validating"],
        "protect": ["protecting"],
        "transcode": ["transcoding"],
    }
    assert [stage.message for stage in STAGES] == [Message.UPLOAD_NOTIFICATION, Message.FILM, Message.FILM]


def test_the_sweep_stops_loudly_on_a_status_without_a_stage_and_changes_nothing(monkeypatch):
    monkeypatch.setattr(stages, "STAGES", (stages.VALIDATE, stages.TRANSCODE))  # the protect stage forgotten
    catalog = FakeCatalog({"protecting": stuck("protecting", Status.PROTECTING)})
    deps, queues = deps_with(catalog)
    with pytest.raises(NoStageError, match="PROTECTING"):
        recovery.sweep(deps, LIMITS, now=NOW)
    assert catalog.touched == [], "not counted as queued again"
    assert not any(queue.sent for queue in queues.values())


def test_a_stages_sqs_record_is_handled_in_one_place():
    """One record handler for every stage (services/stage_messages.py), not one per stage's service."""
    sources = [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]
    defined = [
        f"{path.relative_to(ROOT)}:{node.name}"
        for path in sources
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef) and "record" in node.name and node.name.startswith("handle")
    ]
    assert defined == ["chalicelib/services/stage_messages.py:handle_record"]


def test_every_stage_has_its_queue_alarms():
    """A new stage's dead letters and waiting messages page like the others' (infra/alarms.py, generated into the
    template: add the stage there and run `python -m infra.alarms --write`)."""
    assert {stage.dead_letter_queue_id: stage.queue for stage in STAGES} == alarms.DEAD_LETTER_QUEUES
    assert {queue: name for queue, (name, _) in alarms.WORK_QUEUES.items()} == {
        stage.queue_id: stage.queue for stage in STAGES
    }
