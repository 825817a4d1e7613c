import json

from chalicelib.domain.object_keys import video_id_from_upload_key
from chalicelib.domain.upload_events import objects_created

VIDEO_ID = "0b8f6a52-8a0e-4f1e-9a53-2a4f7d3e2c11"


def notification(key, event="ObjectCreated:Post"):
    record = {"eventName": event, "s3": {"bucket": {"name": "b"}, "object": {"key": key, "size": 5, "eTag": "e"}}}
    return json.dumps({"Records": [record]})


def test_keys_are_url_decoded():
    [created] = objects_created(notification("uploads/a+b%C3%A9/source.mp4"))
    assert created.key == "uploads/a bé/source.mp4"
    assert (created.bucket, created.size_bytes, created.etag) == ("b", 5, "e")


def test_test_events_and_other_events_are_ignored():
    assert list(objects_created(json.dumps({"Event": "s3:TestEvent", "Service": "Amazon S3"}))) == []
    assert list(objects_created(notification("uploads/x", event="ObjectRemoved:Delete"))) == []
    assert list(objects_created("not json")) == []


def test_only_the_server_chosen_layout_names_a_film():
    assert video_id_from_upload_key(f"uploads/{VIDEO_ID}/source.mp4") == VIDEO_ID
    assert video_id_from_upload_key(f"films/{VIDEO_ID}/720p.mp4") is None
    assert video_id_from_upload_key(f"uploads/{VIDEO_ID}/other.mp4") is None
    assert video_id_from_upload_key("uploads/not-a-uuid/source.mp4") is None
