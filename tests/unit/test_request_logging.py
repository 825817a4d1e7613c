"""The API's line per request names its own film, even when requests are answered at once (the local API
server answers each on its own thread): one request's film never shows in another's line."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Iterator

import pytest
from chalice.app import Request, Response

from chalicelib.api.request_logging import log_request
from chalicelib.observability import logger


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def request_for(video_id: str) -> Request:
    return Request(
        {
            "httpMethod": "GET",
            "path": f"/uploads/{video_id}",
            "headers": {},
            "multiValueQueryStringParameters": None,
            "pathParameters": {"video_id": video_id},
            "requestContext": {
                "requestId": f"request-{video_id}",
                "httpMethod": "GET",
                "resourcePath": "/uploads/{video_id}",
            },
            "stageVariables": None,
            "body": None,
            "isBase64Encoded": False,
        }
    )


def test_two_requests_at_once_each_log_their_own_film(log_lines):
    both_started = threading.Barrier(2)
    first_logged = threading.Event()

    def answer(video_id: str) -> None:
        def respond(_: Request) -> Response:
            both_started.wait()  # each has set its keys before either logs
            if video_id == "film-b":
                first_logged.wait(timeout=10)  # film-a logs and clears its keys first
            return Response(body={}, status_code=200)

        log_request(request_for(video_id), respond)
        if video_id == "film-a":
            first_logged.set()

    threads = [threading.Thread(target=answer, args=(video_id,)) for video_id in ("film-a", "film-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    named = {line["request_id"]: line.get("video_id") for line in lines if line["message"] == "request"}
    assert named == {"request-film-a": "film-a", "request-film-b": "film-b"}
