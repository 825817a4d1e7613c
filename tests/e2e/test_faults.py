"""Fault injection on the local stack: a worker killed mid-transcode, one event delivered many times
at once, a poison message; and the operator's commands that see and redrive what failed.

The stack runs with shorter function timeouts than production (whose 900 s would make the killed transcode's
retry wait a quarter of an hour), yet far above what the work needs on a slow, busy machine: the faults here are
injected (a kill, duplicates, a poison message), never produced by a deadline. As on `make run`, a worker's
heartbeat keeps its message invisible while it works, under a short visibility: a killed worker's message comes
back within it, finds its attempt still recorded as running, and waits out that attempt's time limit (the
function timeout) before it runs again. The function timeout is sized on the films these tests make (the
largest, 60 s of 640x360 at 10 fps, takes about 3 s of CPU to transcode, 6 s of wall time under a load of 16 on
two cores).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from chalicelib.domain.film import Film, Status
from chalicelib.services.messages import upload_notification
from local.clips import make_clip
from local.resources import ROOT
from tests.e2e.conftest import RunningStack, aws, film, queue_is_empty, wait_for

FUNCTION_TIMEOUT_S = 60
# Validation is one ffprobe of a tiny clip (well under a second): a duplicate waits this long for its first run.
VALIDATE_TIMEOUT_S = 20
SHORT = {
    "resources": {"UploadsQueue": {"VisibilityTimeout": 15}, "TranscodeQueue": {"VisibilityTimeout": 15}},
    "heartbeat_s": 3,
    "function_timeouts": {"validate_upload": VALIDATE_TIMEOUT_S, "transcode_film": FUNCTION_TIMEOUT_S},
    "schedule_interval_s": 3600,
}
METADATA = {"title": "Faults", "country": "AZ", "topics": ["violence"], "author": {"first_name": "Ali", "age": 15}}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    running = RunningStack(tmp_path_factory.mktemp("fault-stack"), samples=False, overrides=SHORT)
    yield running
    running.stop()


def journey(stack: RunningStack, video_id: str) -> list[str]:
    return [step["status"] for step in film(stack, video_id)["history"]]


def media_keys(stack: RunningStack, video_id: str) -> list[str]:
    s3 = aws(stack, "s3")
    bucket = stack.info["resources"]["MediaBucket"]
    keys = []
    for prefix in (f"films/{video_id}/", f"staging/{video_id}/"):
        keys += [item["Key"] for item in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]
    return sorted(keys)


def ops(stack: RunningStack, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "cli", "--stack-file", str(stack.state_dir / "stack.json"), "ops", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def transcoding_worker(stack: RunningStack) -> int | None:
    """The pid of the transcode worker of this stack while it runs ffprobe or ffmpeg (so: inside a transcode)."""
    queue = stack.info["resources"]["TranscodeQueue"]
    workers = subprocess.run(
        ["pgrep", "-f", f"local.worker {queue} "], capture_output=True, text=True, check=False
    ).stdout.split()
    for pid in workers:
        children = subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True, check=False).stdout.split()
        if children:
            return int(pid)
    return None


@pytest.mark.timeout(900)
def test_a_worker_killed_mid_transcode_is_retried_and_the_film_completes_once(stack, tmp_path):
    # A transcode of about 3 s of CPU (6 s under a load of 16 on two cores), far below its 60 s function timeout;
    # long enough for looks every 50 ms to find its ffprobe or ffmpeg running.
    clip = make_clip(tmp_path / "slow.mp4", 60, width=640, height=360, fps=10)
    office = stack.client("field_office")
    video_id = office.upload(clip, METADATA)
    # Only pgrep in the loop, every 50 ms: the transcode's ffmpeg cannot run unseen between two looks.
    worker = wait_for(lambda: transcoding_worker(stack), 300, "the transcode's ffmpeg to start", every_s=0.05)
    ffmpeg = subprocess.run(["pgrep", "-P", str(worker)], capture_output=True, text=True, check=False).stdout.split()
    os.kill(worker, signal.SIGKILL)  # as Lambda does at a timeout: the whole environment goes
    for pid in ffmpeg:
        with contextlib.suppress(ProcessLookupError):  # a child (ffprobe, say) may have ended meanwhile
            os.killpg(int(pid), signal.SIGKILL)
    assert film(stack, video_id)["status"] == "TRANSCODING"
    upload = office.wait_for_terminal(video_id, timeout_s=600)
    assert upload["status"] == "READY", upload
    assert journey(stack, video_id).count("TRANSCODING") == 1
    assert journey(stack, video_id).count("READY") == 1
    keys = media_keys(stack, video_id)
    assert [k for k in keys if k.startswith("staging/")] == []
    assert {"poster.jpg", "sprite.jpg", "storyboard.vtt"} <= {k.rsplit("/", 1)[1] for k in keys}
    assert "360p.mp4" in {k.rsplit("/", 1)[1] for k in keys}
    assert "exited" in stack.output() and "starting it again" in stack.output()


def test_one_event_delivered_three_more_times_at_once_makes_one_film(stack, clips):
    office = stack.client("field_office")
    created = office.request(
        "POST",
        "/uploads",
        json={
            **METADATA,
            "filename": "film.mp4",
            "content_type": "video/mp4",
            "size_bytes": clips["valid"].stat().st_size,
        },
    ).json()
    video_id = created["video_id"]
    key = created["upload"]["fields"]["key"]
    bucket = stack.info["resources"]["UploadsBucket"]
    etag = aws(stack, "s3").put_object(Bucket=bucket, Key=key, Body=clips["valid"].read_bytes())["ETag"].strip('"')
    size = clips["valid"].stat().st_size
    body = upload_notification(
        bucket, Film(video_id, Status.UPLOADED, "", "", upload_key=key, size_bytes=size, upload_etag=etag)
    )
    sqs = aws(stack, "sqs")
    for _ in range(3):
        sqs.send_message(QueueUrl=stack.info["resources"]["UploadsQueue"], MessageBody=body)
    assert office.wait_for_terminal(video_id, timeout_s=240)["status"] == "READY"
    wait_for(lambda: queue_is_empty(stack, "UploadsQueue"), 240, "every duplicate to be handled")
    assert journey(stack, video_id) == ["AWAITING_UPLOAD", "UPLOADED", "VALIDATING", "TRANSCODING", "READY"]
    assert len([k for k in media_keys(stack, video_id) if k.endswith(".mp4")]) == 1


def test_a_poison_message_ends_in_the_dead_letter_queue_and_can_be_redriven(stack):
    sqs = aws(stack, "sqs")
    sqs.send_message(QueueUrl=stack.info["resources"]["TranscodeQueue"], MessageBody="this is not a message")
    # Looked at through SQS (an `ops` command in the loop would start Python every 0.3 s); ops says it next.
    wait_for(lambda: not queue_is_empty(stack, "TranscodeDeadLetterQueue"), 240, "the dead-letter queue")
    status = ops(stack, "status")
    assert status["dead_letter_queues"]["transcode"] == 1
    assert set(status) == {"films", "dead_letter_queues", "oldest_in_processing", "failed"}
    assert ops(stack, "redrive") == {"uploads": 0, "transcode": 1, "protect": 0}
    assert ops(stack, "status")["dead_letter_queues"]["transcode"] == 0
