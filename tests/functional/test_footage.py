"""Real footage (issue 13) and bitstream data (issue 11, item 2): what the pipeline makes of each kind of source.

Every source is tiny and made here (footage_samples.py); each goes through the real handlers, ffmpeg
and moto, and the public outputs are inspected as a player (or a curious viewer) would.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from chalicelib.domain.ladder import plan_renditions
from chalicelib.media.loudness import measure_loudness
from chalicelib.media.probe import probe
from tests.functional import footage_samples as make
from tests.functional.conftest import ffprobe_json
from tests.functional.test_media_validation import fetch, ingest, media_keys

SOURCES = {
    "marked_high.mp4": lambda path: make.marked_source(path, "h264"),
    "marked_main.mp4": lambda path: make.marked_source(path, "h264", profile="main"),
    "marked_hevc.mov": lambda path: make.marked_source(path, "hevc"),
    "hlg.mov": lambda path: make.hdr_photo_clip(path, "hlg"),
    "pq.mov": lambda path: make.hdr_photo_clip(path, "pq"),
    "dv_4x3.mkv": lambda path: make.interlaced_dv_shape(path, "4:3"),
    "dv_16x9.mkv": lambda path: make.interlaced_dv_shape(path, "16:9"),
    "hd_1080i.mp4": lambda path: make.full_hd_source(path, interlaced=True),
    "hd_1080p.mp4": lambda path: make.full_hd_source(path, interlaced=False),
    "quiet_5_1.mkv": lambda path: make.sound_source(path, "5.1", -23),
    "loud_5_1.mkv": lambda path: make.sound_source(path, "5.1", -10, clip=True),
    "mono.mkv": lambda path: make.sound_source(path, "mono", -10),
    "short_picture.mp4": make.picture_shorter_than_sound,
    "sync.mp4": make.flash_and_beep,
}


@pytest.fixture(scope="session")
def footage(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("footage")
    return {name.split(".")[0]: build(folder / name) for name, build in SOURCES.items()}


def packets_of(path: Path) -> int:
    """The video packets, counted (a fragmented MP4's header does not say how many)."""
    args = ["ffprobe", "-v", "error", "-count_packets", "-select_streams", "v:0", "-show_entries"]
    out = subprocess.run(
        [*args, "stream=nb_read_packets", "-of", "csv=p=0", str(path)], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


def video_of(path: Path) -> dict:
    return next(s for s in ffprobe_json(path)["streams"] if s["codec_type"] == "video")


def rgb_frame(path: Path, size: int = 256) -> np.ndarray:
    """The first picture, decoded as a player shows it (its own matrix and range), in 8-bit RGB."""
    out = subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-vf",
            f"scale={size}:{size},format=rgb24",
            "-f",
            "rawvideo",
            "-",
        ],
        capture_output=True,
        check=True,
    )
    return np.frombuffer(out.stdout, np.uint8).reshape(size, size, 3).astype(np.float64)


def clip_only(path: Path) -> np.ndarray:
    """The same HDR source converted by clipping everything above SDR white: what a naive conversion shows."""
    chain = (
        "zscale=t=linear:npl=203,format=gbrpf32le,zscale=p=bt709,tonemap=clip,"
        "zscale=t=bt709:m=bt709:r=tv,format=yuv420p"
    )
    converted = path.with_name(path.stem + "-clipped.mp4")
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-vf",
            chain,
            "-c:v",
            "libx264",
            "-qp",
            "0",
            "-colorspace",
            "bt709",
            str(converted),
        ],
        check=True,
    )
    return rgb_frame(converted)


# --- issue 11, item 2: nothing of the bitstream's own data in any output ---


