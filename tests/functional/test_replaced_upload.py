"""A second file POSTed to a presigned URL that is still valid replaces the first at its key.

The probe and the transcoder read exactly the object that was announced (If-Match on its ETag) and
S3 refuses them once it was replaced: the file there now is validated from the start, and nothing of
a file that was not validated is ever made public or even transcoded.
"""

from pathlib import Path

import pytest
import requests
from botocore.config import Config

from chalicelib.adapters.s3_store import S3Store
from chalicelib.domain.errors import MediaError, ObjectReplacedError
from chalicelib.media.probe import probe
from local.clips import make_clip
from tests.functional.conftest import get, post_json, upload_body


@pytest.fixture(scope="module")
def replacements(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("replacements")
    return {
        "too_long": make_clip(folder / "too-long.mp4", 90, width=160, height=120, fps=2),
        # Validation rejects it (the short side is under 120 px); a transcode alone would make a film of it.
        "too_small": make_clip(folder / "too-small.mp4", 60, width=96, height=64, fps=2),
        "portrait": make_clip(folder / "portrait.mp4", 60, width=120, height=160, fps=2),
    }


def create_upload(api, stack) -> str:
    return post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]


def put(stack, video_id: str, path: Path) -> str:
    """A POST of `path` to the film's presigned URL; returns the stored object's ETag."""
    key = f"uploads/{video_id}/source.mp4"
    return stack.client("s3").put_object(Bucket=stack.name("UploadsBucket"), Key=key, Body=path.read_bytes())["ETag"]


def journey(stack, video_id: str) -> list[str]:
    return [step["status"] for step in stack.catalog_item(video_id)["history"]]


def media_keys(stack, video_id: str) -> list[str]:
    listed = stack.client("s3").list_objects_v2(Bucket=stack.name("MediaBucket"), Prefix=f"films/{video_id}/")
    return [item["Key"] for item in listed.get("Contents", [])]


def test_s3_refuses_every_read_of_an_object_that_was_replaced(stack, clips, replacements, tmp_path):
    video_id = "0b8f6a52-8a0e-4f1e-9a53-2a4f7d3e2c11"
    # Signed as the app signs (wiring.py): SigV4, which puts If-Match in the signed headers.
    store = S3Store(stack.session.client("s3", config=Config(signature_version="s3v4")), stack.name("UploadsBucket"))
    key = f"uploads/{video_id}/source.mp4"
    first = put(stack, video_id, clips["valid"]).strip('"')
    presigned = store.presign_get_exact(key, first, 60)
    assert "if-match" in presigned.url, "If-Match is signed with the URL"
    assert requests.get(presigned.url, headers=presigned.headers, timeout=10).content == clips["valid"].read_bytes()
    assert probe(presigned.url, 1, headers=presigned.headers).source.duration_s

    second = put(stack, video_id, replacements["too_long"]).strip('"')
    assert requests.get(presigned.url, headers=presigned.headers, timeout=10).status_code == 412
    with pytest.raises(MediaError):
        probe(presigned.url, 1, headers=presigned.headers)
    with pytest.raises(ObjectReplacedError):
        store.download(key, str(tmp_path / "source"), first)
    assert not (tmp_path / "source").exists()
    current = store.current(key)
    assert current is not None and current.etag == second
    assert current.size_bytes == replacements["too_long"].stat().st_size
    store.download(key, str(tmp_path / "source"), second)
    assert (tmp_path / "source").read_bytes() == replacements["too_long"].read_bytes()


def test_a_file_replaced_after_validation_is_validated_not_transcoded(api, stack, clips, replacements):
    video_id = create_upload(api, stack)
    put(stack, video_id, clips["valid"])
    stack.deliver("UploadsQueue", "validate_upload")
    assert stack.catalog_item(video_id)["status"] == "TRANSCODING"

    put(stack, video_id, replacements["too_small"])  # the second POST, before the transcoder reads the first
    stack.deliver("UploadsQueue", "validate_upload")  # its own event comes while the film is TRANSCODING
    stack.run_pipeline()  # the transcoder is refused; the file there now is validated
    stack.run_pipeline()

    film = get(api, f"/uploads/{video_id}", stack.keys["office"]).json_body
    assert film["status"] == "REJECTED", film
    assert film["reason_code"] == "resolution_out_of_range"
    assert media_keys(stack, video_id) == []
    validated_twice = ["AWAITING_UPLOAD", "UPLOADED", "VALIDATING", "TRANSCODING", "UPLOADED", "VALIDATING"]
    assert journey(stack, video_id) == [*validated_twice, "REJECTED"]


def test_a_valid_replacement_is_what_gets_transcoded_and_recorded(api, stack, clips, replacements):
    video_id = create_upload(api, stack)
    put(stack, video_id, clips["valid"])
    stack.deliver("UploadsQueue", "validate_upload")
    second = put(stack, video_id, replacements["portrait"]).strip('"')
    stack.run_pipeline()
    stack.run_pipeline()

    film = stack.catalog_item(video_id)
    assert film["status"] == "READY"
    assert (film["source_width"], film["source_height"]) == (120, 160)
    assert film["upload_etag"] == second
    assert film["size_bytes"] == replacements["portrait"].stat().st_size
    assert film["attempt"] == 1


def test_an_event_for_a_file_already_replaced_is_not_probed_in_its_place(api, stack, clips, replacements):
    video_id = create_upload(api, stack)
    put(stack, video_id, replacements["too_long"])
    second = put(stack, video_id, clips["valid"]).strip('"')  # both events wait on the queue
    stack.run_pipeline()
    stack.run_pipeline()

    film = stack.catalog_item(video_id)
    assert film["status"] == "READY"
    assert film["upload_etag"] == second, "the film records the file that was validated and transcoded"
    assert film["size_bytes"] == clips["valid"].stat().st_size
