"""A takedown always wins and is complete: it retries past other editors' changes (never by an
unconditional write), and it aborts the film's unfinished multipart upload so that no part survives."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta

import requests

from chalicelib import wiring
from chalicelib.domain.errors import UnavailableError
from chalicelib.domain.film import Status
from chalicelib.domain.takedown_reasons import TakedownReason, TakedownWhy
from chalicelib.services import editorial, recovery, takedown
from tests.functional.conftest import CONSENT, TAKEDOWN, get, is_gone, post_json, upload_body
from tests.functional.test_editorial import SRT, call, error_of, ready_film
from tests.functional.test_multipart_upload import PART, send_parts, start, stored_size

WHY = TakedownWhy(TakedownReason.CONSENT_WITHDRAWN)


class RacingCatalog:
    """The real catalog, except that another editor's change lands between a takedown's read of the
    film and its write, once per rival given (or every time, with `forever`)."""

    def __init__(self, catalog, rivals, forever=False):
        self._catalog = catalog
        self._rivals = list(rivals)
        self._forever = forever
        self.takedown_writes = 0

    def __getattr__(self, name):
        return getattr(self._catalog, name)

    def apply(self, change):
        if change.target is Status.DELETED:
            self.takedown_writes += 1
            if self._rivals:
                rival = self._rivals[0] if self._forever else self._rivals.pop(0)
                rival()
        return self._catalog.apply(change)


def listing_entries(stack, video_id):
    return wiring.dependencies().catalog.listed_facets(video_id)


def media_objects(stack, video_id):
    listed = stack.client("s3").list_objects_v2(Bucket=stack.name("MediaBucket"), Prefix=f"films/{video_id}/")
    return [item["Key"] for item in listed.get("Contents", [])]


def test_a_takedown_wins_over_a_publish_an_edit_and_subtitles_landing_meanwhile(api, stack, clips):
    video_id = ready_film(api, stack, clips)
    assert post_json(api, f"/videos/{video_id}/consent", CONSENT, stack.keys["editor"]).status_code == 200
    deps = wiring.dependencies()
    rivals = [
        lambda: editorial.publish(deps, "editor B", video_id, {}),  # listing entries appear after the read
        lambda: editorial.edit(deps, "editor B", video_id, {"title": "Changed meanwhile"}),
        lambda: editorial.add_subtitles(deps, "editor B", video_id, "en", SRT),
    ]
    racing = RacingCatalog(deps.catalog, rivals)

    result = takedown.take_down(dataclasses.replace(deps, catalog=racing), "editor A", video_id, WHY)

    assert result == {"video_id": video_id, "status": "DELETED"}
    assert racing.takedown_writes == 4, "three writes lost a race, the fourth went through"
    assert is_gone(api, video_id), "the rival publish went through before the takedown"
    assert listing_entries(stack, video_id) == [], "the rival publish's entries did not outlive the film"
    assert get(api, "/videos").json_body["items"] == [] and get(api, "/countries").json_body["items"] == []
    assert media_objects(stack, video_id) == []
    actions = [
        entry["action"] for entry in get(api, f"/videos/{video_id}/audit", stack.keys["editor"]).json_body["items"]
    ]
    assert actions == ["consent_recorded", "published", "edited", "subtitles_added", "taken_down"]


def test_a_takedown_that_keeps_losing_says_to_send_it_again_and_never_409(api, stack, clips):
    video_id = ready_film(api, stack, clips)
    deps = wiring.dependencies()
    titles = iter(range(100))
    rival = lambda: editorial.edit(deps, "editor B", video_id, {"title": f"Edit {next(titles)}"})  # noqa: E731
    racing = RacingCatalog(deps.catalog, [rival], forever=True)
    try:
        takedown.take_down(dataclasses.replace(deps, catalog=racing), "editor A", video_id, WHY)
    except UnavailableError as error:
        assert error.code == "unavailable"
    else:
        raise AssertionError("a takedown that never got through must not claim it did")
    assert racing.takedown_writes == takedown.ATTEMPTS
    assert call(api, "delete", f"/videos/{video_id}", stack.keys["editor"], TAKEDOWN).status_code == 200  # sent again
    assert get(api, f"/uploads/{video_id}", stack.keys["office"]).status_code == 404


def test_outputs_a_killed_transcode_promoted_after_a_takedown_go_when_its_message_comes_back(api, stack, clips):
    video_id = post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]
    stack.put_upload(video_id, clips["valid"])
    stack.deliver("UploadsQueue", "validate_upload")  # TRANSCODING, its message waiting
    assert call(api, "delete", f"/videos/{video_id}", stack.keys["editor"], TAKEDOWN).status_code == 200
    # The run that was transcoding it finished copying staging -> films/ after the takedown's delete, then died.
    s3, bucket = stack.client("s3"), stack.name("MediaBucket")
    promoted = ("360p.mp4", "360p.m3u8", "hls.m3u8", "poster.jpg")
    for key in (*(f"films/{video_id}/{name}" for name in promoted), f"staging/{video_id}/run/720p.mp4"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"a child's film")

    assert stack.deliver("TranscodeQueue", "transcode_film") == 1  # the message comes back after the crash

    assert media_objects(stack, video_id) == []
    assert s3.list_objects_v2(Bucket=bucket, Prefix=f"staging/{video_id}/").get("KeyCount") == 0


def test_a_takedown_aborts_the_films_multipart_upload(api, stack):
    data = b"p" * (2 * PART + 10)
    video_id = start(api, stack, len(data))["video_id"]
    handed_out = send_parts(api, stack, video_id, data, [1])  # part 1 arrived; URLs for 2 and 3 handed out next
    later = post_json(api, f"/uploads/{video_id}/parts", {"part_numbers": [2, 3]}, stack.keys["office"]).json_body
    assert handed_out["parts"][0]["part_number"] == 1
    s3, bucket = stack.client("s3"), stack.name("UploadsBucket")

    assert call(api, "delete", f"/videos/{video_id}", stack.keys["editor"], TAKEDOWN).status_code == 200

    assert s3.list_multipart_uploads(Bucket=bucket, Prefix=f"uploads/{video_id}/").get("Uploads", []) == []
    late = requests.put(later["parts"][0]["url"], data=data[PART : 2 * PART], timeout=30)
    assert not late.ok, "a part URL handed out before the takedown stores nothing"
    assert s3.list_multipart_uploads(Bucket=bucket, Prefix=f"uploads/{video_id}/").get("Uploads", []) == []
    assert stored_size(stack, video_id) == []
    assert error_of(get(api, f"/uploads/{video_id}/parts", stack.keys["office"])) == (404, "not_found")


def test_an_expired_upload_in_parts_takes_no_more_parts(api, stack):
    data = b"q" * (PART + 10)
    video_id = start(api, stack, len(data))["video_id"]
    signed = post_json(api, f"/uploads/{video_id}/parts", {"part_numbers": [1, 2]}, stack.keys["office"]).json_body
    requests.put(signed["parts"][0]["url"], data=data[:PART], timeout=30).raise_for_status()
    post_json(api, "/uploads", upload_body(), stack.keys["office"])
    deps = wiring.dependencies()
    assert recovery.sweep(deps, deps.settings.sweep, now=datetime.now(UTC) + timedelta(days=2))["expire"] == 2

    assert not requests.put(signed["parts"][1]["url"], data=data[PART:], timeout=30).ok
    uploads = stack.client("s3").list_multipart_uploads(Bucket=stack.name("UploadsBucket"))
    assert uploads.get("Uploads", []) == [] and stored_size(stack, video_id) == []


def test_a_takedown_says_why_only_its_audit_trail_keeps_it_and_a_note_holding_personal_data_is_refused(
    api, stack, clips
):
    video_id = ready_film(api, stack, clips)
    editor = stack.keys["editor"]
    assert post_json(api, f"/videos/{video_id}/consent", CONSENT, editor).status_code == 200
    assert post_json(api, f"/videos/{video_id}/publish", {}, editor).status_code == 200

    # The note outlives the film and its personal data: none of them may be in it.
    for body, code in (
        ({"reason": "boredom"}, "reason_unknown"),
        ({"reason": "other"}, "reason_note_missing"),
        ({"reason": "other", "note": "Her mother called from +44 7700 900123."}, "contact_details"),
        ({"reason": "other", "note": "The family at 12 Baker Street asked."}, "place_too_precise"),
        ({"reason": "other", "note": "leyla's mother asked us to remove it."}, "note_names_child"),
    ):
        refused = call(api, "delete", f"/videos/{video_id}", editor, body)
        assert error_of(refused) == (400, code)
        assert "note" in refused.json_body["message"] or "note" not in body
    assert get(api, f"/videos/{video_id}").status_code == 200, "a refused takedown changes nothing"
    audited = [e["action"] for e in get(api, f"/videos/{video_id}/audit", editor).json_body["items"]]
    assert "taken_down" not in audited

    note = "The partner organisation asked for the whole day's films."
    taken = call(api, "delete", f"/videos/{video_id}", editor, {"reason": "other", "note": note})
    assert taken.status_code == 200
    assert is_gone(api, video_id)

    # The audit trail outlives the film and says why; the tombstone is id, DELETED, time and nothing more.
    [entry] = [
        e for e in get(api, f"/videos/{video_id}/audit", editor).json_body["items"] if e["action"] == "taken_down"
    ]
    assert entry["details"] == {"was": "PUBLISHED", "reason": "other", "note": note}
    tombstone = stack.catalog_item(video_id)
    assert tombstone["status"] == "DELETED"
    assert note not in json.dumps(tombstone, default=str) and "reason" not in tombstone
    assert note not in get(api, f"/videos/{video_id}").body.decode()


def test_a_takedown_with_no_reason_still_goes_through_and_its_audit_says_none_was_given(api, stack, clips):
    # The contract other programs rely on is DELETE /videos/{id} with no body: a takedown is never held up.
    video_id = ready_film(api, stack, clips)
    editor = stack.keys["editor"]
    assert post_json(api, f"/videos/{video_id}/consent", CONSENT, editor).status_code == 200
    assert post_json(api, f"/videos/{video_id}/publish", {}, editor).status_code == 200

    assert call(api, "delete", f"/videos/{video_id}", editor, None).status_code == 200
    assert is_gone(api, video_id)
    [entry] = [
        e for e in get(api, f"/videos/{video_id}/audit", editor).json_body["items"] if e["action"] == "taken_down"
    ]
    assert entry["details"] == {"was": "PUBLISHED", "reason": "not_given"}
