"""`chalice local`, answering as the deployed API Gateway does where Chalice's local gateway does not.

- A path no route matches: `chalice local` answers 403 `{"message": "Missing Authentication Token"}`
  before our code sees the request; API Gateway answers the same, and the deployed API shapes it
  into 404 `not_found` (its MISSING_AUTHENTICATION_TOKEN gateway response in `infra/resources.yaml`).
  Here it gets that gateway response, read from the template. (A method a route does not have is
  answered 404 `not_found` by the app's middleware: `chalicelib/api/errors.py`.)
- Request line and headers over 10 KiB (API Gateway's quota): the REQUEST_TOO_LARGE gateway
  response of the template (413), and the connection is closed (a body may follow unread).
- HEAD: the GET's status and headers and no body. `chalice local` hands HEAD to the app, which has no
  HEAD route, and writes the 405's body after the headers, where a client reading a HEAD answer
  expects none: the next response on the same keep-alive connection came out corrupted.

    python -m local.api_server --host 127.0.0.1 --port 8000 --stage local
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import sys
from http import HTTPStatus
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

from infra.template import load_template
from local.resources import ROOT

# API Gateway's quota on a REST API request's line and header values together.
MAX_HEADER_BYTES = 10 * 1024
# The status API Gateway gives a gateway response whose definition names none.
DEFAULT_STATUS = {"MISSING_AUTHENTICATION_TOKEN": 403, "REQUEST_TOO_LARGE": 413, "UNAUTHORIZED": 401}


@functools.cache
def gateway_response(response_type: str) -> tuple[int, dict[str, str], bytes]:
    """The status, headers and body that the deployed API's gateway response of `response_type` sends,
    as `infra/resources.yaml` defines it for the REST API."""
    api = load_template()["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    response = api["x-amazon-apigateway-gateway-responses"][response_type]
    headers = {
        name.removeprefix("gatewayresponse.header."): value.strip("'")
        for name, value in response.get("responseParameters", {}).items()
    }
    body = response["responseTemplates"]["application/json"].encode()
    json.loads(body)  # a template with variables would need API Gateway to render it
    status = int(response.get("statusCode") or DEFAULT_STATUS[response_type])
    return status, {**headers, "Content-Type": "application/json"}, body


# What the local gateway raises itself -> the gateway response the deployed API answers with.
GATEWAY_ANSWERS: dict[type[LocalGatewayException], str] = {ForbiddenError: "MISSING_AUTHENTICATION_TOKEN"}
UNAUTHENTICATED = (401, "unauthenticated", "Send your API key in the x-api-key header.")


class ShapedRequestHandler(ChaliceRequestHandler):
    """Chalice's request handler, answering HEAD, oversized headers and the gateway's own refusals as the
    deployed API does."""

    _head = False

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        size = len(self.requestline.encode("latin-1", "replace")) + sum(
            len(value.encode("latin-1", "replace")) for value in self.headers.values()
        )
        if size > MAX_HEADER_BYTES:
            self._too_large()
            return False
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Python's own refusals of a request line or a header line over 64 KiB (414, 431) are over
        API Gateway's quota too."""
        if code in (HTTPStatus.REQUEST_URI_TOO_LONG, HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE):
            self._too_large()
        else:
            super().send_error(code, message, explain)

    def do_HEAD(self) -> None:  # noqa: N802 (http.server names its handlers so)
        """The GET's status and headers, without its body."""
        self._head, self.command = True, "GET"
        try:
            self._generic_handle()
        finally:
            self._head, self.command = False, "HEAD"

    def _send_http_response_with_body(self, code: int, headers: Any, body: str | bytes) -> None:
        if not self._head:
            super()._send_http_response_with_body(code, headers, body)
            return
        # As the parent does, but the body is only counted (a HEAD answer says how long the GET's is).
        self.send_response(code)
        self.send_header("Content-Length", str(len(body.encode() if isinstance(body, str) else body)))
        self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
        self._send_headers(headers)

    def _send_error_response(self, error: LocalGatewayException) -> None:
        if type(error) in GATEWAY_ANSWERS:
            status, headers, body = gateway_response(GATEWAY_ANSWERS[type(error)])
        else:
            status, code, message = (
                UNAUTHENTICATED
                if isinstance(error, NotAuthorizedError)
                else (500, "internal_error", "Something went wrong on our side; try again shortly.")
            )
            headers = {"Content-Type": "application/json"}
            body = json.dumps({"error": code, "message": message}).encode()
        kept = {key: value for key, value in error.headers.items() if key.lower() != "x-amzn-errortype"}
        self._send_http_response(status, {**kept, **headers}, body)

    def _too_large(self) -> None:
        status, headers, body = gateway_response("REQUEST_TOO_LARGE")
        self.close_connection = True
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body)), "Connection": "close"}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


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
