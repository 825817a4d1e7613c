"""Attacks on drafts (PATCH /uploads/{id} completing a draft): what an editor decided about a draft's child
must survive the office completing its details."""

from __future__ import annotations

from chalicelib import wiring
from chalicelib.clock import now_iso
from chalicelib.domain import lifecycle, stages
from chalicelib.domain.film import Status
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


def test_a_draft_completed_while_its_processing_fails_keeps_a_date_for_its_raw_upload(api, stack, clips, monkeypatch):
    video_id = new_draft(api, stack, clips["valid"])
    stack.put_upload(video_id, clips["valid"])
    first = stages.STAGES[0]
    stack.deliver(first.queue_id, first.function)
    deps = wiring.dependencies()
    assert deps.catalog.get_film(video_id).status is Status.TRANSCODING  # validated: the transcode next
    apply = deps.catalog.apply

    def fails_first(change):
        # The pipeline fails the film (an outage) between the PATCH's read and its write.
        if change.audit is not None and change.audit.action == "details_completed":
            apply(lifecycle.failed(deps.catalog.get_film(video_id), "processing_failed", "an outage", now_iso()))
        return apply(change)

    monkeypatch.setattr(deps.catalog, "apply", fails_first)
    completed = patch(api, f"/uploads/{video_id}", DETAILS, stack.keys["office"])
    monkeypatch.undo()

    film = deps.catalog.get_film(video_id)
    assert film.status is Status.FAILED
    # Expected: a FAILED film's source is due 14 days after the failure (or the draft's own date stands). Seen: the
    # completion (read before the failure, which does not move the version) removed the date: kept for ever.
    assert film.source_delete_after is not None, (completed.status_code, film.draft, film.source_delete_after)
