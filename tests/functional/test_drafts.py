"""Drafts through the API (docs/API.md, drafts): a film sent before its details is processed like any film, kept
out of review, consent and publication until PATCH /uploads/{id} completes its details, and deleted whole 14 days
after it was created if that never happens. The lifecycle's rules in memory are tests/unit/test_drafts.py's."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import wiring
from chalicelib.services import retention
from tests.functional.conftest import CONSENT, get, post_json, publish, upload_body
from tests.functional.test_source_retention import days_later

FILE = {"filename": "VID_20240513_101500.mp4", "size_bytes": 50_000, "content_type": "video/mp4"}
# A completion answers whether the child may be recognised (here: yes, nothing hidden).
NO_PROTECTION = {"faces": False, "voice": False}
DETAILS = {**{key: value for key, value in upload_body().items() if key not in FILE}, "protect_identity": NO_PROTECTION}


def patch(api: Any, path: str, body: Any, key: str) -> Any:
    headers = {"content-type": "application/json", "x-api-key": key}
    return api.http.request("PATCH", path, headers=headers, body=json.dumps(body))


def error_of(response: Any) -> tuple[int, str]:
    return response.status_code, response.json_body["error"]


def new_draft(api: Any, stack: Any, path: Any = None) -> str:
    size = {"size_bytes": path.stat().st_size} if path else {}
    created = post_json(api, "/uploads", {**FILE, **size, "draft": True}, stack.keys["office"])
    assert created.status_code == 201, created.json_body
    return str(created.json_body["video_id"])


def upload_of(api: Any, stack: Any, video_id: str) -> Any:
    return get(api, f"/uploads/{video_id}", stack.keys["office"])


def test_a_draft_needs_only_its_file_and_says_when_it_is_deleted_unless_completed(api, stack):
    before = datetime.now(UTC)
    created = post_json(api, "/uploads", {**FILE, "draft": True}, stack.keys["office"])

    assert created.status_code == 201
    body = created.json_body
    assert body["status"] == "AWAITING_UPLOAD" and body["draft"] is True
    assert body["upload"]["fields"]["key"] == f"uploads/{body['video_id']}/source.mp4"
    delete_after = datetime.fromisoformat(body["delete_after"].replace("Z", "+00:00"))
    assert before + timedelta(days=14) <= delete_after <= datetime.now(UTC) + timedelta(days=14)
    listed = get(api, "/uploads", stack.keys["office"]).json_body["items"]
    assert [(item["video_id"], item["draft"], item["delete_after"]) for item in listed] == [
        (body["video_id"], True, body["delete_after"])
    ]
    in_parts = post_json(api, "/uploads", {**FILE, "draft": True, "multipart": True}, stack.keys["office"])
    assert in_parts.status_code == 201 and in_parts.json_body["upload"]["method"] == "multipart"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({**FILE, "draft": "yes"}, "invalid_draft"),
        ({**FILE, "filename": "notes.txt", "draft": True}, "invalid_filename"),
        ({**FILE, "size_bytes": 10**12, "draft": True}, "too_large"),
        ({**FILE, "content_type": "text/plain", "draft": True}, "invalid_content_type"),
        ({**FILE, "draft": True, "title": "My street"}, "invalid_field"),
        ({**FILE, "draft": False}, "missing_field"),  # without a draft, every detail is needed as before
    ],
)
def test_a_bad_draft_is_a_specific_400_and_makes_no_film(api, stack, body, code):
    response = post_json(api, "/uploads", body, stack.keys["office"])

    assert error_of(response) == (400, code)
    assert get(api, "/uploads", stack.keys["office"]).json_body["items"] == []


def test_a_draft_is_processed_but_reviewed_and_published_only_once_its_details_complete_it(api, stack, clips):
    video_id = new_draft(api, stack, clips["valid"])
    stack.put_upload(video_id, clips["valid"])
    stack.run_pipeline()

    processed = upload_of(api, stack, video_id).json_body
    assert processed["status"] == "READY" and processed["draft"] is True and "title" not in processed
    assert get(api, "/review", stack.keys["editor"]).json_body["items"] == []
    for action, body in (("consent", CONSENT), ("publish", {}), ("highlight", {"highlighted": True})):
        refused = post_json(api, f"/videos/{video_id}/{action}", body, stack.keys["editor"])
        assert error_of(refused) == (409, "draft_incomplete")
    assert get(api, f"/videos/{video_id}").status_code == 404

    for bad, code in (
        ({**DETAILS, "author": {"first_name": "Leyla", "age": 4}}, "invalid_author"),
        ({**DETAILS, "topics": ["football"]}, "invalid_topic"),
        ({**DETAILS, "title": ""}, "invalid_title"),
        ({**DETAILS, "workshop": "12 Nizami Street, Baku"}, "invalid_workshop"),
        ({key: value for key, value in DETAILS.items() if key != "author"}, "invalid_author"),
        ({**DETAILS, "size_bytes": 1}, "invalid_field"),
        ({key: value for key, value in DETAILS.items() if key != "protect_identity"}, "protection_unanswered"),
        ({**DETAILS, "protect_identity": {"voice": False}}, "protection_unanswered"),
    ):
        assert error_of(patch(api, f"/uploads/{video_id}", bad, stack.keys["office"])) == (400, code)
    assert upload_of(api, stack, video_id).json_body == processed  # nothing changed
    other_country = patch(api, f"/uploads/{video_id}", {**DETAILS, "country": "KG"}, stack.keys["office"])
    assert other_country.status_code == 403

    completed = patch(api, f"/uploads/{video_id}", DETAILS, stack.keys["office"])

    assert completed.status_code == 200, completed.json_body
    assert "draft" not in completed.json_body and completed.json_body["title"] == "My street"
    assert [film["video_id"] for film in get(api, "/review", stack.keys["editor"]).json_body["items"]] == [video_id]
    # Sent again whole (a page that does not know its PATCH went through), it changes nothing; a new title is
    # a correction as before, and a different country is still refused.
    again = patch(api, f"/uploads/{video_id}", DETAILS, stack.keys["office"])
    assert again.status_code == 200 and again.json_body["title"] == "My street"
    assert (
        patch(api, f"/uploads/{video_id}", {**DETAILS, "title": "Our street"}, stack.keys["office"]).status_code == 200
    )
    moved = patch(api, f"/uploads/{video_id}", {**DETAILS, "country": "KG"}, stack.keys["office"])
    assert error_of(moved) == (400, "invalid_field")
    assert publish(api, stack, video_id).status_code == 200
    assert get(api, f"/videos/{video_id}").json_body["title"] == "Our street"
    trail = get(api, f"/videos/{video_id}/audit", stack.keys["editor"]).json_body["items"]
    completion = next(entry for entry in trail if entry["action"] == "details_completed")
    assert completion["details"]["fields"] == ["author", "country", "title", "topics", "workshop"]
    assert completion["details"]["answered"] == NO_PROTECTION  # who said the child may be recognised


def objects_of(stack: Any, video_id: str) -> list[str]:
    s3 = stack.client("s3")
    keys = []
    for bucket, prefix in (("UploadsBucket", "uploads/"), ("MediaBucket", "films/")):
        listed = s3.list_objects_v2(Bucket=stack.name(bucket), Prefix=f"{prefix}{video_id}/")
        keys += [each["Key"] for each in listed.get("Contents", [])]
    return keys


def test_a_draft_never_completed_is_deleted_with_all_its_data_after_14_days_and_a_completed_one_is_kept(
    api, stack, clips
):
    forgotten, completed = new_draft(api, stack, clips["valid"]), new_draft(api, stack, clips["valid"])
    for video_id in (forgotten, completed):
        stack.put_upload(video_id, clips["valid"])
    stack.run_pipeline()
    assert patch(api, f"/uploads/{completed}", DETAILS, stack.keys["office"]).status_code == 200
    assert any(key.startswith("films/") for key in objects_of(stack, forgotten))
    deps = wiring.dependencies()

    assert retention.delete_due_sources(deps, now=days_later(13))["drafts_deleted"] == 0
    assert upload_of(api, stack, forgotten).status_code == 200

    assert retention.delete_due_sources(deps, now=days_later(14.01))["drafts_deleted"] == 1

    assert upload_of(api, stack, forgotten).status_code == 404
    assert objects_of(stack, forgotten) == []
    assert [item["video_id"] for item in get(api, "/uploads", stack.keys["office"]).json_body["items"]] == [completed]
    trail = get(api, f"/videos/{forgotten}/audit", stack.keys["editor"]).json_body["items"]
    assert trail[-1]["action"] == "taken_down" and trail[-1]["details"] == {
        "was": "READY",
        "reason": "draft_unfinished",
    }
    assert patch(api, f"/uploads/{forgotten}", DETAILS, stack.keys["office"]).status_code == 404
    assert upload_of(api, stack, completed).json_body["status"] == "READY"
    assert objects_of(stack, completed) != []


def test_a_ready_draft_completed_with_protection_is_made_protected_before_any_editor_can_publish_it(api, stack, clips):
    video_id = new_draft(api, stack, clips["valid"])
    stack.put_upload(video_id, clips["valid"])
    stack.run_pipeline()
    assert upload_of(api, stack, video_id).json_body["status"] == "READY"

    completed = patch(
        api,
        f"/uploads/{video_id}",
        {**DETAILS, "protect_identity": {"faces": False, "voice": True}},
        stack.keys["office"],
    )

    assert completed.status_code == 200, completed.json_body
    assert completed.json_body["status"] == "PROTECTING"  # in the completion's own write
    assert error_of(publish(api, stack, video_id)) == (409, "protection_pending")
    stack.run_pipeline()
    assert upload_of(api, stack, video_id).json_body["status"] == "READY"
    assert publish(api, stack, video_id).status_code == 200
    trail = get(api, f"/videos/{video_id}/audit", stack.keys["editor"]).json_body["items"]
    completion = next(entry for entry in trail if entry["action"] == "details_completed")
    assert completion["details"]["rendered_again"] is True
    assert completion["details"]["protect_identity"] == {"faces": False, "voice": True}
