"""The one place domain errors become HTTP responses: `{"error": code, "message": ...}`."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from http import HTTPStatus
from typing import Any, ParamSpec

from chalice.app import Request, Response

from chalicelib.domain.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    GoneError,
    InvalidRequestError,
    NotFoundError,
    UnauthenticatedError,
    UnavailableError,
)
from chalicelib.observability import logger

STATUS_CODES: dict[type[DomainError], int] = {
    InvalidRequestError: 400,
    UnauthenticatedError: 401,
    ForbiddenError: 403,
    NotFoundError: 404,
    GoneError: 410,
    ConflictError: 409,
    UnavailableError: 503,
}


# Chalice answers some requests itself, before any view runs, with `{"Code", "Message"}` bodies.
CHALICE_ANSWERS = {400: "bad_request", 415: "unsupported_media_type", 500: "internal_error"}
INTERNAL_ERROR_MESSAGE = "Something went wrong on our side; try again shortly."
# What the deployed API answers for a path or a method no route has: API Gateway answers it itself
# (MISSING_AUTHENTICATION_TOKEN, shaped in infra/resources.yaml, which tests/unit keep equal to this).
NO_ROUTE_MESSAGE = "No such route; the API's routes are listed in its OpenAPI document, GET /openapi.json."


def error_response(status_code: int, code: str, message: str) -> Response:
    return Response(body={"error": code, "message": message}, status_code=status_code)


def in_error_shape(response: Response) -> Response:
    """Chalice's own answers (415 for a content type a route does not take, ...) in the API's shape; any
    other response as it is. Called by the HTTP middleware. Chalice's 405 for a method a route does not
    have is the deployed API's 404 `not_found`: there, API Gateway answers before the function runs."""
    body = response.body
    if not (isinstance(body, dict) and set(body) == {"Code", "Message"}):
        return response
    status = response.status_code
    if status == HTTPStatus.METHOD_NOT_ALLOWED:
        response.headers.pop("Allow", None)
        response.status_code, response.body = 404, {"error": "not_found", "message": NO_ROUTE_MESSAGE}
        return response
    code = CHALICE_ANSWERS.get(status, "internal_error" if status >= 500 else "bad_request")
    response.body = {"error": code, "message": INTERNAL_ERROR_MESSAGE if status >= 500 else str(body["Message"])}
    return response


Params = ParamSpec("Params")
# Longer than any size, count or age a request carries (a 500 MiB file is 9 digits).
MAX_INTEGER_DIGITS = 20


def answers_errors(view: Callable[Params, Any]) -> Callable[Params, Any]:
    """Wraps a route so that every failure is answered with a JSON error.

    (Chalice catches a view's exceptions before any middleware sees them, so this sits on each route.)
    """

    @functools.wraps(view)
    def wrapper(*args: Params.args, **kwargs: Params.kwargs) -> Any:
        try:
            return view(*args, **kwargs)
        except DomainError as error:
            status = next((code for kind, code in STATUS_CODES.items() if isinstance(error, kind)), 400)
            return error_response(status, error.code, error.message)
        except Exception:
            logger.exception("request failed")
            return error_response(500, "internal_error", INTERNAL_ERROR_MESSAGE)

    return wrapper


def json_body(request: Request) -> Any:
    """The one JSON body parser of the API: whatever a client sends, a value or InvalidRequestError (400)."""
    try:
        return json.loads(request.raw_body or b"", parse_int=_integer, parse_constant=_no_constant)
    except RecursionError:  # thousands of nested arrays or objects
        raise InvalidRequestError(
            "The request body nests too deeply to be a request of this API.", "invalid_json"
        ) from None
    except ValueError:  # not JSON, or not UTF-8 (UnicodeDecodeError is a ValueError)
        raise InvalidRequestError("The request body must be valid JSON.", "invalid_json") from None


def _integer(digits: str) -> int:
    # Python refuses to convert more than 4300 digits (ValueError); no field needs more than a few.
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise InvalidRequestError(
            f"A number in the request has {len(digits.lstrip('-'))} digits; at most {MAX_INTEGER_DIGITS} are accepted.",
            "invalid_number",
        )
    return int(digits)


def _no_constant(name: str) -> Any:
    raise InvalidRequestError(f"{name} is not a JSON number; send a number or leave the field out.", "invalid_number")
