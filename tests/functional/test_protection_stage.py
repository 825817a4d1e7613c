"""The protection stage in the pipeline: a film asking for identity protection goes VALIDATING ->
PROTECTING -> TRANSCODING -> READY, and no public output shows a face where the source had one.

Real ffmpeg, the real detector, and an INDEPENDENT one to judge the outputs (scikit-image's LBP
cascade, around the clip's true face boxes, as tests/functional/test_face_protection.py does). The
film is a one-minute clip of two children made from a real photograph, tiny and at 2 fps.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from skimage.data import lbp_frontal_face_cascade_filename
from skimage.feature import Cascade
from skimage.transform import resize

from chalicelib import wiring
from chalicelib.domain.film import Film, Status
from chalicelib.domain.object_keys import master_key
from chalicelib.domain.protection import Protection
from chalicelib.services import recovery
from chalicelib.services.transcode import transcode_film
from tests.functional.conftest import CONSENT, TAKEDOWN, get, post_json, upload_body
from tests.functional.face_clips import HEIGHT, WIDTH, FaceClip, decode, make_face_clip
from tests.functional.factories import ReadBefore, move
from tests.functional.test_editorial import call, error_of
from tests.functional.test_face_protection import CASCADE_MIN_FACE_PX, cascade_faces

FACES = {"faces": True, "voice": False}
SAMPLED_EVERY = 8  # frames of the rendition looked at (2 fps: one every 4 s)


@pytest.fixture(scope="module")
def face_film(tmp_path_factory: pytest.TempPathFactory) -> FaceClip:
    return make_face_clip("two_faces", tmp_path_factory.mktemp("face-film"), seconds=60, fps=2, audio=True)


@pytest.fixture(scope="module")
def cascade() -> Cascade:
    return Cascade(lbp_frontal_face_cascade_filename())


def upload(api: Any, stack: Any, clip: FaceClip, **changes: Any) -> str:
    created = post_json(api, "/uploads", upload_body(**changes), stack.keys["office"])
    assert created.status_code == 201
    video_id = str(created.json_body["video_id"])
    stack.put_upload(video_id, clip.path)
    return video_id


def film(video_id: str) -> Film:
    found = wiring.dependencies().catalog.get_film(video_id)
    assert found is not None
    return found


def waiting(stack: Any, queue: str) -> list[dict[str, Any]]:
    """The bodies waiting on a queue (left there: read with no visibility timeout)."""
    sqs = stack.client("sqs")
    messages = sqs.receive_message(QueueUrl=stack.name(queue), MaxNumberOfMessages=10, VisibilityTimeout=0)
    return [json.loads(message["Body"]) for message in messages.get("Messages", [])]


def drain(stack: Any, queue: str) -> None:
    """The messages waiting on a queue are lost (PurgeQueue may run once a minute only)."""
    sqs, url = stack.client("sqs"), stack.name(queue)
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def media(stack: Any, key: str, folder: Path) -> Path:
    path = folder / key.replace("/", "_")
    path.write_bytes(stack.client("s3").get_object(Bucket=stack.name("MediaBucket"), Key=key)["Body"].read())
    return path


def image(path: Path) -> np.ndarray:
    """A JPEG's pixels as RGB, decoded by ffmpeg."""
    size = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split(",")
    width, height = int(size[0]), int(size[1])
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(height, width, 3)


def faces_seen(cascade: Cascade, clip: FaceClip, frames: list[np.ndarray]) -> list[int]:
    """The frames (every SAMPLED_EVERY-th) on which the independent detector finds a face at a true face box."""
    seen = []
    for index in range(0, min(len(frames), len(clip.faces)), SAMPLED_EVERY):
        faces = [f for f in clip.faces[index] if min(f.width, f.height) >= CASCADE_MIN_FACE_PX]
        if any(cascade_faces(cascade, frames[index], face) for face in faces):
            seen.append(index)
    return seen


def still_faces_seen(cascade: Cascade, clip: FaceClip, picture: np.ndarray) -> int:
    """Faces the independent detector finds on a still (the poster) at the clip's true face boxes, scaled to it:
    the two children barely move, so the boxes of the first frame hold for any moment."""
    scaled = (resize(picture, (HEIGHT, WIDTH), anti_aliasing=True) * 255).astype(np.uint8)
    return sum(bool(cascade_faces(cascade, scaled, face)) for face in clip.faces[0])


