"""Identity protection through the API: asked at upload, shown to the office and the editor, turned on
or off by an editor, never public, and a film with it asked is not published before it is applied."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from chalicelib import wiring
from chalicelib.domain.film import Status
from chalicelib.domain.source import SourceDescription, VideoStream
from chalicelib.services import uploads, validate
from chalicelib.services.access import Caller
from chalicelib.services.transcode import transcode_film
from tests.functional.conftest import CONSENT, get, post_json, upload_body
from tests.functional.factories import OFFICE_ID, ReadBefore, move
from tests.functional.test_editorial import call, error_of, ready_film

FACES = {"faces": True, "voice": False}


def test_an_office_asks_for_protection_at_upload_and_sees_it_but_the_public_never_does(api, stack, clips):
    office, editor = stack.keys["office"], stack.keys["editor"]
    video_id = ready_film(api, stack, clips, protect_identity=FACES)
    assert get(api, f"/uploads/{video_id}", office).json_body["protect_identity"] == FACES
    view = get(api, f"/videos/{video_id}/editorial", editor).json_body
    assert view["protect_identity"] == FACES
    assert view["preview"]["protected"] is False  # the preview still shows faces: the editor is told


def test_the_preview_of_a_film_that_asked_for_no_protection_does_not_say_protected(api, stack, clips):
    video_id = ready_film(api, stack, clips)

    preview = get(api, f"/videos/{video_id}/editorial", stack.keys["editor"]).json_body["preview"]

    assert preview["protected"] is False, "nothing hides this child's identity: the editor must not read otherwise"
    assert preview["applied"] == {"faces": False, "voice": False}


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


def test_an_editor_turns_protection_on_and_the_film_is_protected_again_before_it_can_be_published(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips)
    assert call(api, "post", f"/videos/{video_id}/consent", editor, CONSENT).status_code == 200

    turned_on = call(api, "put", f"/videos/{video_id}/protection", editor, {"faces": True, "voice": True})
    assert turned_on.status_code == 200
    assert turned_on.json_body["protect_identity"] == {"faces": True, "voice": True}
    # Made again from its upload, with no new upload: the protection stage has it now.
    assert turned_on.json_body["status"] == "PROTECTING"
    assert error_of(call(api, "post", f"/videos/{video_id}/publish", editor, {}))[0] == 409
    # While it is processed, its protection stays as asked (the stages read it when they start).
    refused = call(api, "put", f"/videos/{video_id}/protection", editor, {"faces": False, "voice": False})
    assert error_of(refused) == (409, "film_processing")
    trail = get(api, f"/videos/{video_id}/audit", editor).json_body["items"]
    changes = [entry["details"] for entry in trail if entry["action"] == "protection_changed"]
    assert changes == [{"faces": True, "voice": True, "rendered_again": True}]


def test_an_editor_turns_protection_off_before_it_was_applied_and_the_film_can_be_published(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips, protect_identity=FACES)
    assert call(api, "post", f"/videos/{video_id}/consent", editor, CONSENT).status_code == 200
    assert error_of(call(api, "post", f"/videos/{video_id}/publish", editor, {})) == (409, "protection_pending")

    # Its outputs carry no protection, which is now exactly what is asked: nothing to make again.
    turned_off = call(api, "put", f"/videos/{video_id}/protection", editor, {"faces": False, "voice": False})
    assert "protect_identity" not in turned_off.json_body and turned_off.json_body["status"] == "READY"
    assert call(api, "post", f"/videos/{video_id}/publish", editor, {}).status_code == 200
    public = get(api, f"/videos/{video_id}").json_body
    assert "protect_identity" not in public and "protection_applied" not in public

    # Once public, protection is changed only after unpublishing.
    refused = call(api, "put", f"/videos/{video_id}/protection", editor, FACES)
    assert error_of(refused) == (409, "unpublish_first")
    trail = get(api, f"/videos/{video_id}/audit", editor).json_body["items"]
    changes = [entry["details"] for entry in trail if entry["action"] == "protection_changed"]
    assert changes == [{"faces": False, "voice": False}]


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


def test_an_office_asking_protection_for_a_ready_film_has_it_made_not_left_waiting_for_ever(api, stack, clips):
    # A READY film (its renditions unprotected) whose office then asks for its faces to be blurred: the
    # protected version must be made, as when an editor asks; otherwise nothing ever makes it and the film
    # can never be published (409 protection_pending) unless an editor happens to ask again for the same.
    office, editor = stack.keys["office"], stack.keys["editor"]
    video_id = ready_film(api, stack, clips)

    corrected = call(api, "patch", f"/uploads/{video_id}", office, {"protect_identity": {"faces": True}})

    assert corrected.status_code == 200, corrected.json_body
    assert corrected.json_body["status"] == "PROTECTING"
    view = get(api, f"/videos/{video_id}/editorial", editor).json_body
    assert view["status"] == "PROTECTING" and "protection_applied" not in view
    sqs = stack.client("sqs")
    [message] = sqs.receive_message(QueueUrl=stack.name("ProtectQueue"), MaxNumberOfMessages=10)["Messages"]
    assert json.loads(message["Body"])["video_id"] == video_id
    assert error_of(call(api, "post", f"/videos/{video_id}/publish", editor, {}))[0] == 409


@pytest.mark.parametrize("status", [Status.PROTECTING, Status.TRANSCODING])
def test_protection_an_office_asks_while_a_stage_that_read_none_runs_is_kept_and_holds_publishing(
    api, stack, clips, status
):
    # The stage read the protection when it started; the ask is kept, the film is made again with it once that
    # stage is done (tests/functional/test_protection_stage.py), and nobody publishes it before.
    office, editor = stack.keys["office"], stack.keys["editor"]
    video_id = ready_film(api, stack, clips, status=status)

    asked = call(api, "patch", f"/uploads/{video_id}", office, {"protect_identity": {"faces": True}})

    assert asked.status_code == 200, asked.json_body
    assert get(api, f"/uploads/{video_id}", office).json_body["protect_identity"] == FACES
    assert call(api, "post", f"/videos/{video_id}/consent", editor, CONSENT).status_code == 200
    assert error_of(call(api, "post", f"/videos/{video_id}/publish", editor, {})) == (409, "protection_pending")


def test_an_office_asking_protection_after_a_stage_that_read_none_started_is_not_lost(api, stack, clips):
    # The office read the film while it was validated; validation then sent it to the transcode from its source
    # (no protection asked then). Landing now, the ask is kept, and the transcode sends the film to the
    # protection stage before making anything from the source.
    office = stack.keys["office"]
    video_id = ready_film(api, stack, clips, status=Status.VALIDATING)
    deps = wiring.dependencies()
    read_by_office = deps.catalog.get_film(video_id)
    move(video_id, Status.TRANSCODING)
    caller = Caller(role="office", office_id=OFFICE_ID, countries=frozenset({"AZ"}), actor="office test")

    uploads.correct_upload(
        replace(deps, catalog=ReadBefore(deps.catalog, read_by_office)),
        caller,
        video_id,
        {"protect_identity": {"faces": True}},
    )

    assert get(api, f"/uploads/{video_id}", office).json_body["protect_identity"] == FACES
    transcode_film(deps, video_id, 600.0)
    assert deps.catalog.get_film(video_id).status is Status.PROTECTING


def test_protection_an_office_asks_while_the_film_is_probed_is_not_lost_when_validation_ends(api, stack, clips):
    # Validation read the film (no protection asked), the office's request for blurred faces landed while the
    # upload was probed (allowed: no stage has read the protection yet), then validation ended. The film must go
    # to the protection stage, not to a transcode from its source that FAILS it for the protection it lacks.
    office = stack.keys["office"]
    video_id = ready_film(api, stack, clips, status=Status.VALIDATING)
    deps = wiring.dependencies()
    read_by_validation = deps.catalog.get_film(video_id)
    corrected = call(api, "patch", f"/uploads/{video_id}", office, {"protect_identity": {"faces": True}})
    assert corrected.status_code == 200, corrected.json_body
    stream = VideoStream(index=0, codec="h264", width=640, height=360, frame_rate=25.0)
    source = SourceDescription(container="mp4", size_bytes=1000, duration_s=10.0, video=stream, audio_codec="aac")

    validate.accept(
        replace(deps, catalog=ReadBefore(deps.catalog, read_by_validation)), video_id, source, "etag-1", 1000
    )

    film = deps.catalog.get_film(video_id)
    assert film.status is Status.PROTECTING, "the protected master is made first"
    sqs = stack.client("sqs")
    [message] = sqs.receive_message(QueueUrl=stack.name("ProtectQueue"), MaxNumberOfMessages=10)["Messages"]
    assert json.loads(message["Body"])["video_id"] == video_id
