"""A film FAILED from a transient cause is started again by the sweep a few minutes later, once; a second
failure, a time limit or an older failure is left in Needs attention for an editor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib import wiring
from chalicelib.services import recovery
from tests.functional.conftest import get
from tests.functional.test_delivery import fail_on_our_side, new_upload
from tests.functional.test_needs_attention import failed_at_its_time_limit


def attention_items(api, stack):
    return {
        item["video_id"]: item
        for item in get(api, "/editorial/films?status=failed", stack.keys["editor"]).json_body["items"]
    }


def test_a_transient_failure_is_retried_once_after_a_few_minutes_then_left_to_editors(api, stack, clips):
    video_id = new_upload(api, stack, clips["valid"])
    fail_on_our_side(stack, video_id)
    assert attention_items(api, stack)[video_id]["retried_automatically"] is True
    deps, limits = wiring.dependencies(), wiring.dependencies().settings.sweep
    now = datetime.now(UTC)
    assert recovery.retry_transient_failures(deps, limits, now) == 0, "not at once"
    later = now + timedelta(seconds=limits.auto_retry_after_s + 1)
    assert recovery.retry_transient_failures(deps, limits, later) == 1
    assert stack.catalog_item(video_id)["status"] == "UPLOADED"
    trail = get(api, f"/videos/{video_id}/audit", stack.keys["editor"]).json_body["items"]
    assert [(e["action"], e["actor"]) for e in trail] == [("retried", recovery.AUTOMATIC_RETRIER)]

    fail_on_our_side(stack, video_id)  # the same cause again
    assert recovery.retry_transient_failures(deps, limits, later + timedelta(seconds=limits.auto_retry_after_s)) == 0
    assert stack.catalog_item(video_id)["status"] == "FAILED"
    assert attention_items(api, stack)[video_id]["retried_automatically"] is False


def test_a_time_limit_or_an_old_failure_is_not_retried_by_itself(api, stack, clips):
    timed_out = failed_at_its_time_limit(api, stack, clips)
    old = new_upload(api, stack, clips["valid"])
    fail_on_our_side(stack, old)
    deps, limits = wiring.dependencies(), wiring.dependencies().settings.sweep
    much_later = datetime.now(UTC) + timedelta(seconds=limits.auto_retry_window_s + 60)
    assert recovery.retry_transient_failures(deps, limits, much_later) == 0
    assert stack.catalog_item(timed_out)["status"] == stack.catalog_item(old)["status"] == "FAILED"
    assert attention_items(api, stack)[timed_out]["retried_automatically"] is False
