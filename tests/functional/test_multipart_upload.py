"""A large film in parts: presigned part URLs, what arrived, completion only when whole, expiry."""

from datetime import UTC, datetime, timedelta

import requests

from chalicelib import wiring
from chalicelib.domain.multipart import MIN_PART_BYTES
from chalicelib.services import recovery
from tests.functional.conftest import get, post_json, upload_body

PART = MIN_PART_BYTES


def start(api, stack, size_bytes, key="office", **changes):
    body = upload_body(size_bytes=size_bytes, multipart=True, **changes)
    response = post_json(api, "/uploads", body, stack.keys[key])
    assert response.status_code == 201, response.json_body
    return response.json_body


def send_parts(api, stack, video_id, data, numbers, part_size=PART):
    signed = post_json(api, f"/uploads/{video_id}/parts", {"part_numbers": numbers}, stack.keys["office"])
    assert signed.status_code == 200, signed.json_body
    for part in signed.json_body["parts"]:
        n = part["part_number"]
        chunk = data[(n - 1) * part_size : n * part_size]
        requests.put(part["url"], data=chunk, timeout=30).raise_for_status()
    return signed.json_body


def stored_size(stack, video_id):
    listing = stack.client("s3").list_objects_v2(Bucket=stack.name("UploadsBucket"), Prefix=f"uploads/{video_id}/")
    return [item["Size"] for item in listing.get("Contents", [])]


def test_a_film_sent_in_parts_arrives_whole_after_an_interruption(api, stack):
    data = bytes(range(256)) * (2 * PART // 256) + b"tail" * 1000  # 3 parts, the last one small
    created = start(api, stack, len(data))
    video_id, plan = created["video_id"], created["upload"]
    assert plan == {"method": "multipart", "part_size": PART, "parts_total": 3}

    signed = send_parts(api, stack, video_id, data, [1])  # then the connection drops
    assert [p["size_bytes"] for p in signed["parts"]] == [PART]
    status = get(api, f"/uploads/{video_id}/parts", stack.keys["office"]).json_body
    assert status["arrived"] == [{"part_number": 1, "size_bytes": PART}]
    assert status["missing"] == [2, 3]

    send_parts(api, stack, video_id, data, status["missing"])  # the office runs the command again
    completed = post_json(api, f"/uploads/{video_id}/complete", {}, stack.keys["office"])
    assert completed.status_code == 200 and completed.json_body["status"] == "AWAITING_UPLOAD"
    assert stored_size(stack, video_id) == [len(data)]
    again = post_json(api, f"/uploads/{video_id}/complete", {}, stack.keys["office"])
    assert again.status_code == 200  # a retried completion answers the same
    assert stack.deliver("UploadsQueue", "validate_upload") >= 1
    assert stack.catalog_item(video_id)["status"] == "REJECTED"  # these bytes are no film
    asked = post_json(api, f"/uploads/{video_id}/parts", {"part_numbers": [1]}, stack.keys["office"])
    assert asked.status_code == 409 and asked.json_body["error"] == "upload_complete"


def test_an_incomplete_film_is_not_put_together(api, stack):
    data = b"x" * (PART + 10)
    video_id = start(api, stack, len(data))["video_id"]
    send_parts(api, stack, video_id, data, [2])
    refused = post_json(api, f"/uploads/{video_id}/complete", {}, stack.keys["office"])
    assert refused.status_code == 409 and refused.json_body["error"] == "parts_missing"
    assert "1 of 2 parts have not arrived: 1" in refused.json_body["message"]
    assert stored_size(stack, video_id) == []
    assert stack.catalog_item(video_id)["status"] == "AWAITING_UPLOAD"


def test_parts_that_do_not_add_up_to_the_declared_size_are_refused(api, stack):
    data = b"y" * (PART + 10)
    video_id = start(api, stack, len(data))["video_id"]
    signed = send_parts(api, stack, video_id, data, [2])
    bigger = post_json(api, f"/uploads/{video_id}/parts", {"part_numbers": [1]}, stack.keys["office"]).json_body
    requests.put(bigger["parts"][0]["url"], data=b"y" * (PART + 5 * 2**20), timeout=30).raise_for_status()
    refused = post_json(api, f"/uploads/{video_id}/complete", {}, stack.keys["office"])
    assert refused.status_code == 409 and refused.json_body["error"] == "part_size_mismatch"
    assert stored_size(stack, video_id) == []
    assert signed["parts"][0]["size_bytes"] == 10
    send_parts(api, stack, video_id, data, [1])  # sent again, right this time
    assert post_json(api, f"/uploads/{video_id}/complete", {}, stack.keys["office"]).status_code == 200
    assert stored_size(stack, video_id) == [len(data)]


def test_part_requests_are_checked(api, stack):
    video_id = start(api, stack, 3 * PART)["video_id"]
    office = stack.keys["office"]
    for body, code in [
        ({"part_numbers": [0, 4]}, "invalid_parts"),
        ({"part_numbers": "1"}, "invalid_parts"),
        ({"part_numbers": list(range(1, 102))}, "invalid_parts"),
    ]:
        response = post_json(api, f"/uploads/{video_id}/parts", body, office)
        assert (response.status_code, response.json_body["error"]) == (400, code)
    assert (
        "there is no part 0, 4"
        in post_json(api, f"/uploads/{video_id}/parts", {"part_numbers": [0, 4]}, office).json_body["message"]
    )
    other = post_json(api, f"/uploads/{video_id}/parts", {"part_numbers": [1]}, stack.keys["other_office"])
    assert other.status_code == 404
    posted = post_json(api, "/uploads", upload_body(), office).json_body["video_id"]
    not_parts = post_json(api, f"/uploads/{posted}/parts", {"part_numbers": [1]}, office)
    assert (not_parts.status_code, not_parts.json_body["error"]) == (409, "not_multipart")
    flag = post_json(api, "/uploads", upload_body(multipart="yes"), office)
    assert (flag.status_code, flag.json_body["error"]) == (400, "invalid_multipart")


def test_a_film_in_parts_waits_a_day_then_expires_and_its_parts_are_discarded(api, stack):
    data = b"z" * (PART + 1)
    video_id = start(api, stack, len(data))["video_id"]
    send_parts(api, stack, video_id, data, [1])
    posted = post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]
    deps = wiring.dependencies()
    in_two_hours = datetime.now(UTC) + timedelta(hours=2)
    assert recovery.sweep(deps, deps.settings.sweep, now=in_two_hours)["expire"] == 1  # the POST only
    assert stack.catalog_item(posted)["status"] == "EXPIRED"
    assert stack.catalog_item(video_id)["status"] == "AWAITING_UPLOAD"  # a day to send its parts
    assert recovery.sweep(deps, deps.settings.sweep, now=datetime.now(UTC) + timedelta(days=2))["expire"] == 1
    assert stack.catalog_item(video_id)["status"] == "EXPIRED"
    uploads = stack.client("s3").list_multipart_uploads(Bucket=stack.name("UploadsBucket"))
    assert uploads.get("Uploads", []) == []
    late = post_json(api, f"/uploads/{video_id}/complete", {}, stack.keys["office"])
    assert late.status_code == 200 and late.json_body["status"] == "EXPIRED"
    assert stored_size(stack, video_id) == []


