"""Public, read-only routes the website uses: published films only, no key."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from chalicelib import wiring
from chalicelib.api.cors import ANY_ORIGIN
from chalicelib.api.errors import answers_errors
from chalicelib.api.openapi import openapi_document
from chalicelib.services import publishing

public = Blueprint(__name__)


def _params() -> dict[str, str]:
    return dict(public.current_request.query_params or {})


@public.route("/videos", methods=["GET"], cors=ANY_ORIGIN)
@answers_errors
def list_videos() -> dict[str, Any]:
    return publishing.list_films(wiring.dependencies(), _params())


@public.route("/videos/{video_id}", methods=["GET"], cors=ANY_ORIGIN)
@answers_errors
def get_video(video_id: str) -> dict[str, Any]:
    return publishing.public_film(wiring.dependencies(), video_id)


@public.route("/countries", methods=["GET"], cors=ANY_ORIGIN)
@answers_errors
def countries() -> dict[str, Any]:
    return publishing.countries(wiring.dependencies())


@public.route("/topics", methods=["GET"], cors=ANY_ORIGIN)
@answers_errors
def topics() -> dict[str, Any]:
    return publishing.topics(wiring.dependencies())


@public.route("/workshops", methods=["GET"], cors=ANY_ORIGIN)
@answers_errors
def workshops() -> dict[str, Any]:
    return publishing.workshops(wiring.dependencies())


@public.route("/workshops/{workshop_id}", methods=["GET"], cors=ANY_ORIGIN)
@answers_errors
def workshop(workshop_id: str) -> dict[str, Any]:
    return publishing.workshop(wiring.dependencies(), workshop_id, _params())


@public.route("/openapi.json", methods=["GET"], cors=ANY_ORIGIN)
def openapi() -> dict[str, Any]:
    return openapi_document()
