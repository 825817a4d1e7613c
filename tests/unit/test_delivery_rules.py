"""What happens to a message whose work raises: backoff, the wait for a duplicate's running attempt, giving up."""

from __future__ import annotations

import pytest
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.domain.errors import AlreadyRunningError
from chalicelib.services.delivery import backoff_s, deliver
from tests.fakes.queue import InMemoryQueue


def record(receive_count: int) -> SQSRecord:
    return SQSRecord(
        {"receiptHandle": "r1", "body": "{}", "attributes": {"ApproximateReceiveCount": str(receive_count)}}
    )


def raising(error: Exception):
    def work() -> None:
        raise error

    return work


def test_a_duplicate_of_a_running_attempt_comes_back_once_that_attempts_time_limit_has_passed():
    # A worker that died mid-transcode holds its attempt for up to the function's 900 s: retried any sooner, its
    # message would bounce off the running attempt until the queue gave it up to the dead-letter queue.
    queue = InMemoryQueue(max_receive_count=3)
    with pytest.raises(AlreadyRunningError):
        deliver(record(2), queue, raising(AlreadyRunningError("transcode is running", ends_within_s=899.2)))
    assert queue.delays == {"r1": 900}


def test_a_duplicate_never_comes_back_sooner_than_its_backoff():
    queue = InMemoryQueue()
    with pytest.raises(AlreadyRunningError):
        deliver(record(4), queue, raising(AlreadyRunningError("validation is running", ends_within_s=0.2)))
    assert queue.delays == {"r1": backoff_s(4)} and backoff_s(4) == 16


def test_a_transient_failure_backs_off_and_the_last_delivery_fails_the_film_without_the_error_text():
    queue = InMemoryQueue(max_receive_count=3)
    given_up: list[str] = []
    with pytest.raises(ConnectionError):
        deliver(record(1), queue, raising(ConnectionError("db-host-7 refused")), given_up.append)
    assert (queue.delays, given_up) == ({"r1": 2}, [])
    with pytest.raises(ConnectionError):
        deliver(record(3), InMemoryQueue(max_receive_count=3), raising(ConnectionError("db-host-7")), given_up.append)
    [reason] = given_up
    assert "3 times" in reason and "ConnectionError" in reason and "db-host-7" not in reason