def test_a_real_film_in_one_part_goes_through_the_pipeline(api, stack, clips):
    data = clips["valid"].read_bytes()
    video_id = start(api, stack, len(data))["video_id"]
    send_parts(api, stack, video_id, data, [1])
    assert post_json(api, f"/uploads/{video_id}/complete", {}, stack.keys["office"]).status_code == 200
    stack.run_pipeline()
    assert stack.catalog_item(video_id)["status"] == "READY"


def test_parts_that_s3_discarded_end_the_upload_with_a_clear_answer(api, stack):
    data = b"w" * (PART + 1)
    video_id = start(api, stack, len(data))["video_id"]
    send_parts(api, stack, video_id, data, [1])
    film = stack.catalog_item(video_id)
    stack.client("s3").abort_multipart_upload(
        Bucket=stack.name("UploadsBucket"), Key=film["upload_key"], UploadId=film["multipart_upload_id"]
    )  # the bucket's lifecycle rule
    answer = get(api, f"/uploads/{video_id}/parts", stack.keys["office"])
    assert (answer.status_code, answer.json_body["error"]) == (409, "upload_expired")
    assert "upload it again" in answer.json_body["message"]
    assert stack.catalog_item(video_id)["status"] == "EXPIRED"


def test_a_file_that_arrives_after_its_upload_expired_is_deleted(api, stack, clips):
    video_id = post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]
    deps = wiring.dependencies()
    assert recovery.sweep(deps, deps.settings.sweep, now=datetime.now(UTC) + timedelta(hours=2))["expire"] == 1
    stack.put_upload(video_id, clips["valid"])  # a slow connection finishes after all
    stack.deliver("UploadsQueue", "validate_upload")
    assert stored_size(stack, video_id) == []  # no child's raw video left without a film
    assert stack.catalog_item(video_id)["status"] == "EXPIRED"


def test_films_in_parts_still_arriving_never_hold_back_the_expiry_of_others(api, stack, monkeypatch):
    monkeypatch.setattr(recovery, "SWEEP_BATCH", 2)
    sending = [start(api, stack, PART + 1)["video_id"] for _ in range(3)]  # older, still within their day
    unused = post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]
    deps = wiring.dependencies()
    assert recovery.sweep(deps, deps.settings.sweep, now=datetime.now(UTC) + timedelta(hours=2))["expire"] == 1
    assert stack.catalog_item(unused)["status"] == "EXPIRED"
    assert {stack.catalog_item(video_id)["status"] for video_id in sending} == {"AWAITING_UPLOAD"}
