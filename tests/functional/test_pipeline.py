"""From an upload in S3 to a READY film, through the SQS handlers in app.py, with real ffmpeg."""

import subprocess

from tests.functional.conftest import MEDIA_BASE_URL, get, is_gone, post_json, publish, upload_body


def create_upload(api, stack, **changes):
    return post_json(api, "/uploads", upload_body(**changes), stack.keys["office"]).json_body["video_id"]


def status_of(api, stack, video_id):
    return get(api, f"/uploads/{video_id}", stack.keys["office"]).json_body


def probe_streams(data: bytes, tmp_path):
    path = tmp_path / "out.mp4"
    path.write_bytes(data)
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "stream=codec_name,width,height,pix_fmt",
            "-of",
            "csv=p=0",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def test_a_valid_film_becomes_ready_then_public_when_published(api, stack, clips, tmp_path):
    video_id = create_upload(api, stack)
    stack.put_upload(video_id, clips["hd"])
    stack.run_pipeline()

    film = status_of(api, stack, video_id)
    assert film["status"] == "READY"
    assert 59.5 <= film["duration_s"] <= 60.5
    assert get(api, f"/videos/{video_id}").status_code == 404, "READY is not public"
    assert get(api, "/videos").json_body["items"] == []

    assert publish(api, stack, video_id).status_code == 200
    public = get(api, f"/videos/{video_id}").json_body
    assert [(r["name"], r["width"], r["height"]) for r in public["renditions"]] == [
        ("720p", 1280, 720),
        ("360p", 640, 360),
    ]
    assert public["poster_url"] == f"{MEDIA_BASE_URL}/films/{video_id}/poster.jpg"
    assert public["author"] == {"first_name": "Leyla", "age": 14}
    assert [item["video_id"] for item in get(api, "/videos").json_body["items"]] == [video_id]
    assert [item["video_id"] for item in get(api, "/videos?country=AZ").json_body["items"]] == [video_id]
    assert get(api, "/videos?country=KG").json_body["items"] == []

    s3 = stack.client("s3")
    media = stack.name("MediaBucket")
    rendition = s3.get_object(Bucket=media, Key=f"films/{video_id}/720p.mp4")["Body"].read()
    assert probe_streams(rendition, tmp_path) == ["h264,1280,720,yuv420p", "aac"]
    for image in ("poster.jpg", "sprite.jpg"):
        assert s3.get_object(Bucket=media, Key=f"films/{video_id}/{image}")["Body"].read()[:2] == b"\xff\xd8"


def test_a_silent_film_is_fine(api, stack, clips):
    video_id = create_upload(api, stack)
    stack.put_upload(video_id, clips["silent"])
    stack.run_pipeline()
    assert status_of(api, stack, video_id)["status"] == "READY"


def test_a_rendition_has_its_index_first_so_it_plays_while_it_downloads(api, stack, clips):
    video_id = create_upload(api, stack)
    stack.put_upload(video_id, clips["valid"])
    stack.run_pipeline()
    head = (
        stack.client("s3")
        .get_object(Bucket=stack.name("MediaBucket"), Key=f"films/{video_id}/120p.mp4", Range="bytes=0-4095")["Body"]
        .read()
    )
    assert head.find(b"moov") != -1 and (head.find(b"mdat") == -1 or head.find(b"moov") < head.find(b"mdat"))


def test_a_duplicate_event_changes_nothing(api, stack, clips):
    video_id = create_upload(api, stack)
    stack.put_upload(video_id, clips["valid"])
    sqs = stack.client("sqs")
    url = stack.name("UploadsQueue")
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    for message in messages:  # the same notification delivered a second time
        sqs.send_message(QueueUrl=url, MessageBody=message["Body"])
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
    stack.run_pipeline()
    film = stack.catalog_item(video_id)
    assert film["status"] == "READY"
    assert stack.deliver("TranscodeQueue", "transcode_film") == 0


def test_objects_outside_the_upload_layout_are_ignored(api, stack, clips):
    stack.client("s3").put_object(Bucket=stack.name("UploadsBucket"), Key="uploads/stray file.mp4", Body=b"x")
    stack.run_pipeline()
    assert stack.deliver("TranscodeQueue", "transcode_film") == 0


def test_publishing_needs_an_editor_and_a_ready_film(api, stack, clips):
    video_id = create_upload(api, stack)
    response = post_json(api, f"/videos/{video_id}/publish", {}, stack.keys["office"])
    assert response.status_code == 403
    response = post_json(api, f"/videos/{video_id}/publish", {}, stack.keys["editor"])
    assert (response.status_code, response.json_body["error"]) == (409, "conflict")
    assert "AWAITING_UPLOAD" in response.json_body["message"]
    assert (
        post_json(api, "/videos/00000000-0000-4000-8000-000000000000/publish", {}, stack.keys["editor"]).status_code
        == 404
    )


def test_unpublishing_removes_a_film_from_every_listing(api, stack, clips):
    video_id = create_upload(api, stack)
    stack.put_upload(video_id, clips["valid"])
    stack.run_pipeline()
    publish(api, stack, video_id)
    assert post_json(api, f"/videos/{video_id}/unpublish", {}, stack.keys["editor"]).status_code == 200
    assert is_gone(api, video_id)
    for query in ("", "?country=AZ", "?topic=leave-no-child-out", "?workshop=baku-2012"):
        assert get(api, f"/videos{query}").json_body["items"] == [], query
