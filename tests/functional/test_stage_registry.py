"""Adding a stage is an entry in the stage registry (chalicelib/domain/stages.py), its service and its block in
the template: a stage that does nothing is added here between validation and the transcode, with no other
module changed, and a film goes through it to READY.

In the functional tier, with the tests' pipeline runner and the handler that app.py makes for every stage: the
local stack's workers are processes that import app.py as it is on disk, so a stage added while a test runs
cannot reach them.
"""

from __future__ import annotations

import copy

import pytest
from chalice.package import YAMLTemplateSerializer

import app as app_module
from chalicelib.domain import stages
from chalicelib.domain.film import Status
from chalicelib.domain.stages import Message, Stage
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.handoff import hand_on
from tests.functional.conftest import get, post_json, upload_body

# The registry entry: a step of the TRANSCODING status, before the transcode.
NOOP = Stage(
    name="noop",
    function="pass_on_film",
    queue="noop",
    service=f"{__name__}:pass_on",
    runs_in=(Status.TRANSCODING,),
    ends_in=frozenset({Status.TRANSCODING}),
    reads="nothing",
    writes="nothing",
    message=Message.FILM,
    stuck_after_setting="STUCK_TRANSCODING_S",
)

# Its block in the template, as it would be written in infra/resources.yaml.
TEMPLATE_BLOCK = """
Globals:
  Function:
    Environment:
      Variables:
        NOOP_QUEUE_URL: !Ref NoopQueue
Resources:
  NoopQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '${AWS::StackName}-noop'
      VisibilityTimeout: 5400  # six times its function's timeout (900 s)
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt NoopDeadLetterQueue.Arn
        maxReceiveCount: 3
  NoopDeadLetterQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '${AWS::StackName}-noop-dlq'
"""

# What the stage saw: (film, its status then).
passed_through: list[tuple[str, Status]] = []


def pass_on(deps: Dependencies, video_id: str, deadline_s: float) -> None:
    """Its service: nothing done, the film handed on to the next stage of its status."""
    film = deps.catalog.get_film(video_id)
    if film is None or film.status is not Status.TRANSCODING:
        return
    passed_through.append((video_id, film.status))
    hand_on(deps, film, after=NOOP)


@pytest.fixture(scope="module")
def template(template):
    """The stack's template with the stage's block in it (the stack fixture creates what the template lists)."""
    block = YAMLTemplateSerializer().load_template(TEMPLATE_BLOCK)
    merged = copy.deepcopy(template)
    merged["Globals"]["Function"]["Environment"]["Variables"].update(
        block["Globals"]["Function"]["Environment"]["Variables"]
    )
    merged["Resources"].update(block["Resources"])
    return merged


@pytest.fixture
def noop_stage(monkeypatch, stack):
    """The entry in the registry, between the protection stage and the transcode, and the handler app.py makes
    for each entry when it is imported (on copies of the app's lists, put back after the test)."""
    listed = stages.STAGES
    monkeypatch.setattr(stages, "STAGES", (*listed[: listed.index(stages.TRANSCODE)], NOOP, stages.TRANSCODE))
    monkeypatch.setattr(app_module.app, "event_sources", list(app_module.app.event_sources))
    monkeypatch.setattr(app_module.app, "handler_map", dict(app_module.app.handler_map))
    monkeypatch.setattr(app_module, NOOP.function, app_module.stage_function(NOOP), raising=False)
    stack.settings_changed()  # the functions read the new stage's queue URL
    passed_through.clear()
    return NOOP


def test_a_stage_added_to_the_registry_alone_is_on_every_films_way_to_ready(api, stack, clips, noop_stage):
    video_id = post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]
    stack.put_upload(video_id, clips["valid"])

    stack.run_pipeline()

    assert passed_through == [(video_id, Status.TRANSCODING)], "validation handed the film to the new stage"
    film = get(api, f"/uploads/{video_id}", stack.keys["office"]).json_body
    assert film["status"] == "READY", "the new stage handed it on to the transcode"
    steps = [step["status"] for step in stack.catalog_item(video_id)["history"]]
    assert steps == ["AWAITING_UPLOAD", "UPLOADED", "VALIDATING", "TRANSCODING", "READY"], "a step, not a status"
    sqs = stack.client("sqs")
    for queue in ("NoopQueue", "NoopDeadLetterQueue"):
        depth = sqs.get_queue_attributes(QueueUrl=stack.name(queue), AttributeNames=["ApproximateNumberOfMessages"])
        assert depth["Attributes"]["ApproximateNumberOfMessages"] == "0"
