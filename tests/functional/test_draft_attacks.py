"""Attacks on drafts (PATCH /uploads/{id} completing a draft): what an editor decided about a draft's child
must survive the office completing its details."""

from __future__ import annotations

from chalicelib import wiring
from tests.functional.conftest import get
from tests.functional.test_drafts import DETAILS, new_draft, patch


def test_protection_an_editor_asked_on_a_draft_is_not_lost_when_its_office_completes_the_details(api, stack, clips):
    video_id = new_draft(api, stack, clips["valid"])
    stack.put_upload(video_id, clips["valid"])
    stack.run_pipeline()
    assert get(api, f"/uploads/{video_id}", stack.keys["office"]).json_body["status"] == "READY"
    headers = {"content-type": "application/json", "x-api-key": stack.keys["editor"]}
    asked = api.http.request(
        "PUT", f"/videos/{video_id}/protection", headers=headers, body=b'{"faces": true, "voice": false}'
    )
    assert asked.status_code == 200, asked.json_body
    assert asked.json_body["protect_identity"]["faces"] is True

    completed = patch(api, f"/uploads/{video_id}", DETAILS, stack.keys["office"])

    # Either refused (the editor's protection stands) or completed with the protection kept: never dropped.
    film = wiring.dependencies().catalog.get_film(video_id)
    assert film is not None
    assert film.protect_identity is not None and film.protect_identity.faces, (
        completed.status_code,
        film.protect_identity,
    )
