"""What a field office's tools need beyond POST /uploads: the stage's rules for checks before sending,
its own uploads page by page, and corrections to a film's details before it is published."""

from __future__ import annotations

import dataclasses
import json

import pytest

from chalicelib import wiring
from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from chalicelib.domain.film import Status
from chalicelib.services import editorial, uploads
from chalicelib.services.access import FIELD_OFFICE, authenticate
from tests.functional.conftest import CONSENT, TAKEDOWN, get, post_json, publish, upload_body
from tests.functional.factories import move, write_ready_film


def patch(api, path, body, key):
    headers = {"content-type": "application/json", "x-api-key": key}
    return api.http.request("PATCH", path, headers=headers, body=body if isinstance(body, str) else json.dumps(body))


def error_of(response):
    return response.status_code, response.json_body.get("error")


def new_upload(api, stack, key="office", **changes):
    return post_json(api, "/uploads", upload_body(**changes), stack.keys[key]).json_body["video_id"]


# The rules ---------------------------------------------------------------------------------------


def test_the_rules_are_the_stages_own(api, stack):
    rules = get(api, "/uploads/rules", stack.keys["office"]).json_body
    assert rules["duration_s"] == {"min": float(stack.env["MIN_DURATION_S"]), "max": float(stack.env["MAX_DURATION_S"])}
    assert rules["max_bytes"] == int(stack.env["MAX_UPLOAD_BYTES"])
    assert rules["countries"] == ["AM", "AZ"]  # the key's own
    assert set(rules["topics"]) == set(stack.env["TOPICS"].split(","))
    assert {"extension": ".mp4", "content_types": ["video/mp4"]} in rules["containers"]
    assert rules["resolution"]["max_long_side"] >= rules["resolution"]["max_short_side"] > 0
    assert rules["max_frame_rate"] > 0 and rules["metadata"]["max_age"] >= rules["metadata"]["min_age"]


def test_the_rules_agree_with_the_judge(api, stack):
    rules = get(api, "/uploads/rules", stack.keys["office"]).json_body
    limit = rules["max_bytes"]
    assert post_json(api, "/uploads", upload_body(size_bytes=limit), stack.keys["office"]).status_code == 201
    too_big = post_json(api, "/uploads", upload_body(size_bytes=limit + 1), stack.keys["office"])
    assert error_of(too_big) == (400, "too_large")
    for container in rules["containers"]:
        body = upload_body(filename=f"film{container['extension']}", content_type=container["content_types"][0])
        assert post_json(api, "/uploads", body, stack.keys["office"]).status_code == 201


def test_the_rules_need_a_field_office_key(api, stack):
    assert error_of(get(api, "/uploads/rules")) == (401, "unauthenticated")
    assert error_of(get(api, "/uploads/rules", "not-a-key")) == (403, "forbidden")
    assert error_of(get(api, "/uploads/rules", stack.keys["editor"])) == (403, "forbidden")


# The office's uploads, page by page --------------------------------------------------------------


def test_an_office_pages_through_its_uploads_newest_first(api, stack):
    mine = [new_upload(api, stack, title=f"Film {n}") for n in range(5)]
    new_upload(api, stack, "other_office", country="KG")
    seen, cursor, pages = [], None, 0
    while True:
        query = "/uploads?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = get(api, query, stack.keys["office"]).json_body
        assert len(page["items"]) <= 2
        seen += page["items"]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert pages < 10
    assert sorted(item["video_id"] for item in seen) == sorted(mine)
    created = [item["created_at"] for item in seen]
    assert created == sorted(created, reverse=True)
    assert pages >= 3


def test_a_whole_list_without_a_limit_still_works(api, stack):
    video_id = new_upload(api, stack)
    listing = get(api, "/uploads", stack.keys["office"]).json_body
    assert [item["video_id"] for item in listing["items"]] == [video_id]
    assert listing["next_cursor"] is None
    assert listing["items"][0]["author"] == {"first_name": "Leyla", "age": 14}


