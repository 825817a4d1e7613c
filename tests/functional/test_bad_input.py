"""Every client mistake is a 4xx in the documented shape `{"error": code, "message": ...}`: bodies that
break a JSON parser (deep nesting, a number of thousands of digits), text that is not Unicode (a lone
UTF-16 surrogate), and the answers Chalice gives itself (415; its 405 as the deployed API's 404)."""

import json

import pytest

from chalicelib.api.errors import NO_ROUTE_MESSAGE
from tests.functional.conftest import CONSENT, post_json, upload_body

DEEP = "[" * 10_000
HUGE_SIZE = '{"size_bytes": ' + "9" * 5_000 + "}"


def assert_shaped(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.body
    body = json.loads(response.body)
    assert set(body) == {"error", "message"}, body
    assert isinstance(body["message"], str) and body["message"]
    if code is not None:
        assert body["error"] == code, body
    return body


def lone_surrogate(field_json: str) -> str:
    """A JSON text whose string holds a lone surrogate, as a client can send it (`\\ud800` escaped)."""
    return field_json.replace("SURROGATE", "\\ud800")


@pytest.fixture
def video_id(api, stack) -> str:
    return post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]


def patch(api, path: str, body: str, key: str):
    return api.http.request("PATCH", path, headers={"content-type": "application/json", "x-api-key": key}, body=body)


@pytest.mark.parametrize("body", [DEEP, HUGE_SIZE, '{"size_bytes": 1e999999}', "NaN", '{"a": Infinity}'])
def test_a_body_no_parser_should_take_is_a_400_on_every_json_route(api, stack, video_id, body):
    assert_shaped(post_json(api, "/uploads", body, stack.keys["office"]), 400)
    assert_shaped(patch(api, f"/videos/{video_id}", body, stack.keys["editor"]), 400)


def test_a_size_of_thousands_of_digits_names_the_field(api, stack):
    body = json.dumps(upload_body()).replace('"size_bytes": 200000', '"size_bytes": ' + "9" * 5_000)
    answer = assert_shaped(post_json(api, "/uploads", body, stack.keys["office"]), 400)
    assert "size_bytes" in answer["message"] or "digits" in answer["message"]


@pytest.mark.parametrize("field", ["title", "description", "filename"])
def test_a_lone_surrogate_in_upload_text_is_a_400_naming_the_field(api, stack, field):
    text = "my-street-SURROGATE.mp4" if field == "filename" else "My street SURROGATE"
    body = json.dumps(upload_body(**{field: text}))
    answer = assert_shaped(post_json(api, "/uploads", lone_surrogate(body), stack.keys["office"]), 400)
    assert answer["error"] == f"invalid_{field}"


@pytest.mark.parametrize("field", ["title", "title_en", "description"])
def test_a_lone_surrogate_in_an_edit_is_a_400_not_a_conflict(api, stack, video_id, field):
    body = lone_surrogate(json.dumps({field: "Our yard SURROGATE"}))
    assert_shaped(patch(api, f"/videos/{video_id}", body, stack.keys["editor"]), 400, f"invalid_{field}")
    assert patch(api, f"/videos/{video_id}", json.dumps({field: "Our yard"}), stack.keys["editor"]).status_code == 200


def test_a_lone_surrogate_in_a_consent_reference_is_a_400(api, stack, video_id):
    body = lone_surrogate(json.dumps({**CONSENT, "reference": "box SURROGATE"}))
    answer = assert_shaped(post_json(api, f"/videos/{video_id}/consent", body, stack.keys["editor"]), 400)
    assert answer["error"] == "invalid_consent"


def test_chalices_own_refusals_are_in_the_documented_shape(api, stack, video_id):
    headers = {"content-type": "image/png", "x-api-key": stack.keys["editor"]}
    wrong_type = api.http.put(f"/videos/{video_id}/subtitles/en", body=b"WEBVTT\n", headers=headers)
    assert_shaped(wrong_type, 415, "unsupported_media_type")
    # A method a route does not have: API Gateway answers it as an unknown path (404 not_found), and so do we.
    wrong_method = api.http.request("PUT", "/uploads", headers={"x-api-key": stack.keys["office"]}, body=b"{}")
    answer = assert_shaped(wrong_method, 404, "not_found")
    assert answer["message"] == NO_ROUTE_MESSAGE and "Allow" not in wrong_method.headers