def sprite_faces_seen(cascade: Cascade, clip: FaceClip, sprite: np.ndarray, tile_width: int = 160) -> int:
    """Faces found on the sprite's tiles, each brought back to the film's size first."""
    tile_height = round(tile_width * HEIGHT / WIDTH / 2) * 2
    rows, columns = sprite.shape[0] // tile_height, sprite.shape[1] // tile_width
    tiles = [
        sprite[r * tile_height : (r + 1) * tile_height, c * tile_width : (c + 1) * tile_width]
        for r in range(rows)
        for c in range(columns)
    ]
    return sum(still_faces_seen(cascade, clip, tile) for tile in tiles[::4])


def share_image_faces_seen(cascade: Cascade, clip: FaceClip, share_image: np.ndarray) -> int:
    """Faces found on the share image's picture, the letterbox around it cut off (the film fills its height)."""
    height, width = share_image.shape[:2]
    fitted = round(height * WIDTH / HEIGHT / 2) * 2
    left = (width - fitted) // 2
    return still_faces_seen(cascade, clip, share_image[:, left : left + fitted])


def outputs_seen(stack: Any, cascade: Cascade, clip: FaceClip, video_id: str, folder: Path) -> dict[str, int]:
    """How many faces the independent detector finds in the rendition, the poster, the sprite and the share image
    of a film."""
    current = film(video_id)
    [rendition] = current.renditions  # a film this small has one rendition, at its own size
    assert (rendition.width, rendition.height) == (WIDTH, HEIGHT)
    assert current.poster_key and current.sprite_key and current.share_image_key
    return {
        "rendition": len(faces_seen(cascade, clip, decode(media(stack, rendition.key, folder)))),
        "poster": still_faces_seen(cascade, clip, image(media(stack, current.poster_key, folder))),
        "sprite": sprite_faces_seen(cascade, clip, image(media(stack, current.sprite_key, folder))),
        "share_image": share_image_faces_seen(cascade, clip, image(media(stack, current.share_image_key, folder))),
    }


def made_with_faces_blurred(stack: Any, cascade: Cascade, clip: FaceClip, video_id: str, folder: Path) -> None:
    """The protection stage and the transcode run: the film is READY with its faces blurred, and the independent
    detector finds no face in any of its outputs."""
    stack.deliver("ProtectQueue", "protect_film")
    stack.deliver("TranscodeQueue", "transcode_film")
    ready = film(video_id)
    assert ready.status is Status.READY and ready.protection_applied == Protection(faces=True)
    seen = outputs_seen(stack, cascade, clip, video_id, folder)
    assert seen == {"rendition": 0, "poster": 0, "sprite": 0, "share_image": 0}