def test_a_cursor_opens_only_its_own_offices_listing(api, stack):
    for _ in range(3):
        new_upload(api, stack)
    cursor = get(api, "/uploads?limit=1", stack.keys["office"]).json_body["next_cursor"]
    assert cursor
    assert error_of(get(api, f"/uploads?limit=1&cursor={cursor}", stack.keys["other_office"])) == (
        400,
        "invalid_cursor",
    )


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=ten", "cursor=bm90LWEtY3Vyc29y", "cursor=%25%25"])
def test_bad_paging_is_a_clear_400(api, stack, query):
    response = get(api, f"/uploads?{query}", stack.keys["office"])
    assert response.status_code == 400
    assert response.json_body["error"] in ("invalid_limit", "invalid_cursor")
    assert response.json_body["message"]


# Corrections ---------------------------------------------------------------------------------------


def test_an_office_corrects_its_films_details(api, stack):
    video_id = new_upload(api, stack, language="az", description="About my street.")
    correction = {
        "title": "My narrow street",
        "author": {"age": 15},
        "topics": ["violence", "violence"],
        "workshop": "ganja-2013",
        "description": None,
    }
    response = patch(api, f"/uploads/{video_id}", correction, stack.keys["office"])
    assert response.status_code == 200
    assert response.json_body["sent_back_to_review"] is False
    film = get(api, f"/uploads/{video_id}", stack.keys["office"]).json_body
    assert film["title"] == "My narrow street"
    assert film["author"] == {"first_name": "Leyla", "age": 15}  # the first name kept
    assert film["topics"] == ["violence"]
    assert film["workshop"] == "ganja-2013"
    assert "description" not in film
    assert film["language"] == "az" and film["status"] == "AWAITING_UPLOAD"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"title": ""}, "invalid_title"),
        ({"author": {"first_name": "Leyla Aliyeva"}}, "invalid_author"),
        ({"author": {"age": 40}}, "invalid_author"),
        ({"author": {"surname": "Aliyeva"}}, "invalid_author"),
        ({"topics": ["cooking"]}, "invalid_topic"),
        ({"language": "Azerbaijani"}, "invalid_language"),
        ({"workshop": "Baku 2012"}, "invalid_workshop"),
        ({"country": "KG"}, "invalid_field"),
        ({"status": "PUBLISHED"}, "invalid_field"),
        ({}, "invalid_json"),
        ("{not json", "invalid_json"),
        ('{"title": "Our yard \\ud800"}', "invalid_title"),  # a lone surrogate, as a client can send it
        ('{"author": {"first_name": "Leyla\\ud800"}}', "invalid_author"),
    ],
)
def test_a_wrong_correction_is_refused_and_changes_nothing(api, stack, body, code):
    video_id = new_upload(api, stack)
    before = get(api, f"/uploads/{video_id}", stack.keys["office"]).json_body
    response = patch(api, f"/uploads/{video_id}", body, stack.keys["office"])
    assert error_of(response) == (400, code)
    assert response.json_body["message"]
    assert get(api, f"/uploads/{video_id}", stack.keys["office"]).json_body == before


def test_other_offices_films_cannot_be_corrected(api, stack):
    video_id = new_upload(api, stack)
    assert error_of(patch(api, f"/uploads/{video_id}", {"title": "Mine"}, stack.keys["other_office"])) == (
        404,
        "not_found",
    )
    assert error_of(patch(api, f"/uploads/{video_id}", {"title": "Mine"}, stack.keys["editor"])) == (403, "forbidden")
    assert error_of(patch(api, f"/uploads/{video_id}", {"title": "Mine"}, None)) == (401, "unauthenticated")
    assert get(api, f"/uploads/{video_id}", stack.keys["office"]).json_body["title"] == "My street"