@pytest.mark.parametrize("sample", ["marked_high", "marked_main", "marked_hevc"])
def test_no_sei_user_data_captions_or_encoder_strings_reach_any_output(api, stack, footage, tmp_path, sample):
    source = footage[sample].read_bytes()
    assert make.A53_IDENTIFIER in source, "the source carries closed captions"
    planted = make.SEI_MARKER.encode() if sample != "marked_hevc" else b"x265 (build"
    assert planted in source
    video_id, film = ingest(api, stack, footage[sample])
    assert film["status"] == "READY", film
    keys = media_keys(stack)
    assert {key.rsplit("/", 1)[1] for key in keys} >= {"360p.mp4", "poster.jpg", "sprite.jpg"}
    for key in keys:
        data = fetch(stack, key, tmp_path / key.replace("/", "_")).read_bytes()
        for secret in (planted, make.SEI_MARKER.encode(), make.A53_IDENTIFIER, b"x264 - core", b"x265 (build"):
            assert secret not in data, (key, secret)
    rendition = tmp_path / f"films_{video_id}_360p.mp4"
    assert (video_of(rendition)["profile"], video_of(rendition)["codec_name"]) == ("High", "h264")
    if sample == "marked_high":  # already web-ready: remuxed, the coded pictures untouched
        assert packets_of(rendition) == packets_of(footage[sample])


# --- colours: HDR tone-mapped to SDR BT.709, tagged so ---


@pytest.mark.parametrize("sample", ["hlg", "pq"])
def test_hdr_comes_out_sdr_bt709_close_to_the_sdr_original_with_highlights_kept(api, stack, footage, tmp_path, sample):
    video_id, film = ingest(api, stack, footage[sample])
    assert film["status"] == "READY", film
    rendition = fetch(stack, f"films/{video_id}/256p.mp4", tmp_path / "256p.mp4")
    video = video_of(rendition)
    assert (video["codec_name"], video["profile"], video["pix_fmt"]) == ("h264", "High", "yuv420p")
    assert (video["color_transfer"], video["color_primaries"], video["color_space"]) == ("bt709",) * 3
    original = make.photo().astype(np.float64)
    luma = make.luminance(original)
    above = make.above_sdr_white(make.photo())
    midtones = (luma > 40) & (luma < 180) & ~above
    naive = make.luminance(clip_only(footage[sample]))[above]
    for output in (rendition, fetch(stack, f"films/{video_id}/poster.jpg", tmp_path / "poster.jpg")):
        picture = rgb_frame(output)
        assert np.abs(picture - original)[midtones].mean() < 12, f"{output.name}: midtones far from the SDR photo"
        saturation = (picture.max(-1) - picture.min(-1))[midtones].mean()
        assert 0.85 < saturation / (original.max(-1) - original.min(-1))[midtones].mean() < 1.15, output.name
        highlights = make.luminance(picture)[above]
        assert (highlights >= 250).mean() < 0.6 * (naive >= 250).mean(), f"{output.name}: highlights clipped"


# --- shape: square pixels at the display aspect ratio, deinterlaced ---


def interlaced_share(path: Path) -> float:
    """idet's verdict: the share of frames that look interlaced (combing between the fields)."""
    out = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "info", "-i", str(path), "-map", "0:v", "-vf", "idet", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    tff, bff, progressive = (
        int(n)
        for n in re.findall(
            r"Multi frame detection: TFF:\s*(\d+) BFF:\s*(\d+) "
            r"Progressive:\s*(\d+)",
            out,
        )[-1]
    )
    return (tff + bff) / max(1, tff + bff + progressive)


@pytest.mark.parametrize(
    ("sample", "size", "tile"), [("dv_4x3", (480, 360), (160, 120)), ("dv_16x9", (640, 360), (160, 90))]
)
def test_anamorphic_interlaced_dv_comes_out_square_and_progressive(api, stack, footage, tmp_path, sample, size, tile):
    assert interlaced_share(footage[sample]) > 0.5, "the source is interlaced"
    video_id, film = ingest(api, stack, footage[sample])
    assert film["status"] == "READY", film
    rendition = fetch(stack, f"films/{video_id}/360p.mp4", tmp_path / "360p.mp4")
    video = video_of(rendition)
    assert (video["width"], video["height"], video.get("sample_aspect_ratio", "1:1")) == (*size, "1:1")
    assert video["field_order"] == "progressive"
    assert interlaced_share(rendition) < 0.1
    poster = video_of(fetch(stack, f"films/{video_id}/poster.jpg", tmp_path / "poster.jpg"))
    assert (poster["width"], poster["height"]) == size
    sprite = video_of(fetch(stack, f"films/{video_id}/sprite.jpg", tmp_path / "sprite.jpg"))
    assert (sprite["width"], sprite["height"]) == (5 * tile[0], 6 * tile[1])


