from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import lifecycle
from chalicelib.domain.film import Film, Status
from chalicelib.domain.sweep import (
    SweepAction,
    SweepLimits,
    retried_automatically,
    seconds_in_status,
    stale_before,
    sweep_action,
    upload_expired,
)

LIMITS = SweepLimits(
    upload_window_s=3600,
    multipart_window_s=86_400,
    stuck_after_s={Status.UPLOADED: 600, Status.VALIDATING: 600, Status.TRANSCODING: 7200},
)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_an_unused_upload_expires_after_its_window():
    assert stale_before(Status.AWAITING_UPLOAD, NOW, LIMITS) == datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
    assert sweep_action(Status.AWAITING_UPLOAD, 0, LIMITS) is SweepAction.EXPIRE


def test_a_film_sent_in_parts_waits_a_day_after_its_last_part():
    two_hours_ago = NOW - timedelta(hours=2)
    assert upload_expired(two_hours_ago, in_parts=False, now=NOW, limits=LIMITS)
    assert not upload_expired(two_hours_ago, in_parts=True, now=NOW, limits=LIMITS)
    assert upload_expired(NOW - timedelta(hours=25), in_parts=True, now=NOW, limits=LIMITS)


def test_each_processing_state_has_its_own_deadline():
    assert stale_before(Status.TRANSCODING, NOW, LIMITS) == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert stale_before(Status.VALIDATING, NOW, LIMITS) == datetime(2026, 11, 25, 11, 50, tzinfo=UTC)


def test_a_stuck_film_is_queued_once_more_then_failed():
    assert sweep_action(Status.TRANSCODING, 0, LIMITS) is SweepAction.REQUEUE
    assert sweep_action(Status.TRANSCODING, 1, LIMITS) is SweepAction.FAIL


def test_finished_films_are_never_swept():
    with pytest.raises(ValueError, match="not a status"):
        sweep_action(Status.READY, 0, LIMITS)


def test_only_a_first_transient_failure_is_retried_by_itself():
    at = "2026-11-25T11:50:00.000Z"
    failed = Film("v", Status.FAILED, at, at, reason_code="processing_failed", reason="SQS was unavailable.")
    assert retried_automatically(failed) and seconds_in_status(failed, NOW) == 600
    again = lifecycle.retried(failed, "sweep", "2026-11-25T12:00:00.000Z", automatic=True).after
    assert again.status is Status.UPLOADED and again.auto_retried
    assert not retried_automatically(replace(again, status=Status.FAILED, reason_code="processing_failed"))
    for code in ("processing_timeout", "processing_stuck"):
        assert not retried_automatically(replace(failed, reason_code=code))
    assert not retried_automatically(replace(failed, status=Status.REJECTED))
    # A person's retry keeps the mark: a film the sweep already started again is never started again by itself.
    assert lifecycle.retried(replace(failed, auto_retried=True), "editor Anna", at).after.auto_retried
