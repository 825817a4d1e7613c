"""Editor routes: decide what becomes public."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from chalicelib import wiring
from chalicelib.api.errors import answers_errors
from chalicelib.services import publishing
from chalicelib.services.access import EDITOR, authenticate

editor = Blueprint(__name__)


def _require_editor() -> None:
    authenticate(wiring.dependencies().catalog, editor.current_request.headers.get("x-api-key"), EDITOR)


@editor.route("/videos/{video_id}/publish", methods=["POST"])
@answers_errors
def publish(video_id: str) -> dict[str, Any]:
    _require_editor()
    return publishing.publish(wiring.dependencies(), video_id)


@editor.route("/videos/{video_id}/unpublish", methods=["POST"])
@answers_errors
def unpublish(video_id: str) -> dict[str, Any]:
    _require_editor()
    return publishing.unpublish(wiring.dependencies(), video_id)
