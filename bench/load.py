"""Load run: 30 uploads at once through the local stack (`make run`'s stack, no demo films).

Reports whether every film reached a terminal state exactly once, throughput in films per minute,
and the time from the end of each upload to READY.

    python -m bench.load [FILMS]
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3

from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from local.client import TERMINAL, IngestClient
from local.clips import make_clip
from local.resources import ROOT
from tests.ports import free_port

METADATA = {"title": "Load", "country": "AZ", "topics": ["violence"], "author": {"first_name": "Ali", "age": 15}}


def start_stack(state_dir: Path) -> tuple[subprocess.Popen[bytes], dict[str, object]]:
    env = {
        **os.environ,
        "PORT": str(free_port()),
        "WEB_PORT": str(free_port()),
        "SAMPLES": "0",
        "LOCAL_STATE_DIR": str(state_dir),
    }
    env.pop("AWS_ENDPOINT_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "local"],
        cwd=ROOT,
        env=env,
        stdout=(state_dir / "stack.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    while not (state_dir / "stack.json").exists():
        if process.poll() is not None:
            raise SystemExit((state_dir / "stack.log").read_text())
        time.sleep(0.2)
    return process, json.loads((state_dir / "stack.json").read_text())


def main() -> None:
    films = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    work = Path(tempfile.mkdtemp(prefix="omjr-load-"))
    clip = make_clip(work / "film.mp4", 60, width=320, height=180, fps=10)
    process, stack = start_stack(work)
    try:
        office = IngestClient(str(stack["api_url"]), str(stack["api_keys"]["field_office"]))  # type: ignore[index]
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=films) as pool:
            uploaded = list(pool.map(lambda _: (office.upload(clip, METADATA), time.monotonic()), range(films)))
        done: dict[str, tuple[str, float]] = {}
        while len(done) < films and time.monotonic() - started < 1800:
            for video_id, _ in uploaded:
                if video_id not in done:
                    status = office.request("GET", f"/uploads/{video_id}").json()["status"]
                    if status in TERMINAL:
                        done[video_id] = (status, time.monotonic())
            time.sleep(0.5)
        elapsed = max(at for _, at in done.values()) - started
        latencies = sorted(done[video_id][1] - at for video_id, at in uploaded if video_id in done)
        admin: dict[str, str] = stack["admin_credentials"]  # type: ignore[assignment]
        session = boto3.session.Session(
            aws_access_key_id=admin["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=admin["AWS_SECRET_ACCESS_KEY"],
            region_name="us-east-1",
        )
        catalog = DynamoDBCatalog(
            session.client("dynamodb", endpoint_url=str(stack["aws_endpoint_url"])),
            str(stack["resources"]["CatalogTable"]),
        )  # type: ignore[index]
        repeated = 0
        for video_id, _ in uploaded:
            film = catalog.get_film(video_id)
            journey = [step.status for step in film.history] if film else []
            repeated += len(journey) - len(set(journey))
        statuses = [status for status, _ in done.values()]
        print("| measure | result |\n| --- | --- |")
        print(f"| films uploaded at once | {films} |")
        print(
            f"| reached a terminal state | {len(done)} ({statuses.count('READY')} READY), lost: {films - len(done)} |"
        )
        print(f"| states entered twice (duplicates) | {repeated} |")
        print(f"| throughput | {len(done) / elapsed * 60:.1f} films per minute ({elapsed:.0f} s for all) |")
        print(
            f"| upload to READY | median {statistics.median(latencies):.0f} s, "
            f"p95 {latencies[int(0.95 * (len(latencies) - 1))]:.0f} s, max {latencies[-1]:.0f} s |"
        )
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