def test_a_1080i_source_is_re_encoded_and_the_same_source_progressive_is_remuxed(footage):
    interlaced = probe(str(footage["hd_1080i"]), footage["hd_1080i"].stat().st_size).source
    progressive = probe(str(footage["hd_1080p"]), footage["hd_1080p"].stat().st_size).source
    assert interlaced.video.interlaced and not progressive.video.interlaced
    assert [(r.name, r.passthrough) for r in plan_renditions(interlaced)] == [
        ("1080p", False),
        ("720p", False),
        ("360p", False),
    ]
    assert [r.passthrough for r in plan_renditions(progressive)] == [True, False, False]


# --- duration: the picture's ---


@pytest.mark.parametrize("container", ["mp4", "mkv"])
def test_a_picture_shorter_than_its_sound_is_rejected_as_such(api, stack, footage, tmp_path, container):
    source = footage["short_picture"]
    if container == "mkv":  # Matroska states a stream's duration only in a tag
        source = tmp_path / "short_picture.mkv"
        subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-i", str(footage["short_picture"]), "-c", "copy", str(source)],
            check=True,
        )
    _, film = ingest(api, stack, source)
    assert (film["status"], film["reason_code"]) == ("REJECTED", "duration_out_of_range"), film
    assert "picture is shorter than the sound" in film["reason"]
    assert "45.0 s" in film["reason"]
    assert media_keys(stack) == []


# --- sound: -16 LUFS, true peak under -1 dBTP, stereo 48 kHz, in sync ---


@pytest.mark.parametrize(("sample", "channels"), [("quiet_5_1", 6), ("loud_5_1", 6), ("mono", 1)])
def test_every_films_sound_is_stereo_48k_at_minus_16_lufs_under_minus_1_dbtp(
    api, stack, footage, tmp_path, sample, channels
):
    source = footage[sample]
    before = measure_loudness(str(source), 1, 61, 60)
    assert [s["channels"] for s in ffprobe_json(source)["streams"] if s["codec_type"] == "audio"] == [channels]
    video_id, film = ingest(api, stack, source)
    assert film["status"] == "READY", film
    rendition = fetch(stack, f"films/{video_id}/120p.mp4", tmp_path / "120p.mp4")
    [audio] = [s for s in ffprobe_json(rendition)["streams"] if s["codec_type"] == "audio"]
    assert (audio["codec_name"], audio["channels"], audio["sample_rate"]) == ("aac", 2, "48000")
    after = measure_loudness(str(rendition), 1, 61, 60)  # the decoded AAC, as a viewer hears it
    assert -17.0 <= after.integrated_lufs <= -15.0, (before, after)
    assert after.true_peak_dbtp <= -1.0, (before, after)


def lavfi_frames(source: str, entries: str) -> list[dict]:
    """Frames of a filter graph reading the file as is (its own timestamps, picture and sound alike)."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-f", "lavfi", "-i", source, "-show_entries", entries, "-of", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    frames: list[dict] = json.loads(out.stdout)["frames"]
    return frames


def flash_time(path: Path) -> float:
    frames = lavfi_frames(f"movie={path},signalstats", "frame=pts_time:frame_tags=lavfi.signalstats.YAVG")
    return next(float(f["pts_time"]) for f in frames if float(f["tags"]["lavfi.signalstats.YAVG"]) > 128)


def beep_time(path: Path) -> float:
    frames = lavfi_frames(f"amovie={path},silencedetect=noise=-30dB:d=0.5", "frame_tags=lavfi.silence_end")
    return next(float(f["tags"]["lavfi.silence_end"]) for f in frames if f.get("tags"))


def test_sound_and_picture_stay_in_sync_for_vfr_footage_with_late_sound(api, stack, footage, tmp_path):
    source = footage["sync"]
    source_offset = flash_time(source) - beep_time(source)
    video_id, film = ingest(api, stack, source)
    assert film["status"] == "READY", film
    rendition = fetch(stack, f"films/{video_id}/120p.mp4", tmp_path / "120p.mp4")
    assert abs((flash_time(rendition) - beep_time(rendition)) - source_offset) <= 1 / 24
    [audio] = [s for s in ffprobe_json(rendition)["streams"] if s["codec_type"] == "audio"]
    assert float(audio["start_time"]) <= 0.05, "late sound is padded from the start"
