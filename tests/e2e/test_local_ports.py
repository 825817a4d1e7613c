"""`make run` on a port another program holds: it says which variable to set and claims nothing.

Another `make run` still going on the API's port answers the start-up check; the stack must not print keys and
addresses that are not its own, nor remove the running stack's `.local/stack.json` as it stops.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from local.resources import ROOT
from tests.ports import free_port


class AnotherApi(BaseHTTPRequestHandler):
    """Answers every GET with 200 and an empty listing, as another stack's API would."""

    def do_GET(self) -> None:
        body = b'{"items": [], "next_cursor": null}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def occupied_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), AnotherApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("variable", "what"), [("PORT", "the API"), ("WEB_PORT", "the website")])
def test_a_taken_port_is_named_and_the_running_stack_is_left_alone(
    tmp_path: Path, occupied_port: int, variable: str, what: str
) -> None:
    running = {"api_url": f"http://127.0.0.1:{occupied_port}", "note": "another stack's, still running"}
    (tmp_path / "stack.json").write_text(json.dumps(running))
    env = {
        **os.environ,
        "PORT": str(free_port()),
        "WEB_PORT": str(free_port()),
        variable: str(occupied_port),
        "SAMPLES": "0",
        "LOCAL_STATE_DIR": str(tmp_path),
    }
    env.pop("AWS_ENDPOINT_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "local"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert f"{what} cannot use port {occupied_port}" in output, output
    assert f"set {variable} to a free port" in output, output
    assert "is running" not in output and "key:" not in output, output
    assert json.loads((tmp_path / "stack.json").read_text()) == running
