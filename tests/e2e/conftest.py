"""End-to-end: `python -m local` (what `make run` starts) over real HTTP, moto's server as AWS."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.adapters.dynamodb_items import from_item, to_item
from chalicelib.adapters.film_items import film_key
from local.client import IngestClient
from local.resources import ROOT
from tests.ports import free_port

START_TIMEOUT_S = 300  # a slow, busy machine: waiting longer costs nothing when it starts fast


class RunningStack:
    def __init__(self, state_dir: Path, samples: bool, overrides: dict[str, Any] | None = None) -> None:
        self.state_dir = state_dir
        env = {
            **os.environ,
            "PORT": str(free_port()),
            "WEB_PORT": str(free_port()),
            "SAMPLES": "1" if samples else "0",
            "LOCAL_STATE_DIR": str(state_dir),
            "FIELD_OFFICE_API_KEY": "office-key-e2e",
        }
        if overrides is not None:
            (state_dir / "overrides.json").write_text(json.dumps(overrides))
            env["LOCAL_OVERRIDES"] = str(state_dir / "overrides.json")
        env.pop("AWS_ENDPOINT_URL", None)
        self.log = (state_dir / "stack.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "local"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.info = self._wait_for_stack_file()

    def _wait_for_stack_file(self) -> dict[str, Any]:
        stack_file = self.state_dir / "stack.json"
        deadline = time.monotonic() + START_TIMEOUT_S
        while not stack_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the local stack did not start:\n{self.output()}")
            time.sleep(0.2)
        info: dict[str, Any] = json.loads(stack_file.read_text())
        return info

    def output(self) -> str:
        return (self.state_dir / "stack.log").read_text(errors="replace")

    def client(self, role: str) -> IngestClient:
        return IngestClient(self.info["api_url"], self.info["api_keys"][role])

    def stop(self, ending: signal.Signals = signal.SIGINT) -> int:
        """What Ctrl-C does (or, with `ending=signal.SIGHUP`, closing the terminal)."""
        if self.process.poll() is None:
            self.process.send_signal(ending)
        code = self.process.wait(timeout=30)
        self.log.close()
        return code


def aws(stack: RunningStack, service: str) -> Any:
    """A boto3 client of the stack's own AWS (moto's server), as its admin user: moto checks IAM."""
    credentials = stack.info["admin_credentials"]
    session = boto3.session.Session(
        aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    )
    return session.client(service, endpoint_url=stack.info["aws_endpoint_url"])


def workers_of(stack: RunningStack, queue_logical_id: str) -> list[int]:
    """The process ids of the stack's workers on a queue (to pause them with SIGSTOP, say)."""
    queue = stack.info["resources"][queue_logical_id]
    found = subprocess.run(["pgrep", "-f", f"local.worker {queue} "], capture_output=True, text=True, check=False)
    return [int(pid) for pid in found.stdout.split()]


def film(stack: RunningStack, video_id: str) -> dict[str, Any]:
    """The film's item as the table stores it."""
    table = stack.info["resources"]["CatalogTable"]
    response = aws(stack, "dynamodb").get_item(TableName=table, Key=to_item(film_key(video_id)), ConsistentRead=True)
    item: dict[str, Any] = from_item(response["Item"])
    return item


def queue_is_empty(stack: RunningStack, queue_logical_id: str) -> bool:
    attributes = aws(stack, "sqs").get_queue_attributes(
        QueueUrl=stack.info["resources"][queue_logical_id],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return all(int(count) == 0 for count in attributes.values())


def wait_for(condition: Callable[[], Any], timeout_s: float, what: str, every_s: float = 0.3) -> Any:
    """`condition()`'s first true value, looked at every `every_s` until `timeout_s` has passed."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every_s)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="session")
def running_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    stack = RunningStack(tmp_path_factory.mktemp("stack"), samples=True)
    yield stack
    stack.stop()
