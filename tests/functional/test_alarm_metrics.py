"""What the pipeline publishes when it retries and when it gives up, read against the alarms (infra/alarms.py):
a deliberate retry publishes nothing that pages; nor does a film FAILED from a transient cause, which the sweep
starts again by itself; that retry failing too, or a time limit, pages."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta

import pytest
from botocore.stub import Stubber

from chalicelib import wiring
from chalicelib.domain.film import Status
from chalicelib.domain.stages import TRANSCODE, VALIDATE
from chalicelib.observability import metrics
from chalicelib.services import recovery
from infra.alarms import ALARMS
from tests.functional.test_delivery import fail_on_our_side, invoke, new_upload, notifications
from tests.functional.test_needs_attention import failed_at_its_time_limit


def paged(published: str) -> set[str]:
    """The alarms that the EMF lines in `published` would move: metric name and every dimension match."""
    stage = os.environ["STAGE"]
    moved = set()
    for line in published.splitlines():
        if not line.startswith('{"_aws"'):
            continue
        record = json.loads(line)
        for directive in record["_aws"]["CloudWatchMetrics"]:
            names = {metric["Name"] for metric in directive["Metrics"]}
            for dimension_names in directive["Dimensions"]:
                dimensions = {name: record[name] for name in dimension_names}
                for alarm in ALARMS:
                    namespace, metric, alarm_dimensions = alarm.metric
                    wanted = {name: stage if value == "Stage" else value for name, value in alarm_dimensions}
                    if namespace == directive["Namespace"] and metric in names and wanted == dimensions:
                        moved.add(alarm.logical_id)
    return moved


def test_a_retry_pages_no_one_nor_a_transient_failure_until_its_automatic_retry_fails_too(api, stack, clips, capsys):
    video_id = new_upload(api, stack, clips["valid"])
    [message] = notifications(stack, video_id)
    deps = wiring.dependencies()
    capsys.readouterr()

    with Stubber(deps.catalog._client) as stubber:
        stubber.add_client_error("get_item", "ProvisionedThroughputExceededException", http_status_code=400)
        with pytest.raises(Exception, match="ProvisionedThroughputExceeded"):
            invoke("validate_upload", message, receive_count=1)
    # The film waits out its backoff: no FilmsFailed, nothing in a dead-letter queue, nothing that pages.
    assert stack.catalog_item(video_id)["status"] == "AWAITING_UPLOAD"
    assert paged(capsys.readouterr().out) == set()

    last = deps.queue(VALIDATE).max_receive_count
    with Stubber(deps.queue(TRANSCODE).client) as stubber:
        stubber.add_client_error("send_message", "ServiceUnavailable", http_status_code=503)
        with pytest.raises(Exception, match="ServiceUnavailable"):
            invoke("validate_upload", message, receive_count=last)
    assert stack.catalog_item(video_id)["status"] == "FAILED"
    # FAILED at its last delivery, from a cause that may pass: the sweep starts it again, and no one is paged yet.
    out = capsys.readouterr().out
    assert paged(out) == set()
    assert '"FilmsFailedRetrying"' in out

    limits = deps.settings.sweep
    later = datetime.now(UTC) + timedelta(seconds=limits.auto_retry_after_s + 1)
    assert recovery.retry_transient_failures(deps, limits, later) == 1
    fail_on_our_side(stack, video_id)  # the same cause again, after the automatic retry
    # The same capture that saw nothing above sees the page here, with the stage the alarm watches.
    assert paged(capsys.readouterr().out) == {"FilmsFailedAlarm"}


def test_a_film_failed_at_its_time_limit_pages_at_once(api, stack, clips, capsys):
    capsys.readouterr()
    failed_at_its_time_limit(api, stack, clips)
    assert paged(capsys.readouterr().out) == {"FilmsFailedAlarm"}


def test_a_transient_failure_whose_automatic_retry_cannot_start_pages(api, stack, clips):
    video_id = new_upload(api, stack, clips["valid"])
    fail_on_our_side(stack, video_id)
    deps, limits = wiring.dependencies(), wiring.dependencies().settings.sweep
    now = datetime.now(UTC)
    stamp = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    deps.catalog.touch(video_id, Status.FAILED, stamp, {"source_deleted_at": stamp})  # its source gone meanwhile
    metrics.clear_metrics()
    later = now + timedelta(seconds=limits.auto_retry_after_s + 1)
    assert recovery.retry_transient_failures(deps, limits, later) == 0
    # Left to people after all: counted now (the sweep's handler publishes it), so the alarm fires.
    assert "FilmsFailed" in metrics.metric_set
    metrics.clear_metrics()
