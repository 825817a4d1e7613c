"""What the pipeline publishes when it retries and when it gives up, read against the alarms (infra/alarms.py):
a deliberate retry publishes nothing that pages; a film FAILED at its last delivery pages."""

from __future__ import annotations

import json
import os

import pytest
from botocore.stub import Stubber

from chalicelib import wiring
from chalicelib.domain.stages import TRANSCODE, VALIDATE
from infra.alarms import ALARMS
from tests.functional.test_delivery import invoke, new_upload, notifications


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


def test_a_retry_pages_no_one_and_a_film_failed_at_its_last_delivery_does(api, stack, clips, capsys):
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
    # The same capture that saw nothing above sees the page here, with the stage the alarm watches.
    assert paged(capsys.readouterr().out) == {"FilmsFailedAlarm"}
