"""The one place domain errors become HTTP responses: `{"error": code, "message": ...}`."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, ParamSpec

from chalice.app import Request, Response

from chalicelib.domain.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
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
    ConflictError: 409,
    UnavailableError: 503,
}


def error_response(status_code: int, code: str, message: str) -> Response:
    return Response(body={"error": code, "message": message}, status_code=status_code)


Params = ParamSpec("Params")


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
            return error_response(500, "internal_error", "Something went wrong on our side; try again shortly.")

    return wrapper


def json_body(request: Request) -> Any:
    try:
        return json.loads(request.raw_body or b"")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidRequestError("The request body must be valid JSON.", "invalid_json") from None
