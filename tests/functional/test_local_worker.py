"""The local stand-in for Lambda's SQS event source (local/worker.py): a message stays hidden from the other
workers while its function works, however long the work takes, and comes back soon once its worker is gone."""

from __future__ import annotations

import time
import uuid

from chalicelib.domain.errors import AlreadyRunningError
from local.worker import VERBOSE_ENV, heartbeat, tell_failure

VISIBILITY_S = 3


def test_a_message_stays_hidden_while_its_worker_works_and_returns_soon_after_the_work_stops(
    aws_session, moto_endpoint
):
    sqs = aws_session.client("sqs", endpoint_url=moto_endpoint)
    queue = sqs.create_queue(
        QueueName=f"heartbeat-{uuid.uuid4().hex}", Attributes={"VisibilityTimeout": str(VISIBILITY_S)}
    )["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody="transcode film 1")
    [message] = sqs.receive_message(QueueUrl=queue)["Messages"]
    with heartbeat(sqs, queue, message["ReceiptHandle"], VISIBILITY_S, every_s=0.5):
        # Work that outlasts the visibility several times over: no other worker may receive the message meanwhile.
        ends = time.monotonic() + 2 * VISIBILITY_S
        while time.monotonic() < ends:
            assert sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages", []) == []
    # The worker died (its heartbeat stopped): the message comes back within one visibility timeout.
    [again] = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=VISIBILITY_S + 5)["Messages"]
    assert again["Body"] == "transcode film 1"


def failed_delivery_output(capsys, monkeypatch, verbose: str) -> str:
    monkeypatch.setenv(VERBOSE_ENV, verbose)
    try:
        raise RuntimeError("the catalog did not answer")
    except RuntimeError as error:
        tell_failure("transcode_video", error)
    return capsys.readouterr().err


def test_a_failed_delivery_is_one_line_in_the_console_and_its_traceback_is_shown_when_asked(capsys, monkeypatch):
    quiet = failed_delivery_output(capsys, monkeypatch, "0")
    assert quiet.splitlines() == [
        "transcode_video: delivery failed, the message comes back after its visibility timeout: "
        "RuntimeError: the catalog did not answer"
    ]
    verbose = failed_delivery_output(capsys, monkeypatch, "1")
    assert "Traceback (most recent call last)" in verbose and verbose.endswith("the catalog did not answer\n")


def test_a_duplicate_of_work_still_running_is_no_failure_in_the_console(capsys, monkeypatch):
    monkeypatch.setenv(VERBOSE_ENV, "0")
    try:
        raise AlreadyRunningError("validate_upload is already running for {'bucket': 'omjr-local-uploads'}", 60)
    except AlreadyRunningError as error:
        tell_failure("validate_upload", error)
    assert capsys.readouterr().err == ""  # the function's own line said it comes back once that run is done
