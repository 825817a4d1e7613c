"""Chalice HTTP middleware: one JSON log line per request with its request id and film. It runs
inside `observability.observe_every_function`, which adds the Lambda context and cold start to
every line and flushes the request's metrics, as for every other function. Chalice's own answers
(415, 405) pass here too, and leave in the API's error shape. The request's keys are its thread's own: the
local API server answers several requests at once, and shared keys named one request's film in another's
line (or none)."""

from __future__ import annotations

from collections.abc import Callable

from chalice.app import Request, Response

from chalicelib.api.errors import in_error_shape
from chalicelib.observability import logger


def log_request(event: Request, get_response: Callable[[Request], Response]) -> Response:
    video_id = (event.uri_params or {}).get("video_id")
    request_id = event.context.get("requestId") or getattr(event.lambda_context, "aws_request_id", None)
    logger.thread_safe_append_keys(request_id=request_id, video_id=video_id)
    try:
        response = in_error_shape(get_response(event))
        logger.info("request", extra={"method": event.method, "path": event.path, "status": response.status_code})
        return response
    finally:
        logger.thread_safe_remove_keys(["request_id", "video_id"])
