"""Field-office routes: the upload rules, create an upload, send a large one in parts, follow and correct
one's own uploads."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint, Response

from chalicelib import wiring
from chalicelib.api.cors import ANY_ORIGIN
from chalicelib.api.errors import answers_errors, json_body
from chalicelib.services import multipart_uploads, uploads
from chalicelib.services.access import FIELD_OFFICE, Caller, authenticate

field_office = Blueprint(__name__)


def _caller() -> Caller:
    headers = field_office.current_request.headers
    return authenticate(wiring.dependencies().catalog, headers.get("x-api-key"), FIELD_OFFICE)


@field_office.route("/uploads", methods=["POST"], cors=ANY_ORIGIN)
@answers_errors
def create_upload() -> Response:
    caller = _caller()
    body = json_body(field_office.current_request)
    return Response(body=uploads.create_upload(wiring.dependencies(), caller, body), status_code=201)


@field_office.route("/uploads", methods=["GET"], cors=ANY_ORIGIN)
@answers_errors
def list_uploads() -> dict[str, Any]:
    caller = _caller()
    return uploads.list_uploads(wiring.dependencies(), caller, field_office.current_request.query_params or {})


@field_office.route("/uploads/rules", methods=["GET"], cors=ANY_ORIGIN)
@answers_errors
def upload_rules() -> dict[str, Any]:
    return uploads.upload_rules(wiring.dependencies(), _caller())


@field_office.route("/uploads/{video_id}", methods=["GET"], cors=ANY_ORIGIN)
@answers_errors
def get_upload(video_id: str) -> dict[str, Any]:
    return uploads.get_upload(wiring.dependencies(), _caller(), video_id)


@field_office.route("/uploads/{video_id}", methods=["PATCH"], cors=ANY_ORIGIN)
@answers_errors
def correct_upload(video_id: str) -> dict[str, Any]:
    caller = _caller()
    body = json_body(field_office.current_request)
    return uploads.correct_upload(wiring.dependencies(), caller, video_id, body)


@field_office.route("/uploads/{video_id}/parts", methods=["GET"], cors=ANY_ORIGIN)
@answers_errors
def get_parts(video_id: str) -> dict[str, Any]:
    return multipart_uploads.parts_status(wiring.dependencies(), _caller(), video_id)


@field_office.route("/uploads/{video_id}/parts", methods=["POST"], cors=ANY_ORIGIN)
@answers_errors
def sign_parts(video_id: str) -> dict[str, Any]:
    body = json_body(field_office.current_request)
    return multipart_uploads.part_urls(wiring.dependencies(), _caller(), video_id, body)


@field_office.route("/uploads/{video_id}/complete", methods=["POST"], cors=ANY_ORIGIN)
@answers_errors
def complete_upload(video_id: str) -> dict[str, Any]:
    return multipart_uploads.complete(wiring.dependencies(), _caller(), video_id)
