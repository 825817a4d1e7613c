"""Editor routes: review, lists of published and unpublished films, consent, publish, unpublish,
highlight, edit, subtitles (add, remove), takedown (with its reason), retry of a failed film, audit, workshop
stories (read, preview, write, delete)."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint, Response

from chalicelib import wiring
from chalicelib.api.cors import ANY_ORIGIN
from chalicelib.api.errors import answers_errors, json_body
from chalicelib.domain.takedown_reasons import parse_takedown
from chalicelib.services import editor_lists, editorial, recovery, takedown, workshop_stories
from chalicelib.services.access import EDITOR, authenticate

editor = Blueprint(__name__)


def _editor() -> str:
    caller = authenticate(wiring.dependencies().catalog, editor.current_request.headers.get("x-api-key"), EDITOR)
    return caller.actor


def _body() -> Any:
    return json_body(editor.current_request) if editor.current_request.raw_body else {}


@editor.route("/review", methods=["GET"], cors=ANY_ORIGIN)
@answers_errors
def review_queue() -> dict[str, Any]:
    _editor()
    return editorial.review_queue(wiring.dependencies())


@editor.route("/editorial/films", methods=["GET"], cors=ANY_ORIGIN)
@answers_errors
def films() -> dict[str, Any]:
    _editor()
    return editor_lists.films_in(wiring.dependencies(), dict(editor.current_request.query_params or {}))


@editor.route("/workshops/{workshop_id}/story", methods=["GET"], cors=ANY_ORIGIN)
@answers_errors
def workshop_story(workshop_id: str) -> dict[str, Any]:
    _editor()
    return workshop_stories.story_for_editor(wiring.dependencies(), workshop_id)


@editor.route("/workshops/{workshop_id}/story", methods=["PUT"], cors=ANY_ORIGIN)
@answers_errors
def write_workshop_story(workshop_id: str) -> dict[str, Any]:
    return workshop_stories.write_story(wiring.dependencies(), _editor(), workshop_id, _body())


@editor.route("/workshops/{workshop_id}/story/preview", methods=["POST"], cors=ANY_ORIGIN)
@answers_errors
def preview_workshop_story(workshop_id: str) -> dict[str, Any]:
    _editor()
    return workshop_stories.preview_story(wiring.dependencies(), workshop_id, _body())


@editor.route("/workshops/{workshop_id}/story", methods=["DELETE"], cors=ANY_ORIGIN)
@answers_errors
def delete_workshop_story(workshop_id: str) -> dict[str, Any]:
    return workshop_stories.delete_story(wiring.dependencies(), _editor(), workshop_id)


@editor.route("/videos/{video_id}/editorial", methods=["GET"], cors=ANY_ORIGIN)
@answers_errors
def show(video_id: str) -> dict[str, Any]:
    _editor()
    return editorial.show(wiring.dependencies(), video_id)


@editor.route("/videos/{video_id}/consent", methods=["POST"], cors=ANY_ORIGIN)
@answers_errors
def record_consent(video_id: str) -> dict[str, Any]:
    return editorial.record_consent(wiring.dependencies(), _editor(), video_id, _body())


@editor.route("/videos/{video_id}/publish", methods=["POST"], cors=ANY_ORIGIN)
@answers_errors
def publish(video_id: str) -> dict[str, Any]:
    return editorial.publish(wiring.dependencies(), _editor(), video_id, _body())


@editor.route("/videos/{video_id}/protection", methods=["PUT"], cors=ANY_ORIGIN)
@answers_errors
def set_protection(video_id: str) -> dict[str, Any]:
    return editorial.set_protection(wiring.dependencies(), _editor(), video_id, _body())


@editor.route("/videos/{video_id}/unpublish", methods=["POST"], cors=ANY_ORIGIN)
@answers_errors
def unpublish(video_id: str) -> dict[str, Any]:
    return editorial.unpublish(wiring.dependencies(), _editor(), video_id)


@editor.route("/videos/{video_id}/highlight", methods=["POST"], cors=ANY_ORIGIN)
@answers_errors
def highlight(video_id: str) -> dict[str, Any]:
    return editorial.highlight(wiring.dependencies(), _editor(), video_id, _body())


@editor.route("/videos/{video_id}", methods=["PATCH"], cors=ANY_ORIGIN)
@answers_errors
def edit(video_id: str) -> dict[str, Any]:
    return editorial.edit(wiring.dependencies(), _editor(), video_id, _body())


@editor.route(
    "/videos/{video_id}/subtitles/{language}",
    methods=["PUT"],
    content_types=["text/vtt", "application/x-subrip", "text/plain", "application/octet-stream"],
    cors=ANY_ORIGIN,
)
@answers_errors
def add_subtitles(video_id: str, language: str) -> dict[str, Any]:
    actor = _editor()
    body = editor.current_request.raw_body
    data = body.encode("utf-8") if isinstance(body, str) else body
    return editorial.add_subtitles(wiring.dependencies(), actor, video_id, language, data)


@editor.route("/videos/{video_id}/subtitles/{language}", methods=["DELETE"], cors=ANY_ORIGIN)
@answers_errors
def remove_subtitles(video_id: str, language: str) -> dict[str, Any]:
    return editorial.remove_subtitles(wiring.dependencies(), _editor(), video_id, language)


@editor.route("/videos/{video_id}", methods=["DELETE"], cors=ANY_ORIGIN)
@answers_errors
def take_down(video_id: str) -> Response:
    actor = _editor()
    answer = takedown.take_down(wiring.dependencies(), actor, video_id, parse_takedown(_body()))
    # 202 when something is left behind: the film is DELETED, and a retry or the sweep finishes the rest.
    return Response(body=answer, status_code=202 if "left" in answer else 200)


@editor.route("/videos/{video_id}/retry", methods=["POST"], cors=ANY_ORIGIN)
@answers_errors
def retry(video_id: str) -> dict[str, Any]:
    """A FAILED film started again from its upload, as `omjr ops retry` does (409 `not_failed` otherwise)."""
    return recovery.retry_film(wiring.dependencies(), _editor(), video_id)


@editor.route("/videos/{video_id}/audit", methods=["GET"], cors=ANY_ORIGIN)
@answers_errors
def audit_trail(video_id: str) -> dict[str, Any]:
    _editor()
    return editorial.audit_trail(wiring.dependencies(), video_id)
