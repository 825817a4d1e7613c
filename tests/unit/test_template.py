"""The one definition of the infrastructure (infra/resources.yaml) and the settings it must agree with."""

from __future__ import annotations

import json

import pytest
from chalice.app import SQSEventConfig

import app as app_module
from chalicelib.domain.object_keys import STAGING_PREFIX, UPLOADS_PREFIX
from chalicelib.domain.stages import STAGES
from infra.template import load_template
from local import chalice_config
from local.resources import ROOT, local_overrides, local_properties

RESOURCES = load_template()["Resources"]
CONFIG = json.loads((ROOT / ".chalice" / "config.json").read_text())
QUEUE_OF = {stage.function: stage.queue_id for stage in STAGES}


def timeout(function: str, stage: str) -> int:
    stage_functions = CONFIG["stages"][stage].get("lambda_functions", {})
    return int(
        stage_functions.get(function, {}).get("lambda_timeout")
        or CONFIG["lambda_functions"][function]["lambda_timeout"]
    )


@pytest.mark.parametrize("stage", ["dev", "prod"])
@pytest.mark.parametrize("function", sorted(QUEUE_OF))
def test_visibility_timeout_is_at_least_six_times_the_function_timeout(stage, function):
    queue = RESOURCES[QUEUE_OF[function]]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * timeout(function, stage)


@pytest.mark.parametrize("function", sorted(QUEUE_OF))
def test_the_local_stack_gives_each_function_its_own_timeout(function):
    """What a phone makes (60 s of 1080p HDR) needs the time it has on AWS, on a busy laptop too."""
    assert "function_timeouts" not in local_overrides()
    assert chalice_config.timeout_s("local", function) == timeout(function, "dev")


@pytest.mark.parametrize("function", sorted(QUEUE_OF))
def test_a_local_message_is_kept_by_its_workers_heartbeat_and_comes_back_soon_after_a_worker_dies(function):
    overrides = local_overrides()
    visibility = local_properties(QUEUE_OF[function], RESOURCES[QUEUE_OF[function]]["Properties"])["VisibilityTimeout"]
    assert 3 * overrides["heartbeat_s"] <= visibility <= 60


@pytest.mark.parametrize("queue", sorted(QUEUE_OF.values()))
def test_every_work_queue_ends_in_a_dead_letter_queue(queue):
    redrive = RESOURCES[queue]["Properties"]["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"]["Fn::GetAtt"][0].endswith("DeadLetterQueue")
    assert 2 <= redrive["maxReceiveCount"] <= 5


def test_batch_size_one_is_why_no_partial_batch_response_is_needed():
    assert {source.batch_size for source in app_module.app.event_sources if isinstance(source, SQSEventConfig)} == {1}


@pytest.mark.parametrize("bucket", ["UploadsBucket", "MediaBucket"])
def test_buckets_are_private(bucket):
    block = RESOURCES[bucket]["Properties"]["PublicAccessBlockConfiguration"]
    assert block == dict.fromkeys(
        ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"], True
    )


def test_only_uploads_notify_the_pipeline():
    [queue] = RESOURCES["UploadsBucket"]["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
    assert queue["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": UPLOADS_PREFIX}]
    assert "NotificationConfiguration" not in RESOURCES["MediaBucket"]["Properties"]


def test_unpromoted_staging_outputs_expire():
    rules = RESOURCES["MediaBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert {
        "Id": "expire-unpromoted-staging",
        "Status": "Enabled",
        "Prefix": STAGING_PREFIX,
        "ExpirationInDays": 2,
    } in rules


def alarms() -> dict[str, dict]:
    return {name: r["Properties"] for name, r in RESOURCES.items() if r.get("Type") == "AWS::CloudWatch::Alarm"}


