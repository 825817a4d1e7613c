"""Runs pipeline handlers from app.py on the messages waiting in their queues; prints one JSON line:
seconds per stage, bytes probed and this process's peak RSS (ffmpeg's own memory is not counted).

    python -m bench.handler_memory validate,validate,transcode
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import boto3

from chalicelib.domain.stages import stage_named
from local.lambda_context import LocalLambdaContext
from local.worker import lambda_event


def rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent at fork)."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024  # type: ignore[index]


def ranged_get_seconds(bucket: str, key: str) -> float:
    """What one 100-byte range request costs on this storage (moto reads the whole object for it)."""
    s3 = boto3.session.Session().client("s3")
    started = time.perf_counter()
    s3.get_object(Bucket=bucket, Key=key, Range="bytes=0-99")["Body"].read()
    return time.perf_counter() - started


def next_message(sqs: Any, url: str) -> dict[str, Any]:
    """The next S3 or pipeline message, skipping the `s3:TestEvent` S3 sends when notifications start."""
    while True:
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=1).get("Messages", []):
            if "s3:TestEvent" not in message["Body"]:
                return dict(message)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def main() -> None:
    import app

    after_import = rss_mb()
    sqs = boto3.session.Session().client("sqs")
    queues = json.loads(os.environ["BENCH_QUEUES"])
    seconds: list[float] = []
    ranged_get = None
    logs = StringIO()
    for stage in sys.argv[1].split(","):
        handler_name = stage_named(stage).function
        message = next_message(sqs, queues[stage])
        started = time.perf_counter()
        with redirect_stdout(logs):
            getattr(app, handler_name)(lambda_event(message, stage), LocalLambdaContext(handler_name, 900))
        seconds.append(time.perf_counter() - started)
        sqs.delete_message(QueueUrl=queues[stage], ReceiptHandle=message["ReceiptHandle"])
        if stage == "validate":
            record = json.loads(message["Body"])["Records"][0]["s3"]
            ranged_get = ranged_get_seconds(record["bucket"]["name"], unquote_plus(record["object"]["key"]))
    # The handler's metrics (embedded metric format) say how many bytes the probe read.
    probed = [int(float(match)) for match in re.findall(r'"BytesProbed":\[([\d.]+)\]', logs.getvalue())]
    print(
        json.dumps(
            {
                "seconds": seconds,
                "ranged_get_seconds": ranged_get,
                "bytes_probed": probed[-1] if probed else None,
                "rss_after_import_mb": after_import,
                "max_rss_mb": rss_mb(),
            }
        )
    )


if __name__ == "__main__":
    main()
