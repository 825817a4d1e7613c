"""Every awkward upload ends in the right state with the right reason; outputs are clean and web-ready."""

from __future__ import annotations

import re
import subprocess
import time

import pytest

from chalicelib.domain.errors import MediaError
from chalicelib.media.probe import probe
from chalicelib.media.runner import MediaTimeoutError, input_args, run
from local.clips import make_clip
from tests.functional.conftest import MEDIA_BASE_URL, ffprobe_json, get, post_json, publish, upload_body

EXTENSIONS = {
    "webm": ("video/webm", ".webm"),
    "avi": ("video/x-msvideo", ".avi"),
    "mov": ("video/quicktime", ".mov"),
    "mkv": ("video/x-matroska", ".mkv"),
}


def ingest(api, stack, path):
    content_type, extension = EXTENSIONS.get(path.suffix.lstrip("."), ("video/mp4", ".mp4"))
    body = upload_body(filename=f"film{extension}", content_type=content_type)
    video_id = post_json(api, "/uploads", body, stack.keys["office"]).json_body["video_id"]
    stack.put_upload(video_id, path, extension)
    stack.run_pipeline()
    return video_id, get(api, f"/uploads/{video_id}", stack.keys["office"]).json_body


def media_keys(stack):
    listing = stack.client("s3").list_objects_v2(Bucket=stack.name("MediaBucket"))
    return sorted(item["Key"] for item in listing.get("Contents", []))


def fetch(stack, key, path):
    path.write_bytes(stack.client("s3").get_object(Bucket=stack.name("MediaBucket"), Key=key)["Body"].read())
    return path


@pytest.mark.parametrize(
    ("sample", "reason_code"),
    [
        ("zero", "unreadable"),
        ("random", "unreadable"),
        ("no_moov", "unreadable"),
        ("audio_only", "no_video_stream"),
        ("still", "unsupported_format"),
        ("hls", "unsupported_format"),
        ("concat", "unsupported_format"),
        ("raw_h264", "unsupported_format"),
        ("s30", "duration_out_of_range"),
        ("s57", "duration_out_of_range"),
        ("s63", "duration_out_of_range"),
        ("s300", "duration_out_of_range"),
        ("huge", "resolution_out_of_range"),
        ("fps240", "frame_rate_out_of_range"),
        ("liar", "duration_out_of_range"),
    ],
)
def test_bad_uploads_are_rejected_with_their_reason_and_leave_nothing(api, stack, samples, sample, reason_code):
    _, film = ingest(api, stack, samples[sample])
    assert (film["status"], film.get("reason_code")) == ("REJECTED", reason_code), film
    assert film["reason"]
    assert media_keys(stack) == []


@pytest.mark.parametrize(
    ("sample", "size"),
    [
        ("two_videos", (160, 120)),
        ("rotated", (180, 320)),
        ("vfr", (160, 120)),
        ("vp9", (160, 120)),
        ("mjpeg", (160, 120)),
        ("hevc", (160, 120)),
    ],
)
def test_awkward_but_valid_films_become_ready_and_web_ready(api, stack, samples, tmp_path, sample, size):
    _, film = ingest(api, stack, samples[sample])
    assert film["status"] == "READY", film
    [rendition_key] = [key for key in media_keys(stack) if key.endswith(".mp4")]
    info = ffprobe_json(fetch(stack, rendition_key, tmp_path / "out.mp4"))
    [video] = [s for s in info["streams"] if s["codec_type"] == "video"]
    assert (video["codec_name"], video["pix_fmt"]) == ("h264", "yuv420p")
    assert (video["width"], video["height"]) == size
    assert not any("rotation" in side for side in video.get("side_data_list", [])), "rotation applied, not carried"


def test_an_hls_playlist_disguised_as_mp4_reaches_nothing(api, stack, samples, tmp_path):
    _, film = ingest(api, stack, samples["hls"])
    assert film["reason_code"] == "unsupported_format"
    assert media_keys(stack) == []
    # And ffmpeg itself, handed the playlist, refuses to open it: nothing of the other film is written.
    out = tmp_path / "out"
    out.mkdir()
    args = [
        "ffmpeg",
        "-nostdin",
        "-v",
        "error",
        *input_args(str(samples["hls"])),
        "-i",
        str(samples["hls"]),
        "-c",
        "copy",
        str(out / "x.mp4"),
    ]
    with pytest.raises(MediaError):
        run(args, timeout_s=30)
    assert not (out / "x.mp4").exists() or (out / "x.mp4").stat().st_size == 0


def test_no_private_data_survives_in_any_output(api, stack, samples, tmp_path):
    _, film = ingest(api, stack, samples["private"])
    assert film["status"] == "READY"
    keys = media_keys(stack)
    assert any(k.endswith(".mp4") for k in keys) and any(k.endswith("poster.jpg") for k in keys)
    for key in keys:
        path = fetch(stack, key, tmp_path / key.replace("/", "_"))
        data = path.read_bytes()
        for secret in (b"Aliyeva", b"School", b"+40.4093", b"049.8671"):
            assert secret not in data, (key, secret)
        if key.endswith(".mp4"):
            info = ffprobe_json(path)
            assert info["chapters"] == []
            assert [s["codec_type"] for s in info["streams"]] == ["video", "audio"]
            assert "location" not in info["format"].get("tags", {})
            assert "title" not in info["format"].get("tags", {})
        if key.endswith(".jpg"):
            assert b"Exif" not in data[:1024]


