"""Identity protection through the API: asked at upload, shown to the office and the editor, turned on
or off by an editor, never public, and a film with it asked is not published before it is applied."""

from __future__ import annotations

import pytest

from tests.functional.conftest import CONSENT, get, post_json, upload_body
from tests.functional.test_editorial import call, error_of, ready_film

FACES = {"faces": True, "voice": False}


def test_an_office_asks_for_protection_at_upload_and_sees_it_but_the_public_never_does(api, stack, clips):
    office, editor = stack.keys["office"], stack.keys["editor"]
    video_id = ready_film(api, stack, clips, protect_identity=FACES)
    assert get(api, f"/uploads/{video_id}", office).json_body["protect_identity"] == FACES
    view = get(api, f"/videos/{video_id}/editorial", editor).json_body
    assert view["protect_identity"] == FACES
    assert view["preview"]["protected"] is False  # the preview still shows faces: the editor is told


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("yes", "not an object"),
        ({"faces": "true"}, "not a boolean"),
        ({"faces": True, "face": True}, "unknown key"),
        ([True], "a list"),
    ],
)
def test_a_malformed_protection_request_is_refused_and_nothing_is_created(api, stack, value, why):
    office = stack.keys["office"]
    before = len(get(api, "/uploads", office).json_body["items"])
    response = post_json(api, "/uploads", upload_body(protect_identity=value), office)
    assert response.status_code == 400, why
    assert response.json_body["error"] == "invalid_protect_identity"
    assert len(get(api, "/uploads", office).json_body["items"]) == before


def test_a_film_with_protection_asked_is_not_published_before_its_protected_version_exists(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips, protect_identity=FACES)
    assert call(api, "post", f"/videos/{video_id}/consent", editor, CONSENT).status_code == 200
    response = call(api, "post", f"/videos/{video_id}/publish", editor, {})
    assert error_of(response) == (409, "protection_pending")
    assert "blurred faces" in response.json_body["message"]
    assert get(api, f"/videos/{video_id}").status_code == 404
    assert get(api, f"/videos/{video_id}/editorial", editor).json_body["status"] == "READY"


def test_an_editor_turns_protection_on_and_off_before_publishing_and_it_is_audited(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips)
    assert call(api, "post", f"/videos/{video_id}/consent", editor, CONSENT).status_code == 200

    turned_on = call(api, "put", f"/videos/{video_id}/protection", editor, {"faces": True, "voice": True})
    assert turned_on.status_code == 200
    assert turned_on.json_body["protect_identity"] == {"faces": True, "voice": True}
    assert error_of(call(api, "post", f"/videos/{video_id}/publish", editor, {})) == (409, "protection_pending")

    turned_off = call(api, "put", f"/videos/{video_id}/protection", editor, {"faces": False, "voice": False})
    assert "protect_identity" not in turned_off.json_body
    assert call(api, "post", f"/videos/{video_id}/publish", editor, {}).status_code == 200
    public = get(api, f"/videos/{video_id}").json_body
    assert "protect_identity" not in public and "protection_applied" not in public

    # Once public, protection is changed only after unpublishing.
    refused = call(api, "put", f"/videos/{video_id}/protection", editor, FACES)
    assert error_of(refused) == (409, "unpublish_first")
    trail = get(api, f"/videos/{video_id}/audit", editor).json_body["items"]
    changes = [entry["details"] for entry in trail if entry["action"] == "protection_changed"]
    assert changes == [{"faces": True, "voice": True}, {"faces": False, "voice": False}]


def test_the_protection_route_checks_its_body_and_its_caller(api, stack, clips):
    video_id = ready_film(api, stack, clips)
    editor, office = stack.keys["editor"], stack.keys["office"]
    assert error_of(call(api, "put", f"/videos/{video_id}/protection", editor, {})) == (400, "invalid_protect_identity")
    bad = call(api, "put", f"/videos/{video_id}/protection", editor, {"faces": 1})
    assert error_of(bad) == (400, "invalid_protect_identity")
    assert call(api, "put", f"/videos/{video_id}/protection", office, FACES).status_code == 403


def test_the_protection_asked_in_post_uploads_is_stored_with_the_film(api, stack):
    office, editor = stack.keys["office"], stack.keys["editor"]
    created = post_json(api, "/uploads", upload_body(protect_identity={"voice": True}), office)
    assert created.status_code == 201
    video_id = created.json_body["video_id"]
    assert get(api, f"/uploads/{video_id}", office).json_body["protect_identity"] == {"faces": False, "voice": True}
    assert get(api, f"/videos/{video_id}/editorial", editor).json_body["protect_identity"] == {
        "faces": False,
        "voice": True,
    }


def test_an_office_turns_protection_on_by_correcting_a_film_but_only_an_editor_turns_it_off(api, stack):
    office, editor = stack.keys["office"], stack.keys["editor"]
    video_id = post_json(api, "/uploads", upload_body(), office).json_body["video_id"]

    def patch(body):
        return call(api, "patch", f"/uploads/{video_id}", office, body)

    turned_on = patch({"protect_identity": {"faces": True}})
    assert turned_on.status_code == 200, turned_on.json_body
    assert turned_on.json_body["protect_identity"] == FACES
    assert patch({"protect_identity": {"voice": True}}).json_body["protect_identity"] == {"faces": True, "voice": True}
    assert patch({"protect_identity": {"faces": True}}).json_body["protect_identity"] == {"faces": True, "voice": True}

    for off in ({"faces": False}, {"faces": False, "voice": False}, {"voice": False, "faces": True}):
        refused = patch({"protect_identity": off, "title": "Renamed meanwhile"})
        assert error_of(refused) == (409, "protection_kept"), off
        assert "editors" in refused.json_body["message"]
    for wrong in (None, {"faces": "yes"}, {"face": True}, True):
        assert error_of(patch({"protect_identity": wrong})) == (400, "invalid_protect_identity"), wrong
    film = get(api, f"/uploads/{video_id}", office).json_body
    assert film["protect_identity"] == {"faces": True, "voice": True} and film["title"] != "Renamed meanwhile"

    trail = get(api, f"/videos/{video_id}/audit", editor).json_body["items"]
    corrections = [entry["details"] for entry in trail if entry["action"] == "corrected_by_office"]
    assert [entry["protect_identity"] for entry in corrections] == [FACES, {"faces": True, "voice": True}]
    assert len(corrections) == 2  # the correction that changed nothing left no entry

    # The editors may turn it off.
    assert (
        call(api, "put", f"/videos/{video_id}/protection", editor, {"faces": False, "voice": False}).status_code == 200
    )
    assert "protect_identity" not in get(api, f"/uploads/{video_id}", office).json_body
