"""Two POSTs to the same presigned URL on the local stack: the second file is never what gets transcoded
unless it was validated itself.

The transcode worker is paused (SIGSTOP) while the first file is validated and the second one replaces
it, so the transcoder's read comes after the replacement every time, whatever the machine's speed.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from local.client import post_file
from local.clips import make_clip
from tests.e2e.conftest import RunningStack, aws, film, queue_is_empty, wait_for, workers_of

SHORT = {
    "resources": {"UploadsQueue": {"VisibilityTimeout": 10}, "TranscodeQueue": {"VisibilityTimeout": 20}},
    "heartbeat_s": 3,
    "function_timeouts": {"validate_upload": 20, "transcode_film": 60},
    "schedule_interval_s": 3600,
}
METADATA = {"title": "Twice", "country": "AZ", "topics": ["violence"], "author": {"first_name": "Ali", "age": 15}}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    running = RunningStack(tmp_path_factory.mktemp("replaced-stack"), samples=False, overrides=SHORT)
    yield running
    running.stop()


def test_a_second_post_to_the_same_url_is_validated_before_anything_is_made_of_it(stack, tmp_path):
    first = make_clip(tmp_path / "first.mp4", 60, width=160, height=120, fps=2)
    # The shorter side is under 120 px: validation rejects it, a transcode alone would make a film of it.
    second = make_clip(tmp_path / "second.mp4", 60, width=96, height=64, fps=2)
    office = stack.client("field_office")
    body = {**METADATA, "filename": "film.mp4", "content_type": "video/mp4", "size_bytes": first.stat().st_size}
    created = office.request("POST", "/uploads", json=body).json()
    video_id = created["video_id"]

    transcoders = workers_of(stack, "TranscodeQueue")
    assert transcoders, "the stack runs a transcode worker"
    for pid in transcoders:
        os.kill(pid, signal.SIGSTOP)
    try:
        assert post_file(created["upload"], first, "video/mp4").status_code == 204
        wait_for(lambda: film(stack, video_id)["status"] == "TRANSCODING", 60, "the first file to be validated")
        assert post_file(created["upload"], second, "video/mp4").status_code == 204  # the same URL, again
        wait_for(lambda: queue_is_empty(stack, "UploadsQueue"), 60, "the second file's event to be handled")
    finally:
        for pid in transcoders:
            os.kill(pid, signal.SIGCONT)

    upload = office.wait_for_terminal(video_id, timeout_s=120)
    assert upload["status"] == "REJECTED", upload
    assert upload["reason_code"] == "resolution_out_of_range"
    journey = [step["status"] for step in film(stack, video_id)["history"]]
    validated_twice = ["AWAITING_UPLOAD", "UPLOADED", "VALIDATING", "TRANSCODING", "UPLOADED", "VALIDATING"]
    assert journey == [*validated_twice, "REJECTED"]
    listed = aws(stack, "s3").list_objects_v2(Bucket=stack.info["resources"]["MediaBucket"], Prefix="films/")
    assert [item["Key"] for item in listed.get("Contents", []) if video_id in item["Key"]] == []
