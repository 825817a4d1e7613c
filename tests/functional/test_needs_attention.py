"""Editors see the films that need someone (FAILED, or stuck in processing past their stage's limit) with the
reason and the limit hit, and start a failed one again themselves: audited, as `omjr ops retry` does."""

from __future__ import annotations

from chalicelib import wiring
from chalicelib.domain.film import Status
from tests.functional.conftest import get, post_json
from tests.functional.test_delivery import journey, lose_messages, new_upload
from tests.functional.test_editorial import call, error_of, ready_film

OLD = "2020-01-01T00:00:00.000Z"


def failed_at_its_time_limit(api, stack, clips):
    video_id = new_upload(api, stack, clips["valid"])
    stack.deliver("UploadsQueue", "validate_upload")
    # Its time is up before it starts: ffmpeg is stopped at once, however fast the machine.
    stack.deliver("TranscodeQueue", "transcode_film", time_limit_s=0)
    assert stack.catalog_item(video_id)["status"] == "FAILED"
    return video_id


def attention(api, stack, query=""):
    response = get(api, f"/editorial/films?status=failed{query}", stack.keys["editor"])
    assert response.status_code == 200, response.json_body
    return response.json_body


def test_failed_and_stuck_films_are_listed_with_their_reason_and_limit(api, stack, clips):
    failed = failed_at_its_time_limit(api, stack, clips)
    stuck = new_upload(api, stack, clips["valid"])
    stack.deliver("UploadsQueue", "validate_upload")
    lose_messages(stack, "TranscodeQueue")  # its message lost: it waits in TRANSCODING
    moving = new_upload(api, stack, clips["valid"])
    stack.deliver("UploadsQueue", "validate_upload")
    lose_messages(stack, "TranscodeQueue")
    # Waiting since long before its stage's limit, as a film whose worker died days ago.
    wiring.dependencies().catalog.touch(stuck, Status.TRANSCODING, OLD, {})

    listed = attention(api, stack)
    [item] = listed["items"]
    assert (item["video_id"], item["status"], item["reason_code"]) == (failed, "FAILED", "processing_timeout")
    assert item["reason"].startswith("Transcoding did not finish within its time limit (0 s)")
    assert item["can_retry"] is True and item["title"]
    [waiting] = listed["stuck"]  # the film still within its limit is not there
    assert (waiting["video_id"], waiting["status"], waiting["waits_for"]) == (stuck, "TRANSCODING", "transcode")
    limit_s = wiring.dependencies().settings.sweep.stuck_after_s[Status.TRANSCODING]
    assert waiting["limit_s"] == limit_s and f"{limit_s // 60} minutes" in waiting["reason"]
    assert waiting["since"] == OLD and waiting["can_retry"] is False
    assert moving not in {w["video_id"] for w in listed["stuck"]}


def test_an_editor_retries_a_failed_film_which_goes_on_to_ready_with_the_retry_audited(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = failed_at_its_time_limit(api, stack, clips)
    response = call(api, "post", f"/videos/{video_id}/retry", editor)
    assert response.status_code == 200, response.json_body
    assert response.json_body == {"video_id": video_id, "status": "UPLOADED", "attempt": 1}
    assert attention(api, stack)["items"] == []

    stack.run_pipeline()
    assert stack.catalog_item(video_id)["status"] == "READY"
    assert journey(stack, video_id)[-5:] == ["FAILED", "UPLOADED", "VALIDATING", "TRANSCODING", "READY"]
    trail = get(api, f"/videos/{video_id}/audit", editor).json_body["items"]
    assert [(e["action"], e["actor"]) for e in trail] == [("retried", "editor Anna")]


def test_only_a_failed_film_is_retried_and_only_by_an_editor(api, stack, clips):
    editor = stack.keys["editor"]
    ready = ready_film(api, stack, clips)
    assert error_of(call(api, "post", f"/videos/{ready}/retry", editor)) == (409, "not_failed")
    assert stack.catalog_item(ready)["status"] == "READY"
    assert get(api, f"/videos/{ready}/audit", editor).json_body["items"] == []

    failed = failed_at_its_time_limit(api, stack, clips)
    assert error_of(post_json(api, f"/videos/{failed}/retry", {}, stack.keys["office"])) == (403, "forbidden")
    assert error_of(post_json(api, f"/videos/{failed}/retry", {}, None)) == (401, "unauthenticated")
    assert get(api, "/editorial/films?status=failed", stack.keys["office"]).status_code == 403
    assert stack.catalog_item(failed)["status"] == "FAILED"
    assert error_of(call(api, "post", "/videos/vid_00000000000000000000000000/retry", editor))[0] == 404


def test_the_failed_films_go_page_by_page(api, stack, clips):
    ids = [failed_at_its_time_limit(api, stack, clips) for _ in range(3)]
    first = attention(api, stack, "&limit=2")
    rest = attention(api, stack, f"&limit=2&cursor={first['next_cursor']}")
    assert [i["video_id"] for i in first["items"] + rest["items"]] == ids[::-1]
    assert rest["stuck"] == [] and rest["next_cursor"] is None
    wrong = get(api, f"/editorial/films?status=published&cursor={first['next_cursor']}", stack.keys["editor"])
    assert error_of(wrong) == (400, "invalid_cursor")
