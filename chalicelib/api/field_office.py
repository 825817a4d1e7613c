"""Field-office routes: create an upload, follow one's own uploads."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint, Response

from chalicelib import wiring
from chalicelib.api.errors import answers_errors, json_body
from chalicelib.services import uploads
from chalicelib.services.access import FIELD_OFFICE, Caller, authenticate

field_office = Blueprint(__name__)


def _caller() -> Caller:
    headers = field_office.current_request.headers
    return authenticate(wiring.dependencies().catalog, headers.get("x-api-key"), FIELD_OFFICE)


@field_office.route("/uploads", methods=["POST"])
@answers_errors
def create_upload() -> Response:
    caller = _caller()
    body = json_body(field_office.current_request)
    return Response(body=uploads.create_upload(wiring.dependencies(), caller, body), status_code=201)


@field_office.route("/uploads", methods=["GET"])
@answers_errors
def list_uploads() -> dict[str, Any]:
    return uploads.list_uploads(wiring.dependencies(), _caller())


@field_office.route("/uploads/{video_id}", methods=["GET"])
@answers_errors
def get_upload(video_id: str) -> dict[str, Any]:
    return uploads.get_upload(wiring.dependencies(), _caller(), video_id)