# What pages, and why nothing pages for a retry: tests/unit/test_alarms.py.
def test_long_runs_alarm_before_the_timeout_cuts_them():
    assert alarms()["TranscodeDurationAlarm"]["Threshold"] == 0.8 * 1000 * timeout("transcode_film", "prod")
    assert alarms()["ProtectDurationAlarm"]["Threshold"] == 0.8 * 1000 * timeout("protect_film", "prod")
    assert RESOURCES["AlarmEmailSubscription"]["Properties"]["Endpoint"] == {"Ref": "AlarmEmail"}


@pytest.mark.parametrize(
    ("bucket", "policy"), [("UploadsBucket", "UploadsBucketPolicy"), ("MediaBucket", "MediaBucketPolicy")]
)
def test_buckets_refuse_plain_http(bucket, policy):
    statements = RESOURCES[policy]["Properties"]["PolicyDocument"]["Statement"]
    assert {"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}.items() <= next(
        s for s in statements if s.get("Sid") == "TlsOnly"
    ).items()


def test_every_function_keeps_its_logs_a_month():
    groups = [r["Properties"] for r in RESOURCES.values() if r.get("Type") == "AWS::Logs::LogGroup"]
    assert len(groups) == 5 and {g["RetentionInDays"] for g in groups} == {30}


