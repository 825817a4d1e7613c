"""POST /uploads and GET /uploads/{id}: metadata checks, the presigned POST policy, who sees what."""

import base64
import io
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.observability import logger
from tests.functional.conftest import get, post_json, upload_body


def error_of(response):
    return response.status_code, response.json_body["error"]


def test_an_upload_starts_awaiting_its_file(api, stack):
    response = post_json(api, "/uploads", upload_body(), stack.keys["office"])
    assert response.status_code == 201
    created = response.json_body
    assert created["status"] == "AWAITING_UPLOAD"
    video_id = created["video_id"]
    assert created["upload"]["fields"]["key"] == f"uploads/{video_id}/source.mp4"
    assert stack.name("UploadsBucket") in created["upload"]["url"]
    status = get(api, f"/uploads/{video_id}", stack.keys["office"]).json_body
    assert status["status"] == "AWAITING_UPLOAD"
    assert status["title"] == "My street"


def test_the_presigned_post_allows_exactly_one_key_type_and_size(api, stack):
    before = datetime.now(UTC)
    created = post_json(api, "/uploads", upload_body(size_bytes=123_456), stack.keys["office"]).json_body
    fields = created["upload"]["fields"]
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert {"key": f"uploads/{created['video_id']}/source.mp4"} in conditions
    assert {"Content-Type": "video/mp4"} in conditions
    assert ["content-length-range", 1, 123_456] in conditions
    assert fields["Content-Type"] == "video/mp4"
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert before + timedelta(minutes=14) < expires <= before + timedelta(minutes=16)


def test_the_key_is_chosen_by_the_server_not_by_the_filename(api, stack):
    body = upload_body(filename="../../media/films/x.MOV", content_type="video/quicktime")
    created = post_json(api, "/uploads", body, stack.keys["office"]).json_body
    assert created["upload"]["fields"]["key"] == f"uploads/{created['video_id']}/source.mov"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{not json", (400, "invalid_json")),
        (upload_body(country="XX"), (400, "invalid_country")),
        (upload_body(topics=["cooking"]), (400, "invalid_topic")),
        (upload_body(author={"first_name": "Leyla Aliyeva", "age": 14}), (400, "invalid_author")),
        (upload_body(size_bytes=10**10), (400, "too_large")),
        (upload_body(content_type="application/pdf"), (400, "invalid_content_type")),
    ],
)
def test_bad_metadata_gets_a_specific_error_and_creates_nothing(api, stack, body, expected):
    response = post_json(api, "/uploads", body, stack.keys["office"])
    assert error_of(response) == expected
    assert response.json_body["message"]
    assert get(api, "/uploads", stack.keys["office"]).json_body["items"] == []


def test_keys_are_checked(api, stack):
    assert error_of(post_json(api, "/uploads", upload_body(), None)) == (401, "unauthenticated")
    assert error_of(post_json(api, "/uploads", upload_body(), "not-a-key")) == (403, "forbidden")
    assert error_of(post_json(api, "/uploads", upload_body(), stack.keys["editor"])) == (403, "forbidden")


def test_an_office_uploads_only_for_its_countries(api, stack):
    response = post_json(api, "/uploads", upload_body(country="KG"), stack.keys["office"])
    assert error_of(response) == (403, "forbidden")
    assert "AM, AZ" in response.json_body["message"]


def test_an_office_sees_only_its_own_uploads(api, stack):
    video_id = post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]
    assert error_of(get(api, f"/uploads/{video_id}", stack.keys["other_office"])) == (404, "not_found")
    assert get(api, "/uploads", stack.keys["other_office"]).json_body["items"] == []
    assert [u["video_id"] for u in get(api, "/uploads", stack.keys["office"]).json_body["items"]] == [video_id]


def test_unknown_ids_are_404(api, stack):
    assert error_of(get(api, "/uploads/00000000-0000-4000-8000-000000000000", stack.keys["office"])) == (
        404,
        "not_found",
    )
    assert error_of(get(api, "/uploads/not-an-id", stack.keys["office"])) == (404, "not_found")
    assert error_of(get(api, "/videos/not-an-id")) == (404, "not_found")


def test_every_request_logs_one_json_line_with_its_film(api, stack):
    video_id = post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(logger.registered_formatter)  # the JSON the functions print
    logger.addHandler(handler)
    try:
        get(api, f"/uploads/{video_id}", stack.keys["office"])
    finally:
        logger.removeHandler(handler)
    [request] = [json.loads(line) for line in lines.getvalue().splitlines() if '"request"' in line]
    assert (request["video_id"], request["status"], request["method"]) == (video_id, 200, "GET")
    assert request["service"] == "oneminutesjr-ingest" and request["request_id"]
    # The same Lambda-context keys as every other function's lines.
    assert isinstance(request["cold_start"], bool) and request["function_name"] and request["function_request_id"]
