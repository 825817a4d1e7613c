"""Public, read-only routes the website uses: published films only."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from chalicelib import wiring
from chalicelib.api.errors import answers_errors
from chalicelib.services import publishing

public = Blueprint(__name__)


@public.route("/videos", methods=["GET"])
@answers_errors
def list_videos() -> dict[str, Any]:
    params = dict(public.current_request.query_params or {})
    return publishing.list_films(wiring.dependencies(), params)


@public.route("/videos/{video_id}", methods=["GET"])
@answers_errors
def get_video(video_id: str) -> dict[str, Any]:
    return publishing.public_film(wiring.dependencies(), video_id)