def test_a_film_protected_at_upload_is_protected_before_it_is_transcoded_and_shows_no_face(
    api, stack, face_film, cascade, tmp_path
):
    video_id = upload(api, stack, face_film, protect_identity=FACES)
    stack.deliver("UploadsQueue", "validate_upload")
    assert film(video_id).status is Status.PROTECTING
    assert waiting(stack, "TranscodeQueue") == [], "no unprotected rendition is ever made"
    assert [m["video_id"] for m in waiting(stack, "ProtectQueue")] == [video_id]

    assert stack.deliver("ProtectQueue", "protect_film") == 1
    protected = film(video_id)
    assert protected.status is Status.TRANSCODING
    assert protected.protected_master is not None
    assert protected.protected_master.key == master_key(video_id)
    assert protected.protected_master.carries == Protection(faces=True)
    assert protected.protection_applied is None, "no output carries it yet"
    uploads = stack.client("s3").list_objects_v2(Bucket=stack.name("UploadsBucket"), Prefix=f"uploads/{video_id}/")
    assert sorted(o["Key"] for o in uploads["Contents"]) == [master_key(video_id), protected.upload_key]

    stack.deliver("TranscodeQueue", "transcode_film")
    ready = film(video_id)
    assert ready.status is Status.READY
    assert ready.protection_applied == Protection(faces=True)
    assert [step.status for step in ready.history][-4:] == [
        Status.VALIDATING,
        Status.PROTECTING,
        Status.TRANSCODING,
        Status.READY,
    ]
    # The master's own S3 event is not taken for an upload.
    stack.deliver("UploadsQueue", "validate_upload")
    assert film(video_id).status is Status.READY

    seen = outputs_seen(stack, cascade, face_film, video_id, tmp_path)
    assert seen == {"rendition": 0, "poster": 0, "sprite": 0, "share_image": 0}
    # Still a colour film: only the faces change (an orange suit on a blue ground; it came out grey).
    rendition = tmp_path / "colours.mp4"
    stack.client("s3").download_file(stack.name("MediaBucket"), ready.renditions[0].key, str(rendition))
    middle = [np.mean(frames[len(frames) // 2], axis=(0, 1)) for frames in map(decode, (face_film.path, rendition))]
    assert np.ptp(middle[1]) > np.ptp(middle[0]) / 2, f"source colours {middle[0]}, published {middle[1]}"
    source_seen = faces_seen(cascade, face_film, decode(face_film.path))
    assert len(source_seen) >= 3, "the independent detector must see the faces in the source, or it proves nothing"

    editor = stack.keys["editor"]
    view = get(api, f"/videos/{video_id}/editorial", editor).json_body
    assert view["preview"]["protected"] is True and view["protection_applied"] == FACES
    assert "protected_master" not in view
    assert call(api, "post", f"/videos/{video_id}/consent", editor, CONSENT).status_code == 200
    assert call(api, "post", f"/videos/{video_id}/publish", editor, {}).status_code == 200
    public = get(api, f"/videos/{video_id}").json_body
    assert not {"protect_identity", "protection_applied", "protected_master"} & set(public)


def test_an_editor_protects_a_ready_film_its_outputs_are_made_again_protected_and_it_can_be_published(
    api, stack, face_film, cascade, tmp_path
):
    editor = stack.keys["editor"]
    video_id = upload(api, stack, face_film)
    stack.run_pipeline()
    assert film(video_id).status is Status.READY
    before = outputs_seen(stack, cascade, face_film, video_id, tmp_path)
    assert (
        before["rendition"] >= 3 and before["poster"] >= 1 and before["sprite"] >= 1 and before["share_image"] >= 1
    ), f"the independent detector must see the faces of the unprotected film first: {before}"
    assert call(api, "post", f"/videos/{video_id}/consent", editor, CONSENT).status_code == 200

    turned_on = call(api, "put", f"/videos/{video_id}/protection", editor, FACES)
    assert turned_on.status_code == 200
    assert turned_on.json_body["status"] == "PROTECTING"
    assert turned_on.json_body["preview"]["protected"] is False, "the old outputs are still the unprotected ones"
    assert error_of(call(api, "post", f"/videos/{video_id}/publish", editor, {}))[0] == 409
    refused = call(api, "put", f"/videos/{video_id}/protection", editor, {"faces": False})
    assert error_of(refused) == (409, "film_processing")

    made_with_faces_blurred(stack, cascade, face_film, video_id, tmp_path)
    assert call(api, "post", f"/videos/{video_id}/publish", editor, {}).status_code == 200
    trail = get(api, f"/videos/{video_id}/audit", editor).json_body["items"]
    assert [e["details"] for e in trail if e["action"] == "protection_changed"] == [
        {"faces": True, "voice": False, "rendered_again": True}
    ]


def test_an_editor_who_turns_protection_off_gets_the_film_made_again_from_its_source(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = post_json(api, "/uploads", upload_body(protect_identity=FACES), stack.keys["office"]).json_body[
        "video_id"
    ]
    stack.put_upload(video_id, clips["valid"])
    stack.run_pipeline()
    assert film(video_id).protection_applied == Protection(faces=True)

    turned_off = call(api, "put", f"/videos/{video_id}/protection", editor, {"faces": False, "voice": False})
    assert turned_off.json_body["status"] == "TRANSCODING"
    # From now on the outputs may be the unprotected ones: nothing claims otherwise.
    assert film(video_id).protection_applied is None
    stack.deliver("ProtectQueue", "protect_film")
    assert stack.deliver("TranscodeQueue", "transcode_film") == 1
    ready = film(video_id)
    assert ready.status is Status.READY and ready.protection_applied is None and ready.protect_identity is None


def test_a_protection_message_delivered_again_does_nothing_more(api, stack, clips):
    video_id = post_json(api, "/uploads", upload_body(protect_identity=FACES), stack.keys["office"]).json_body[
        "video_id"
    ]
    stack.put_upload(video_id, clips["valid"])
    stack.deliver("UploadsQueue", "validate_upload")
    [message] = waiting(stack, "ProtectQueue")
    stack.deliver("ProtectQueue", "protect_film")
    master = film(video_id).protected_master
    sqs = stack.client("sqs")
    for _ in range(2):
        sqs.send_message(QueueUrl=stack.name("ProtectQueue"), MessageBody=json.dumps(message))
    assert stack.deliver("ProtectQueue", "protect_film") == 2
    assert film(video_id).protected_master == master
    assert len(waiting(stack, "TranscodeQueue")) == 1, "the transcode is asked once"


def test_a_film_whose_upload_is_replaced_while_it_is_protected_is_validated_again(api, stack, clips, face_film):
    video_id = upload(api, stack, face_film, protect_identity=FACES)
    stack.deliver("UploadsQueue", "validate_upload")
    attempt = film(video_id).attempt
    stack.put_upload(video_id, clips["valid"])  # a second POST to the still-valid link
    stack.deliver("ProtectQueue", "protect_film")
    replaced = film(video_id)
    assert replaced.status is Status.UPLOADED and replaced.attempt == attempt + 1
    assert replaced.protected_master is None
    stack.run_pipeline()
    assert film(video_id).status is Status.READY and film(video_id).protection_applied == Protection(faces=True)


def refuse_to_transcode(stack: Any, video_id: str, **fields: Any) -> Film:
    """The film in TRANSCODING as `fields` say (a message from before, a master gone): the transcode decides."""
    assert film(video_id).status is Status.PROTECTING
    move(video_id, Status.TRANSCODING, **fields)
    drain(stack, "ProtectQueue")
    message = {"video_id": video_id, "etag": film(video_id).upload_etag, "attempt": film(video_id).attempt}
    stack.client("sqs").send_message(QueueUrl=stack.name("TranscodeQueue"), MessageBody=json.dumps(message))
    stack.deliver("TranscodeQueue", "transcode_film")
    return film(video_id)


@pytest.mark.parametrize(
    ("master", "why"),
    [
        (None, "no master at all"),
        ({"faces": False, "voice": True}, "a master that disguised the voice only"),
    ],
)
def test_the_transcode_never_reads_the_raw_source_of_a_film_that_asks_for_protection(api, stack, clips, master, why):
    # Protection asked that the transcode's input lacks (an office asked for it after the stage before had read
    # none): the film goes to the protection stage first, its master made from the upload, never transcoded so.
    video_id = post_json(api, "/uploads", upload_body(protect_identity=FACES), stack.keys["office"]).json_body[
        "video_id"
    ]
    stack.put_upload(video_id, clips["valid"])
    stack.deliver("UploadsQueue", "validate_upload")
    fields = {} if master is None else {"protected_master": {"key": "uploads/x/protected.mkv", "etag": "e", **master}}
    sent_back = refuse_to_transcode(stack, video_id, **fields)
    assert sent_back.status is Status.PROTECTING, why
    assert [m["video_id"] for m in waiting(stack, "ProtectQueue")] == [video_id]
    listed = stack.client("s3").list_objects_v2(Bucket=stack.name("MediaBucket"), Prefix=f"films/{video_id}/")
    assert listed.get("KeyCount", 0) == 0, "no output was made"
    stack.run_pipeline()
    assert film(video_id).status is Status.READY and film(video_id).protection_applied == Protection(faces=True)


def test_faces_an_office_asks_for_while_its_film_is_transcoded_are_blurred_before_anyone_can_publish_it(
    api, stack, face_film, cascade, tmp_path
):
    # The office sent the film saying the child may be recognised, then ticked "Blur faces" while the transcode,
    # which read no protection, was running. Before, the ask was refused (409 film_processing) and sent again once
    # the film was READY: in between, an editor who had its consent could publish the child's face.
    office, editor = stack.keys["office"], stack.keys["editor"]
    video_id = upload(api, stack, face_film)
    stack.deliver("UploadsQueue", "validate_upload")
    read_by_transcode = film(video_id)
    assert read_by_transcode.status is Status.TRANSCODING
    asked = call(api, "patch", f"/uploads/{video_id}", office, {"protect_identity": FACES})
    assert asked.status_code == 200, asked.json_body
    assert asked.json_body["protect_identity"] == FACES

    # The transcode read the film before the ask: it makes outputs without it, then sends the film on to be
    # protected at once, so it is never READY without what its office asked.
    deps = wiring.dependencies()
    drain(stack, "TranscodeQueue")
    transcode_film(replace(deps, catalog=ReadBefore(deps.catalog, read_by_transcode)), video_id, 600.0)
    sent_on = film(video_id)
    assert sent_on.status is Status.PROTECTING
    assert [step.status for step in sent_on.history][-3:] == [Status.TRANSCODING, Status.READY, Status.PROTECTING]
    assert call(api, "post", f"/videos/{video_id}/consent", editor, CONSENT).status_code == 200
    assert error_of(call(api, "post", f"/videos/{video_id}/publish", editor, {})) == (409, "protection_pending")

    made_with_faces_blurred(stack, cascade, face_film, video_id, tmp_path)
    trail = get(api, f"/videos/{video_id}/audit", editor).json_body["items"]
    [caught_up] = [entry for entry in trail if entry["action"] == "protection_caught_up"]
    assert caught_up["actor"] == "pipeline" and caught_up["details"]["protect_identity"] == FACES


def test_a_film_whose_master_is_gone_fails_with_a_reason_instead_of_using_its_source(api, stack, clips):
    video_id = post_json(api, "/uploads", upload_body(protect_identity=FACES), stack.keys["office"]).json_body[
        "video_id"
    ]
    stack.put_upload(video_id, clips["valid"])
    stack.deliver("UploadsQueue", "validate_upload")
    stack.deliver("ProtectQueue", "protect_film")
    stack.client("s3").delete_object(Bucket=stack.name("UploadsBucket"), Key=master_key(video_id))
    stack.deliver("TranscodeQueue", "transcode_film")
    failed = film(video_id)
    assert failed.status is Status.FAILED and "protected version of this film is gone" in (failed.reason or "")
    # An operator's retry starts again from the upload, and protects it again.
    office_view = get(api, f"/uploads/{video_id}", stack.keys["office"]).json_body
    assert office_view["status"] == "FAILED"
    recovery.retry_film(wiring.dependencies(), "operator", video_id)
    stack.run_pipeline()
    assert film(video_id).status is Status.READY and film(video_id).protection_applied == Protection(faces=True)


def test_a_film_stuck_in_protecting_is_queued_again_then_failed(api, stack, clips):
    video_id = post_json(api, "/uploads", upload_body(protect_identity=FACES), stack.keys["office"]).json_body[
        "video_id"
    ]
    stack.put_upload(video_id, clips["valid"])
    stack.deliver("UploadsQueue", "validate_upload")
    drain(stack, "ProtectQueue")  # the message was lost
    deps = wiring.dependencies()
    later = datetime.now(UTC) + timedelta(days=2)
    assert recovery.sweep(deps, deps.settings.sweep, now=later)["requeue"] == 1
    assert [m["video_id"] for m in waiting(stack, "ProtectQueue")] == [video_id]
    drain(stack, "ProtectQueue")
    assert recovery.sweep(deps, deps.settings.sweep, now=later + timedelta(days=1))["fail"] == 1
    assert film(video_id).status is Status.FAILED


def test_a_master_stored_by_a_run_that_a_takedown_overtook_is_removed_by_the_retry(api, stack, clips):
    video_id = post_json(api, "/uploads", upload_body(protect_identity=FACES), stack.keys["office"]).json_body[
        "video_id"
    ]
    stack.put_upload(video_id, clips["valid"])
    stack.deliver("UploadsQueue", "validate_upload")
    [message] = waiting(stack, "ProtectQueue")
    assert call(api, "delete", f"/videos/{video_id}", stack.keys["editor"], TAKEDOWN).status_code == 200
    # The run that was killed after storing its master (and so never moved the film on) left it behind.
    s3, uploads = stack.client("s3"), stack.name("UploadsBucket")
    s3.put_object(Bucket=uploads, Key=master_key(video_id), Body=b"a master with blurred faces")
    stack.deliver("ProtectQueue", "protect_film")
    assert s3.list_objects_v2(Bucket=uploads, Prefix=f"uploads/{video_id}/").get("KeyCount", 0) == 0
    assert film(video_id).status is Status.DELETED and message["video_id"] == video_id