def test_a_correction_after_consent_sends_the_film_back_to_review_and_none_once_published(api, stack, clips):
    video_id = new_upload(api, stack)
    stack.put_upload(video_id, clips["valid"])
    stack.run_pipeline()
    editor, office = stack.keys["editor"], stack.keys["office"]
    assert post_json(api, f"/videos/{video_id}/consent", CONSENT, editor).status_code == 200

    same = patch(api, f"/uploads/{video_id}", {"title": "My street"}, office)
    assert same.json_body["sent_back_to_review"] is False  # nothing changed: the consent stands
    corrected = patch(api, f"/uploads/{video_id}", {"title": "My street at night"}, office)
    assert corrected.status_code == 200 and corrected.json_body["sent_back_to_review"] is True

    review = get(api, f"/videos/{video_id}/editorial", editor).json_body
    assert review["status"] == "READY" and review["title"] == "My street at night"
    assert "consent" not in review
    assert [film["video_id"] for film in get(api, "/review", editor).json_body["items"]] == [video_id]
    assert error_of(post_json(api, f"/videos/{video_id}/publish", {}, editor)) == (409, "consent_missing")
    trail = get(api, f"/videos/{video_id}/audit", editor).json_body["items"]
    [entry] = [item for item in trail if item["action"] == "corrected_by_office"]
    assert entry["details"] == {"fields": ["title"], "sent_back_to_review": True}

    assert post_json(api, f"/videos/{video_id}/consent", CONSENT, editor).status_code == 200
    assert post_json(api, f"/videos/{video_id}/publish", {}, editor).status_code == 200
    refused = patch(api, f"/uploads/{video_id}", {"title": "Another title"}, office)
    assert error_of(refused) == (409, "not_correctable")
    assert "published" in refused.json_body["message"]
    assert get(api, f"/videos/{video_id}").json_body["title"] == "My street at night"


def test_a_film_once_published_is_never_corrected_by_its_office_whatever_it_became_since(api, stack):
    office, editor = stack.keys["office"], stack.keys["editor"]
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    assert post_json(api, f"/videos/{video_id}/unpublish", {}, editor).status_code == 200
    headers = {"content-type": "application/json", "x-api-key": editor}
    body = json.dumps({"faces": True, "voice": False})
    protect = api.http.request("PUT", f"/videos/{video_id}/protection", headers=headers, body=body)
    assert protect.json_body["status"] == "PROTECTING"

    refused = patch(api, f"/uploads/{video_id}", {"title": "Another title"}, office)

    assert error_of(refused) == (409, "not_correctable")
    assert "published" in refused.json_body["message"]
    for status in (Status.TRANSCODING, Status.READY):  # its protected version made, as the pipeline does
        move(video_id, status)
    assert error_of(patch(api, f"/uploads/{video_id}", {"title": "Another title"}, office)) == (409, "not_correctable")
    assert get(api, f"/videos/{video_id}/editorial", editor).json_body["title"] == "My street"


class EditorActsMeanwhile(DynamoDBCatalog):
    """The real catalog, with an editor recording consent just before the office's correction is written."""

    def __init__(self, deps, video_id):
        super().__init__(deps.catalog._client, deps.catalog.table_name)
        self.deps, self.video_id, self.acted = deps, video_id, False

    def apply(self, change):
        if not self.acted:
            self.acted = True
            editorial.record_consent(self.deps, "editor Anna", self.video_id, CONSENT)
        return super().apply(change)


def test_a_correction_racing_an_editors_consent_still_sends_the_film_back_to_review(api, stack):
    video_id = new_upload(api, stack)
    deps = wiring.dependencies()
    racing = dataclasses.replace(deps, catalog=EditorActsMeanwhile(deps, video_id))
    caller = authenticate(deps.catalog, stack.keys["office"], FIELD_OFFICE)
    corrected = uploads.correct_upload(racing, caller, video_id, {"title": "Corrected while an editor acted"})
    assert corrected["sent_back_to_review"] is True  # the consent recorded meanwhile was seen, and cleared
    review = get(api, f"/videos/{video_id}/editorial", stack.keys["editor"]).json_body
    assert review["title"] == "Corrected while an editor acted" and "consent" not in review


def test_a_film_taken_down_cannot_be_corrected(api, stack):
    video_id = new_upload(api, stack)
    assert (
        api.http.request(
            "DELETE", f"/videos/{video_id}", headers={"x-api-key": stack.keys["editor"]}, body=json.dumps(TAKEDOWN)
        ).status_code
        == 200
    )
    assert error_of(patch(api, f"/uploads/{video_id}", {"title": "Back again"}, stack.keys["office"])) == (
        404,
        "not_found",
    )
