"""The protection stage decodes no more of a source than the transcode would: the same caps on pixels
and duration (domain/rules.py `decode_caps`), whatever the file's header claimed at validation."""

from __future__ import annotations

import subprocess

from chalicelib import wiring
from chalicelib.domain.film import Status
from chalicelib.domain.object_keys import master_key, upload_key
from chalicelib.domain.rules import DecodeCaps
from chalicelib.media.protect import protect_args
from chalicelib.services import protection
from local.clips import make_clip
from tests.functional.factories import write_ready_film

FACES = {"faces": True, "voice": False}


def test_a_source_longer_than_its_header_said_is_protected_no_further_than_the_transcode_reads(
    stack, monkeypatch, functions_session, tmp_path
):
    monkeypatch.setenv("MAX_DURATION_S", "3")  # the stage's limit: the transcode reads 3 + 1 s at most
    wiring.reset(functions_session)
    clip = make_clip(tmp_path / "long.mp4", 6, width=64, height=36, fps=4, audio=False)
    video_id = write_ready_film(
        stack, status=Status.PROTECTING, protect_identity=FACES, picture_width=64, picture_height=36, duration_s=3.0
    )
    s3, uploads = stack.client("s3"), stack.name("UploadsBucket")
    etag = s3.put_object(Bucket=uploads, Key=upload_key(video_id, ".mp4"), Body=clip.read_bytes())["ETag"].strip('"')
    deps = wiring.dependencies()
    deps.catalog.touch(
        video_id, Status.PROTECTING, stack.catalog_item(video_id)["status_changed_at"], {"upload_etag": etag}
    )

    protection.protect_film(deps, video_id, deadline_s=120)

    assert deps.catalog.get_film(video_id).status is Status.TRANSCODING
    master = tmp_path / "master.mkv"
    master.write_bytes(s3.get_object(Bucket=uploads, Key=master_key(video_id))["Body"].read())
    probed = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(master)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert float(probed.stdout) <= 4.0 + 0.5, "no more of the child's picture than the transcode would ever read"


def test_the_master_is_made_with_the_transcodes_pixel_cap_before_its_input(tmp_path):
    args = protect_args(
        "in.mp4",
        tmp_path / "protected.mkv",
        [],
        width=64,
        height=48,
        voice=None,
        audio=False,
        duration_s=60.0,
        caps=DecodeCaps(max_pixels=4096 * 2160, max_duration_s=63.0),
    )
    before_input = args[: args.index("-i")]
    assert before_input[before_input.index("-max_pixels") + 1] == str(4096 * 2160)
    assert before_input[before_input.index("-t") + 1] == "63.000"
