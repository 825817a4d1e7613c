from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.film import Status
from chalicelib.domain.sweep import SweepAction, SweepLimits, stale_before, sweep_action, upload_expired

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
