"""`chalice local`, with the local gateway's own refusals in the API's error shape.

`chalice local` answers a path no route matches as API Gateway does, 403 `{"message": "Missing
Authentication Token"}`, before our code (and its middleware) sees the request. Locally there is no
token to miss: the honest answer is 404 `not_found`, in the `{"error": code, "message": ...}` shape
that every other answer has. The deployed API shapes API Gateway's own answers with the gateway
responses in `infra/resources.yaml`.

    python -m local.api_server --host 127.0.0.1 --port 8000 --stage local
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import sys
from typing import Any

from chalice.cli.factory import CLIFactory
from chalice.local import (
    ChaliceRequestHandler,
    ForbiddenError,
    LocalDevServer,
    LocalGatewayException,
    NotAuthorizedError,
    create_local_server,
)

from local.resources import ROOT

# What the local gateway raises itself -> (status, error code, message).
GATEWAY_ANSWERS: dict[type[LocalGatewayException], tuple[int, str, str]] = {
    ForbiddenError: (404, "not_found", "No such route; the API's routes are listed in its OpenAPI document."),
    NotAuthorizedError: (401, "unauthenticated", "Send your API key in the x-api-key header."),
}


class ShapedRequestHandler(ChaliceRequestHandler):
    """Chalice's request handler, answering the gateway's own refusals in the API's error shape."""

    def _send_error_response(self, error: LocalGatewayException) -> None:
        status, code, message = GATEWAY_ANSWERS.get(
            type(error), (500, "internal_error", "Something went wrong on our side; try again shortly.")
        )
        body = json.dumps({"error": code, "message": message}).encode()
        headers = {key: value for key, value in error.headers.items() if key.lower() != "x-amzn-errortype"}
        self._send_http_response(status, {**headers, "Content-Type": "application/json"}, body)


def create_server(host: str, port: int, stage: str) -> LocalDevServer:
    """What `chalice local --stage STAGE` builds, with `ShapedRequestHandler`."""
    factory = CLIFactory(project_dir=str(ROOT), environ=dict(os.environ))
    config = factory.create_config_obj(chalice_stage_name=stage)
    server = create_local_server(config.chalice_app, config, host, port)
    handler: Any = functools.partial(ShapedRequestHandler, app_object=server.app_object, config=config)
    server.server.RequestHandlerClass = handler
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--stage", default="local")
    args = parser.parse_args()
    # As `chalice local` does: the app's log lines on stdout, as Lambda would have them.
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    create_server(args.host, args.port, args.stage).serve_forever()


if __name__ == "__main__":
    main()
