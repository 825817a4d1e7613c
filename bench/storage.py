"""The storage-facing benchmarks: big uploads on moto's server, the handlers' own time and memory.

Runs moto's server in a process of its own, creates the stack's resources from infra/resources.yaml,
and drives the real handlers from app.py with the events Lambda would give them.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import requests

from chalicelib.domain.film import Film, Status
from chalicelib.domain.stages import TRANSCODE, VALIDATE
from chalicelib.media.probe import probe
from local import chalice_config
from local.clips import make_clip as small_clip
from local.resources import ROOT, LocalResources
from local.stack import AWS_ENV, start_moto, wait_until

MEMORY_PROBE = "bench.handler_memory"
BENCH_QUEUES = "BENCH_QUEUES"
STAGE_QUEUES = {stage.name: stage.queue_id for stage in (VALIDATE, TRANSCODE)}


def start_moto_server() -> tuple[subprocess.Popen[bytes], str]:
    process, port = start_moto()
    endpoint = f"http://127.0.0.1:{port}"
    wait_until(lambda: requests.get(f"{endpoint}/moto-api/data.json", timeout=1).ok, "moto server")
    return process, endpoint


def stack_environment(endpoint: str) -> dict[str, str]:
    os.environ.update(AWS_ENV, AWS_ENDPOINT_URL=endpoint)
    resources = LocalResources(boto3.session.Session(), endpoint, "omjr-bench")
    resources.create_all()
    queues = {stage: resources.resolve({"Ref": queue}) for stage, queue in STAGE_QUEUES.items()}
    return {
        BENCH_QUEUES: json.dumps(queues),
        **AWS_ENV,
        "AWS_ENDPOINT_URL": endpoint,
        **chalice_config.environment("local"),
        **resources.function_environment({"MEDIA_BASE_URL": "http://127.0.0.1/media"}),
        # The 1 GB upload would otherwise be rejected as too large before it is transcoded.
        "MAX_UPLOAD_BYTES": str(2 * 2**30),
    }


def upload_film(env: dict[str, str], path: Path) -> str:
    """A catalog entry awaiting its file, then the file itself at the server-chosen key."""
    from chalicelib import wiring
    from chalicelib.services.access import FIELD_OFFICE, Caller
    from chalicelib.services.uploads import create_upload

    os.environ.update(env)
    wiring.reset()
    body = {
        "title": "Bench",
        "country": "AZ",
        "topics": ["violence"],
        "author": {"first_name": "Bench", "age": 15},
        "filename": "bench.mp4",
        "size_bytes": path.stat().st_size,
        "content_type": "video/mp4",
    }
    created = create_upload(wiring.dependencies(), Caller(FIELD_OFFICE, "bench", frozenset({"AZ"})), body)
    key = created["upload"]["fields"]["key"]
    boto3.session.Session().client("s3").upload_file(str(path), env["UPLOADS_BUCKET"], key)
    return str(created["video_id"])


def film_status(env: dict[str, str], video_id: str) -> Film:
    from chalicelib import wiring

    os.environ.update(env)
    wiring.reset()
    film = wiring.dependencies().catalog.get_film(video_id)
    assert film is not None
    return film


def run_handlers(env: dict[str, str], stages: str) -> dict[str, Any]:
    """Runs the handlers in a fresh process (`bench.handler_memory`) and returns what it measured."""
    out = subprocess.run(
        [sys.executable, "-m", MEMORY_PROBE, stages],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def serve_ranges(path: Path) -> tuple[ThreadingHTTPServer, str]:
    """The file over HTTP with Range support that seeks, as S3 answers range GETs (moto reads it all)."""

    class RangeHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            size = path.stat().st_size
            first, last = 0, size - 1
            ranged = re.match(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
            if ranged:
                first, last = int(ranged[1]), int(ranged[2] or size - 1)
            self.send_response(206 if ranged else 200)
            self.send_header("Content-Length", str(last - first + 1))
            self.send_header("Accept-Ranges", "bytes")
            if ranged:
                self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
            self.end_headers()
            with path.open("rb") as file:
                file.seek(first)
                remaining = last - first + 1
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    while remaining > 0 and (chunk := file.read(min(remaining, 2**16))):
                        self.wfile.write(chunk)
                        remaining -= len(chunk)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), RangeHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/{path.name}"


def probe_over_ranges(path: Path) -> tuple[str, str, str]:
    server, url = serve_ranges(path)
    try:
        times, bytes_read = [], 0
        for _ in range(3):
            started = time.perf_counter()
            bytes_read = probe(url, path.stat().st_size).bytes_read
            times.append(time.perf_counter() - started)
    finally:
        server.shutdown()
    return (
        f"probe of the same {path.stat().st_size / 1e6:.0f} MB file over HTTP range requests that seek",
        f"{statistics.median(times):.3f} s, {bytes_read / 1e6:.2f} MB read",
        "< 1 s, < 5 MB",
    )


def large_upload_rows(work: Path, make_clip: Callable[..., Path]) -> list[tuple[str, str, str]]:
    moto, endpoint = start_moto_server()
    try:
        env = stack_environment(endpoint)
        rows = []
        half_gig = make_clip(work / "upload-500mb.mp4", "66M", noise=True)
        # A small film first, so that the measure is of a warm function, as most invocations are.
        upload_film(env, small_clip(work / "warm-up.mp4", 60))
        video_id = upload_film(env, half_gig)
        measured = run_handlers(env, "validate,validate")
        film = film_status(env, video_id)
        assert film.status is Status.TRANSCODING, film
        rows.append(
            (
                f"validation of a {half_gig.stat().st_size / 1e6:.0f} MB upload (handler, presigned URL)",
                f"{measured['seconds'][-1]:.2f} s warm, {measured['bytes_probed'] / 1e6:.2f} MB read "
                f"(one 100-byte range GET of it on moto: {measured['ranged_get_seconds']:.2f} s)",
                "< 1 s, < 5 MB",
            )
        )
        rows.append(probe_over_ranges(half_gig))
        half_gig.unlink()
        # Neither that film's transcode nor a duplicate notification of its upload is part of the next measure.
        sqs = boto3.session.Session().client("sqs")
        for queue_url in json.loads(env[BENCH_QUEUES]).values():
            sqs.purge_queue(QueueUrl=queue_url)

        gig = make_clip(work / "upload-1gb.mp4", "133M", noise=True)
        video_id = upload_film(env, gig)
        gig_bytes = gig.stat().st_size
        gig.unlink()
        started = time.perf_counter()
        measured = run_handlers(env, "validate,transcode")
        elapsed = time.perf_counter() - started
        film = film_status(env, video_id)
        assert film.status is Status.READY, film
        rows.append(
            (
                f"peak memory of the handler process, {gig_bytes / 1e9:.2f} GB upload validated + transcoded",
                f"{measured['max_rss_mb']:.0f} MB (after imports: {measured['rss_after_import_mb']:.0f} MB; "
                f"{elapsed:.0f} s in all)",
                "< 150 MB",
            )
        )
        return rows
    finally:
        moto.terminate()
        moto.wait()