# What each function may do, and no more (Chalice's generated policy is off: .chalice/config.json).
ALLOWED = {
    "ApiHandlerRole": {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:ListBucket",
        "s3:ListMultipartUploadParts",
        "s3:ListBucketMultipartUploads",
        "s3:AbortMultipartUpload",
        "s3:GetObject",
        "s3:PutObjectTagging",
        "s3:DeleteObjectTagging",
        "cloudfront:CreateInvalidation",
        "sqs:SendMessage",
        "secretsmanager:GetSecretValue",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
    },
    "ValidateUploadRole": {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ChangeMessageVisibility",
        "sqs:SendMessage",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "s3:GetObject",
        "s3:DeleteObject",
        "s3:ListBucket",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
    },
    "TranscodeFilmRole": {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ChangeMessageVisibility",
        "sqs:SendMessage",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:BatchGetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:ListBucket",
        "s3:AbortMultipartUpload",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
    },
    "ProtectFilmRole": {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ChangeMessageVisibility",
        "sqs:SendMessage",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:ListBucket",
        "s3:AbortMultipartUpload",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
    },
    "SweepStuckFilmsRole": {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "sqs:SendMessage",
        "dynamodb:DeleteItem",
        "s3:AbortMultipartUpload",
        "s3:PutObjectTagging",
        "s3:PutObject",  # a film's share page, written when the sweep finishes its exposure
        "s3:GetObject",  # a share page read before it is written again: emptied from the cache if it changed
        "s3:GetObjectTagging",  # whether a workshop's page is public, as the catalog says it should be
        "s3:DeleteObjectTagging",
        "s3:DeleteObject",
        "s3:ListBucket",
        "s3:ListBucketMultipartUploads",
        "cloudfront:CreateInvalidation",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
    },
}


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_each_function_may_do_only_what_it_uses(role):
    statements = RESOURCES[role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    actions = set()
    for statement in statements:
        assert statement["Effect"] == "Allow"
        granted = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        actions |= set(granted)
        if statement["Resource"] == "*":
            assert set(granted) <= {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}, "only X-Ray needs *"
    assert actions == ALLOWED[role]
    assert CONFIG["autogen_policy"] is False


def statements_of(role: str) -> list[dict]:
    return RESOURCES[role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]


def test_the_protection_function_writes_only_its_master_and_reads_only_uploads():
    writes = [s for s in statements_of("ProtectFilmRole") if {"s3:PutObject", "s3:DeleteObject"} & set(s["Action"])]
    assert [w["Resource"] for w in writes] == [{"Fn::Sub": "${UploadsBucket.Arn}/uploads/*/protected.mkv"}]
    reads = [s for s in statements_of("ProtectFilmRole") if "s3:GetObject" in s["Action"]]
    assert [r["Resource"] for r in reads] == [{"Fn::Sub": "${UploadsBucket.Arn}/uploads/*"}]
    # Nothing of the media bucket: the protection stage never makes a public output itself.
    assert "MediaBucket" not in json.dumps(statements_of("ProtectFilmRole"))
    sends = next(s for s in statements_of("ProtectFilmRole") if s["Action"] == "sqs:SendMessage")
    assert {"Fn::GetAtt": ["TranscodeQueue", "Arn"]} in sends["Resource"]


def test_the_protection_function_takes_ffmpeg_without_ffprobe_and_the_detection_layer():
    layers = RESOURCES["ProtectFilm"]["Properties"]["Layers"]
    assert layers == [{"Ref": "FfmpegOnlyLayer"}, {"Ref": "FaceDetectionLayer"}]
    assert RESOURCES["FfmpegOnlyLayer"]["Properties"]["ContentUri"] == "./ffmpeg-only-layer.zip"
    assert RESOURCES["FaceDetectionLayer"]["Properties"]["ContentUri"] == "./protect-layer.zip"
    # The other functions never carry the detection layer (and onnxruntime is not in requirements.txt).
    for function in ("ValidateUpload", "TranscodeFilm"):
        assert RESOURCES[function]["Properties"]["Layers"] == [{"Ref": "FfmpegLayer"}]
    requirements = (ROOT / "requirements.txt").read_text().lower()
    assert "onnxruntime" not in requirements and "numpy" not in requirements


def test_the_protection_function_has_the_time_and_memory_of_a_long_stage():
    settings = CONFIG["lambda_functions"]["protect_film"]
    assert settings["lambda_timeout"] == 900
    # Lambda gives about one vCPU per 1769 MB: detection and the encode use every core they get.
    assert settings["lambda_memory_size"] >= 3 * 1769


def test_make_package_builds_every_layer_the_template_names():
    makefile = (ROOT / "Makefile").read_text()
    package = makefile[makefile.index("\npackage:") : makefile.index("\n\n", makefile.index("\npackage:"))]
    for resource in RESOURCES.values():
        if resource.get("Type") == "AWS::Serverless::LayerVersion":
            built = resource["Properties"]["ContentUri"].removeprefix("./")
            assert f"build/$(STAGE)/{built}" in package, f"make package does not build {built}"
    # The protection function's size check counts the ffmpeg-only layer it really gets.
    assert "--ffmpeg-layer build/$(STAGE)/ffmpeg-only-layer.zip" in package


def test_the_api_function_may_queue_a_film_it_has_made_again():
    # PUT /videos/{id}/protection on a READY film (and an office's PATCH asking protection for one) moves it
    # to PROTECTING or TRANSCODING and sends it to that stage's queue (services/editorial.py). Without the
    # grant SQS refuses in production (moto does not check IAM): the editor gets a 500 and the film sits in
    # PROTECTING until the sweep's requeue hours later. An editor's retry of a FAILED film (POST
    # /videos/{id}/retry) queues its upload for validation again.
    sends = [s for s in statements_of("ApiHandlerRole") if "sqs:SendMessage" in s["Action"]]
    granted = [queue for statement in sends for queue in statement["Resource"]]
    assert sorted(q["Fn::GetAtt"][0] for q in granted) == ["ProtectQueue", "TranscodeQueue", "UploadsQueue"]


def test_only_the_api_function_reads_the_cursor_signing_key_and_only_that_secret():
    readers = {
        role: [s["Resource"] for s in statements_of(role) if "secretsmanager:GetSecretValue" in s["Action"]]
        for role in ALLOWED
    }
    assert {role: resources for role, resources in readers.items() if resources} == {
        "ApiHandlerRole": [{"Ref": "CursorSigningKey"}]
    }
    secret = RESOURCES["CursorSigningKey"]
    assert secret["Type"] == "AWS::SecretsManager::Secret" and "SecretString" not in secret["Properties"]
    assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32
