"""`omjr ops status` and `ops redrive` act on each stage of the registry (chalicelib/domain/stages.py): the
dead-letter queue of every stage, by its queue's name, and a stuck film with the stage it waits for."""

from __future__ import annotations

import json

from chalicelib.domain.stages import STAGES
from cli.__main__ import main as omjr
from tests.functional.conftest import post_json, upload_body
from tests.functional.test_takedown_faults import printed, stack_file


def queue_bodies(stack, logical_id):
    sqs = stack.client("sqs")
    messages = sqs.receive_message(QueueUrl=stack.name(logical_id), MaxNumberOfMessages=10, VisibilityTimeout=0)
    return [json.loads(message["Body"]) for message in messages.get("Messages", [])]


def test_a_dead_letter_goes_back_to_its_stage_and_status_names_the_stage_a_film_waits_for(
    api, stack, clips, capsys, tmp_path, moto_endpoint
):
    video_id = post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]
    stack.put_upload(video_id, clips["valid"])
    stack.deliver("UploadsQueue", "validate_upload")  # validated: TRANSCODING, its message on the transcode queue
    sqs = stack.client("sqs")
    [message] = sqs.receive_message(QueueUrl=stack.name("TranscodeQueue"))["Messages"]
    # What SQS does after the last delivery: the message moves to the stage's dead-letter queue.
    sqs.send_message(QueueUrl=stack.name("TranscodeDeadLetterQueue"), MessageBody=message["Body"])
    sqs.delete_message(QueueUrl=stack.name("TranscodeQueue"), ReceiptHandle=message["ReceiptHandle"])
    path = stack_file(stack, tmp_path, moto_endpoint)

    omjr(["--stack-file", path, "ops", "status"])
    status = printed(capsys)
    assert status["dead_letter_queues"] == {stage.queue: 0 for stage in STAGES} | {"transcode": 1}
    assert [(film["video_id"], film["status"], film["waits_for"]) for film in status["oldest_in_processing"]] == [
        (video_id, "TRANSCODING", "transcode")
    ]

    omjr(["--stack-file", path, "ops", "redrive"])
    assert printed(capsys) == {stage.queue: 0 for stage in STAGES} | {"transcode": 1}
    assert [body["video_id"] for body in queue_bodies(stack, "TranscodeQueue")] == [video_id]
    assert queue_bodies(stack, "TranscodeDeadLetterQueue") == []
