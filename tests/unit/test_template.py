"""The one definition of the infrastructure (infra/resources.json) and the settings it must agree with."""

from __future__ import annotations

import json

import pytest
from chalice.app import SQSEventConfig

import app as app_module
from local.resources import ROOT, TEMPLATE, local_overrides

RESOURCES = json.loads(TEMPLATE.read_text())["Resources"]
CONFIG = json.loads((ROOT / ".chalice" / "config.json").read_text())
QUEUE_OF = {"validate_upload": "UploadsQueue", "transcode_film": "TranscodeQueue"}


def timeout(function: str, stage: str) -> int:
    stage_functions = CONFIG["stages"][stage].get("lambda_functions", {})
    return int(stage_functions.get(function, {}).get("lambda_timeout")
               or CONFIG["lambda_functions"][function]["lambda_timeout"])  # fmt: skip


def sqs_handlers() -> list[str]:
    return [source.name for source in app_module.app.event_sources if isinstance(source, SQSEventConfig)]


def test_every_queue_handler_has_its_queue_in_the_template():
    assert sorted(sqs_handlers()) == sorted(QUEUE_OF)


@pytest.mark.parametrize("stage", ["dev", "prod"])
@pytest.mark.parametrize("function", sorted(QUEUE_OF))
def test_visibility_timeout_is_at_least_six_times_the_function_timeout(stage, function):
    queue = RESOURCES[QUEUE_OF[function]]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * timeout(function, stage)


@pytest.mark.parametrize("function", sorted(QUEUE_OF))
def test_the_local_stack_keeps_the_same_ratio_with_its_shorter_numbers(function):
    overrides = local_overrides()
    visibility = overrides["resources"][QUEUE_OF[function]]["VisibilityTimeout"]
    assert visibility >= 6 * overrides["function_timeouts"][function]


@pytest.mark.parametrize("queue", ["UploadsQueue", "TranscodeQueue"])
def test_every_work_queue_ends_in_a_dead_letter_queue(queue):
    redrive = RESOURCES[queue]["Properties"]["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"]["Fn::GetAtt"][0].endswith("DeadLetterQueue")
    assert 2 <= redrive["maxReceiveCount"] <= 5


def test_batch_size_one_is_why_no_partial_batch_response_is_needed():
    assert {source.batch_size for source in app_module.app.event_sources if isinstance(source, SQSEventConfig)} == {1}


@pytest.mark.parametrize("bucket", ["UploadsBucket", "MediaBucket"])
def test_buckets_are_private(bucket):
    block = RESOURCES[bucket]["Properties"]["PublicAccessBlockConfiguration"]
    assert block == dict.fromkeys(["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls",
                                   "RestrictPublicBuckets"], True)  # fmt: skip


def test_only_uploads_notify_the_pipeline():
    [queue] = RESOURCES["UploadsBucket"]["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
    assert queue["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": "uploads/"}]
    assert "NotificationConfiguration" not in RESOURCES["MediaBucket"]["Properties"]


def test_unpromoted_staging_outputs_expire():
    rules = RESOURCES["MediaBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert {
        "Id": "expire-unpromoted-staging",
        "Status": "Enabled",
        "Prefix": "staging/",
        "ExpirationInDays": 2,
    } in rules
