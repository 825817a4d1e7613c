"""At-least-once delivery: duplicates, concurrency, throttling, last deliveries, stuck films, retries."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from botocore.stub import Stubber

import app as app_module
from chalicelib import wiring
from chalicelib.domain.errors import ConflictError
from chalicelib.domain.film import Status
from chalicelib.domain.stages import TRANSCODE, VALIDATE
from chalicelib.services import recovery
from local.lambda_context import function_context
from local.worker import lambda_event
from tests.functional.conftest import post_json, upload_body
from tests.functional.factories import move

HAPPY_JOURNEY = ["AWAITING_UPLOAD", "UPLOADED", "VALIDATING", "TRANSCODING", "READY"]


def new_upload(api, stack, clip):
    video_id = post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]
    stack.put_upload(video_id, clip)
    return video_id


def notifications(stack, video_id):
    """The S3 notifications waiting for this film's upload (the s3:TestEvent is dropped)."""
    sqs = stack.client("sqs")
    url = stack.name("UploadsQueue")
    found = []
    for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", []):
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        if video_id in message["Body"]:
            found.append(message)
    return found


def invoke(handler_name, message, receive_count=1):
    message = {**message, "Attributes": {"ApproximateReceiveCount": str(receive_count)}}
    getattr(app_module, handler_name)(lambda_event(message, handler_name), function_context(handler_name))


def lose_messages(stack, queue):
    """What a crash between a status change and its message would do: the message never arrives."""
    sqs = stack.client("sqs")
    bodies = []
    while messages := sqs.receive_message(QueueUrl=stack.name(queue), MaxNumberOfMessages=10).get("Messages"):
        for message in messages:
            sqs.delete_message(QueueUrl=stack.name(queue), ReceiptHandle=message["ReceiptHandle"])
            bodies.append(message["Body"])
    return bodies


def journey(stack, video_id):
    return [step["status"] for step in stack.catalog_item(video_id)["history"]]