def test_a_web_ready_source_is_remuxed_not_re_encoded(api, stack, samples, tmp_path):
    video_id, film = ingest(api, stack, samples["web_ready"])
    assert film["status"] == "READY"
    remuxed = fetch(stack, f"films/{video_id}/360p.mp4", tmp_path / "360p.mp4")

    def video_packets_md5(path):
        # The remux drops SEI units (the source's user data) and nothing else: the coded pictures are the source's.
        out = subprocess.run(
            [
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-i",
                str(path),
                "-map",
                "0:v",
                "-c",
                "copy",
                "-bsf:v",
                "filter_units=remove_types=6",
                "-f",
                "md5",
                "-",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()

    assert video_packets_md5(remuxed) == video_packets_md5(samples["web_ready"])
    assert b"x264 - core" in samples["web_ready"].read_bytes()
    assert b"x264 - core" not in remuxed.read_bytes(), "the encoder's settings string is SEI user data too"
    head = remuxed.read_bytes()[:4096]
    assert head.find(b"moov") != -1, "faststart: the index comes first"


def test_the_poster_is_a_representative_frame_not_the_black_opening(api, stack, samples, tmp_path):
    video_id, film = ingest(api, stack, samples["black_start"])
    assert film["status"] == "READY"
    poster = fetch(stack, f"films/{video_id}/poster.jpg", tmp_path / "poster.jpg")
    luma = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(poster), "-vf", "scale=1:1,format=gray", "-f", "rawvideo", "-"],
        capture_output=True,
        check=True,
    ).stdout
    assert luma[0] > 40, f"poster is nearly black (mean luma {luma[0]})"
    assert ffprobe_json(poster)["streams"][0]["width"] == 320


def test_sprite_and_storyboard_are_served_with_the_film(api, stack, clips, tmp_path):
    video_id, _ = ingest(api, stack, clips["hd"])
    assert publish(api, stack, video_id).status_code == 200
    public = get(api, f"/videos/{video_id}").json_body
    assert public["storyboard_url"].endswith(f"films/{video_id}/storyboard.vtt")
    vtt = stack.client("s3").get_object(Bucket=stack.name("MediaBucket"), Key=f"films/{video_id}/storyboard.vtt")
    assert vtt["ContentType"] == "text/vtt"
    cues = vtt["Body"].read().decode().strip().split("\n\n")
    assert cues[0] == "WEBVTT" and len(cues) == 31
    sprite = ffprobe_json(fetch(stack, f"films/{video_id}/sprite.jpg", tmp_path / "sprite.jpg"))["streams"][0]
    assert (sprite["width"], sprite["height"]) == (5 * 160, 6 * 90)


def test_a_film_s_share_image_is_its_poster_letterboxed_in_a_small_jpeg(api, stack, clips, tmp_path):
    """What link previews show (docs/WEBSITE.md, "Share pages"): the poster's picture whole, in 1200x630. A 4:3
    film fills 840x630 of it, between black bars of 180 px."""
    video_id, _ = ingest(api, stack, clips["valid"])
    assert publish(api, stack, video_id).status_code == 200
    public = get(api, f"/videos/{video_id}").json_body

    key = public["share_image_url"].removeprefix(f"{MEDIA_BASE_URL}/")
    assert re.fullmatch(f"films/{video_id}/share-[0-9a-f]{{12}}.jpg", key), "named by the render that made it"
    path = fetch(stack, key, tmp_path / "share.jpg")
    image = ffprobe_json(path)["streams"][0]
    assert (image["codec_name"], image["width"], image["height"]) == ("mjpeg", 1200, 630)
    assert path.stat().st_size < 100_000
    assert "tags" not in image, "no metadata, as every output"
    grey = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        capture_output=True,
        check=True,
    ).stdout
    rows = [grey[row * 1200 : (row + 1) * 1200] for row in range(630)]
    bars = [value for row in rows for value in (*row[:170], *row[-170:])]
    picture = [value for row in rows for value in row[200:1000]]
    assert max(bars) < 24, "black bars either side"
    assert sum(picture) / len(picture) > 40, "the poster's picture between them"


def test_probing_through_a_presigned_url_reads_only_the_headers(stack, tmp_path):
    big = make_clip(
        tmp_path / "big.mp4",
        60,
        width=640,
        height=360,
        fps=25,
        audio=True,
        extra_args=("-b:v", "2M", "-x264-params", "nal-hrd=cbr"),
    )
    s3 = stack.client("s3")
    bucket = stack.name("UploadsBucket")
    s3.upload_file(str(big), bucket, "uploads/probe/source.mp4")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "uploads/probe/source.mp4"})
    probed = probe(url, big.stat().st_size)
    assert 59 < probed.source.duration_s < 61
    assert 0 < probed.bytes_read < big.stat().st_size / 5


def test_a_hung_ffmpeg_is_killed_with_its_process_group_at_the_deadline():
    started = time.monotonic()
    with pytest.raises(MediaTimeoutError):
        run(
            ["ffmpeg", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc=rate=5", "-f", "null", "-"],
            timeout_s=1.0,
        )
    # The source never ends (-re, no duration): returning at all means it was killed; the bound is only generous.
    assert time.monotonic() - started < 120
    leftover = subprocess.run(["pgrep", "-f", "testsrc=rate=5"], capture_output=True, text=True, check=False)
    assert leftover.stdout == ""


def test_ffmpeg_is_never_started_without_nostdin_or_through_a_shell():
    with pytest.raises(ValueError, match="nostdin"):
        run(["ffmpeg", "-version"], timeout_s=5)
    with pytest.raises(ValueError, match="only starts"):
        run(["sh", "-c", "ffmpeg -version"], timeout_s=5)
