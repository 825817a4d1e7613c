"""The local API (`local/api_server.py`, `chalice local`) over real HTTP, one keep-alive connection:
HEAD, a method a route does not have and headers over 10 KiB are answered as the deployed API answers
them (issue 22, item 8)."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

from chalicelib.api.errors import NO_ROUTE_MESSAGE
from local.api_server import MAX_HEADER_BYTES, gateway_response
from local.resources import ROOT
from local.stack import wait_until
from tests.functional.factories import write_ready_film
from tests.ports import free_port

NOT_FOUND = {"error": "not_found", "message": NO_ROUTE_MESSAGE}


@pytest.fixture
def local_api(stack) -> Iterator[tuple[str, int]]:
    """`python -m local.api_server`, as the local stack starts it, with the test stack's environment
    (a process of its own: `chalice local` changes the app object's class for good)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "local.api_server", "--host", "127.0.0.1", "--port", str(port), "--stage", "local"],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # A generous limit: the server starts in seconds, on a busy machine in more.
        wait_until(lambda: requests.get(f"http://127.0.0.1:{port}/topics", timeout=5).ok, "the local API", 300)
        yield "127.0.0.1", port
    finally:
        server.terminate()
        server.wait(timeout=30)


def answer(connection: http.client.HTTPConnection, method: str, path: str, headers=None, body=None):
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def test_head_answers_the_get_s_status_and_headers_and_the_next_answer_is_intact(local_api, stack):
    video_id = write_ready_film(stack)
    connection = http.client.HTTPConnection(*local_api, timeout=30)
    for path in ("/videos", "/topics", f"/videos/{video_id}", "/no-such-route"):
        status, headers, body = answer(connection, "GET", path)
        head_status, head_headers, head_body = answer(connection, "HEAD", path)
        assert (head_status, head_body) == (status, b""), path
        assert head_headers["Content-Type"] == headers["Content-Type"]
        assert head_headers["Content-Length"] == str(len(body)), "the length of the GET's body"
        # The next request on the same connection reads a whole, well-formed answer.
        assert answer(connection, "GET", "/topics")[0] == 200
        assert json.loads(answer(connection, "GET", "/topics")[2])["items"]
    connection.close()


def test_a_method_a_route_does_not_have_is_404_not_found_as_deployed(local_api, stack):
    connection = http.client.HTTPConnection(*local_api, timeout=30)
    key = {"x-api-key": stack.keys["office"], "content-type": "application/json"}
    for method, path in (("PUT", "/uploads"), ("DELETE", "/videos"), ("POST", "/topics")):
        status, headers, body = answer(connection, method, path, key, b"{}")
        assert (status, json.loads(body)) == (404, NOT_FOUND), (method, path)
        assert "Allow" not in headers
    assert answer(connection, "GET", "/no-such-route")[:3:2] == (404, json.dumps(NOT_FOUND).encode())
    connection.close()


def test_headers_over_10_kib_get_the_deployed_request_too_large_answer(local_api):
    status, _, body = gateway_response("REQUEST_TOO_LARGE")
    assert status == 413 and json.loads(body)["error"] == "request_too_large"
    connection = http.client.HTTPConnection(*local_api, timeout=30)
    assert answer(connection, "GET", "/topics", {"x-padding": "a" * (MAX_HEADER_BYTES - 200)})[0] == 200
    for headers in (
        {"x-padding": "a" * (MAX_HEADER_BYTES + 1)},
        {f"x-padding-{n}": "a" * 1000 for n in range(11)},
        {"x-padding": "a" * 70_000},  # over the 64 KiB that Python's HTTP server reads of one line
    ):
        connection = http.client.HTTPConnection(*local_api, timeout=30)
        got = answer(connection, "GET", "/topics", headers)
        assert (got[0], got[2]) == (status, body)
        assert got[1]["Content-Type"] == "application/json" and got[1]["Access-Control-Allow-Origin"] == "*"
        connection.close()