def film_keys(stack, prefix=""):
    listing = stack.client("s3").list_objects_v2(Bucket=stack.name("MediaBucket"), Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_the_same_event_three_times_in_a_row_makes_one_film(api, stack, clips):
    video_id = new_upload(api, stack, clips["valid"])
    [message] = notifications(stack, video_id)
    for _ in range(3):
        invoke("validate_upload", message)
    assert stack.deliver("TranscodeQueue", "transcode_film") == 1
    assert journey(stack, video_id) == HAPPY_JOURNEY
    assert len([key for key in film_keys(stack, "films/") if key.endswith(".mp4")]) == 1
    assert film_keys(stack, "staging/") == [], "staged outputs are promoted, then removed"


def test_the_same_event_three_times_at_once_makes_one_film(api, stack, clips):
    video_id = new_upload(api, stack, clips["valid"])
    [message] = notifications(stack, video_id)
    errors = []

    def deliver():
        try:
            invoke("validate_upload", message)
        except Exception as error:  # a duplicate still running elsewhere: retried later by SQS
            errors.append(error)

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for _ in errors:  # the retries SQS would make
        invoke("validate_upload", message, receive_count=2)
    stack.deliver("TranscodeQueue", "transcode_film")
    assert journey(stack, video_id) == HAPPY_JOURNEY
    assert all(type(error).__name__ == "AlreadyRunningError" for error in errors)


def test_throttling_is_retried_later_and_changes_nothing(api, stack, clips):
    video_id = new_upload(api, stack, clips["valid"])
    sqs = stack.client("sqs")
    received = sqs.receive_message(QueueUrl=stack.name("UploadsQueue"), MaxNumberOfMessages=10)["Messages"]
    [message] = [m for m in received if video_id in m["Body"]]
    for other in received:  # the s3:TestEvent
        if other is not message:
            sqs.delete_message(QueueUrl=stack.name("UploadsQueue"), ReceiptHandle=other["ReceiptHandle"])
    dynamodb = wiring.dependencies().catalog._client
    with Stubber(dynamodb) as stubber:
        stubber.add_client_error("get_item", "ProvisionedThroughputExceededException", http_status_code=400)
        with pytest.raises(Exception, match="ProvisionedThroughputExceeded"):
            invoke("validate_upload", message)
    assert stack.catalog_item(video_id)["status"] == "AWAITING_UPLOAD"
    attributes = sqs.get_queue_attributes(QueueUrl=stack.name("UploadsQueue"), AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "1", "the message waits out its backoff"
    invoke("validate_upload", message, receive_count=2)
    stack.deliver("TranscodeQueue", "transcode_film")
    assert stack.catalog_item(video_id)["status"] == "READY"


def fail_on_our_side(stack, video_id):
    """The last delivery of the film's validation cannot hand it on (SQS unavailable): FAILED, processing_failed."""
    [message] = notifications(stack, video_id)
    deps = wiring.dependencies()
    last = deps.queue(VALIDATE).max_receive_count
    with Stubber(deps.queue(TRANSCODE).client) as stubber:
        stubber.add_client_error("send_message", "ServiceUnavailable", http_status_code=503)
        with pytest.raises(Exception, match="ServiceUnavailable"):
            invoke("validate_upload", message, receive_count=last)
    film = stack.catalog_item(video_id)
    assert (film["status"], film["reason_code"]) == ("FAILED", "processing_failed")
    return film


def test_the_last_delivery_fails_the_film_with_its_reason(api, stack, clips):
    video_id = new_upload(api, stack, clips["valid"])
    deps = wiring.dependencies()
    assert deps.queue(VALIDATE).max_receive_count == 5
    film = fail_on_our_side(stack, video_id)
    assert "5 times" in film["reason"] and "on our side" in film["reason"]
    assert "ServiceUnavailable" not in film["reason"], "the error itself stays in the logs"

    retried = recovery.retry_film(deps, "operator", video_id)
    assert retried["attempt"] == 1
    stack.run_pipeline()
    film = stack.catalog_item(video_id)
    assert film["status"] == "READY" and "reason" not in film
    assert journey(stack, video_id)[-5:] == ["FAILED", "UPLOADED", "VALIDATING", "TRANSCODING", "READY"]


def test_a_poison_message_is_retried_then_left_for_the_dead_letter_queue(stack):
    sqs = stack.client("sqs")
    queue, dead_letters = stack.name("TranscodeQueue"), stack.name("TranscodeDeadLetterQueue")
    sqs.send_message(QueueUrl=queue, MessageBody="{not json")
    deliveries = 0
    while messages := sqs.receive_message(QueueUrl=queue, AttributeNames=["All"]).get("Messages"):
        [message] = messages
        deliveries += 1
        with pytest.raises(ValueError, match="unreadable transcode message"):
            invoke("transcode_film", message, receive_count=int(message["Attributes"]["ApproximateReceiveCount"]))
        # Not deleted: held back by its backoff, then (time passing) visible again for the next delivery.
        waiting = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
        assert (waiting["ApproximateNumberOfMessages"], waiting["ApproximateNumberOfMessagesNotVisible"]) == ("0", "1")
        sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
    assert deliveries == 3  # the queue's maxReceiveCount
    [dead] = sqs.receive_message(QueueUrl=dead_letters)["Messages"]
    assert dead["Body"] == "{not json"


def test_a_takedown_during_a_transcode_wins(api, stack, clips):
    video_id = new_upload(api, stack, clips["valid"])
    stack.deliver("UploadsQueue", "validate_upload")
    move(video_id, Status.DELETED)
    stack.deliver("TranscodeQueue", "transcode_film")
    assert stack.catalog_item(video_id)["status"] == "DELETED"
    assert film_keys(stack) == []


def test_the_sweep_expires_unused_uploads_and_requeues_then_fails_stuck_films(api, stack, clips):
    unused = post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]
    stuck = new_upload(api, stack, clips["valid"])
    stack.deliver("UploadsQueue", "validate_upload")
    lose_messages(stack, "TranscodeQueue")
    deps = wiring.dependencies()
    later = datetime.now(UTC) + timedelta(days=1)

    assert recovery.sweep(deps, deps.settings.sweep, now=later) == {"expire": 1, "requeue": 1, "fail": 0}
    assert stack.catalog_item(unused)["status"] == "EXPIRED"
    assert stack.catalog_item(stuck)["requeued"] == 1
    [queued] = lose_messages(stack, "TranscodeQueue")  # and lost again
    assert json.loads(queued)["video_id"] == stuck

    assert recovery.sweep(deps, deps.settings.sweep, now=later + timedelta(days=1)) == {
        "expire": 0,
        "requeue": 0,
        "fail": 1,
    }
    film = stack.catalog_item(stuck)
    assert film["status"] == "FAILED" and "TRANSCODING" in film["reason"]
    assert recovery.sweep(deps, deps.settings.sweep, now=later) == {"expire": 0, "requeue": 0, "fail": 0}


def test_only_a_failed_film_can_be_retried(api, stack, clips):
    video_id = new_upload(api, stack, clips["valid"])
    with pytest.raises(ConflictError):
        recovery.retry_film(wiring.dependencies(), "operator", video_id)
    assert stack.catalog_item(video_id)["status"] == "AWAITING_UPLOAD"


def test_a_transcode_stopped_at_its_time_limit_fails_naming_the_limit_and_the_retry_then_completes(api, stack, clips):
    video_id = new_upload(api, stack, clips["hd"])
    stack.deliver("UploadsQueue", "validate_upload")
    # Its time is up before it starts: ffmpeg is stopped at once, however fast the machine.
    stack.deliver("TranscodeQueue", "transcode_film", time_limit_s=0)
    film = stack.catalog_item(video_id)
    assert (film["status"], film["reason_code"]) == ("FAILED", "processing_timeout")
    assert film["reason"].startswith("Transcoding did not finish within its time limit (0 s)")
    assert "omjr ops retry" in film["reason"]

    recovery.retry_film(wiring.dependencies(), "operator", video_id)
    stack.run_pipeline()  # with the function's own limit
    assert stack.catalog_item(video_id)["status"] == "READY"
