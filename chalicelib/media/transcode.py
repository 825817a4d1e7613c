"""The ffmpeg command that turns a validated source into web renditions, a poster, its share image and a
thumbnail sprite.

One decode feeds every output (a `split`): measured faster than one command per output
(docs/BENCHMARKS.md). The picture is corrected once (media/picture.py) before the split, so renditions,
poster and sprite show the same colours and shape. Every output is stripped of container and stream
metadata and chapters, and only the chosen video stream and the first audio stream are mapped, so
subtitles, data streams, cover art and anything else in the upload are left behind. Inside the video
bitstream, every SEI unit is dropped (`filter_units`), remux or encode: the source's user data (app
text, names, coordinates), x264's own settings string, and closed captions, which libx264 would
otherwise copy from the source (`-a53cc 0` stops that at the encoder too).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

import ffmpeg

from chalicelib.domain.ladder import (
    SHARE_IMAGE_FALLBACK_QUALITIES,
    SHARE_IMAGE_HEIGHT,
    SHARE_IMAGE_MAX_BYTES,
    SHARE_IMAGE_QUALITY,
    SHARE_IMAGE_WIDTH,
    Rendition,
    SpritePlan,
)
from chalicelib.domain.loudness import limiter_ceiling
from chalicelib.domain.object_keys import POSTER_NAME, SHARE_IMAGE_NAME, SPRITE_NAME
from chalicelib.domain.rules import DecodeCaps
from chalicelib.domain.source import SourceDescription, VideoStream
from chalicelib.media.fingerprint import FRAMES_NAME, frames_branch
from chalicelib.media.loudness import SAMPLE_RATE
from chalicelib.media.picture import BT709_OUTPUT, corrected, scaled
from chalicelib.media.runner import input_options, run

GLOBAL_ARGS = ("-nostdin", "-v", "error")
# What every output gets: none of the source's container or stream metadata (`-map_metadata -1`
# alone still copies stream tags such as handler names), no chapters, no encoder tags.
CLEAN = {"map_metadata": -1, "map_metadata:s": -1, "map_chapters": -1, "fflags": "+bitexact"}
# H.264 NAL unit type 6 is SEI: user data, closed captions, encoder strings. Nothing a player needs from
# a closed-GOP stream.
NO_SEI = {"bsf:v": "filter_units=remove_types=6"}
# Every rendition is a fragmented MP4 cut at each keyframe: the MP4 download and, addressed by byte ranges,
# the HLS segments (domain/hls.py). Its index comes first: the `moov`, then a `sidx` per track listing every
# fragment, so a player seeks the download without reading it through. The `moov` waits for the first
# fragment (`delay_moov`) so that its edit list states the B-frames' delay: without it, the first timestamps
# come out mangled, and with negative composition offsets instead, frames after a B-frame shift by one.
FRAGMENTED = "+frag_keyframe+empty_moov+default_base_moof+delay_moov+global_sidx"
# The true-peak limiter runs at 4x the sample rate, so that peaks between samples are seen and held.
OVERSAMPLED_RATE = 4 * SAMPLE_RATE


@dataclass(frozen=True)
class TranscodePlan:
    source: SourceDescription
    renditions: list[Rendition]
    sprite: SpritePlan
    max_duration_s: float
    max_frame_rate: float
    max_pixels: int
    # The picture's length: the sound is cut (or padded with silence) to it.
    picture_duration_s: float = 0.0
    # Decided by domain/loudness.py from the audio-only measurement pass.
    audio_gain_db: float = 0.0
    # When HLS segments start (domain/hls.py), after the first frame: every encoded rung has a keyframe there.
    segment_starts: tuple[float, ...] = (0.0,)
    # When the first frame comes in ffmpeg's output timeline (after a sound that starts earlier, say).
    first_frame_s: float = 0.0
    # Whether this decode also takes the frames of the source's picture fingerprint (media/fingerprint.py):
    # when it reads the source itself, not a protected master.
    fingerprint: bool = False


@dataclass(frozen=True)
class Outputs:
    renditions: dict[str, str]
    poster: str
    sprite: str
    share_image: str
    fingerprint_frames: str | None = None


def rendition_file(rendition: Rendition) -> str:
    return f"{rendition.name}.mp4"


def transcode_args(source_path: str, out_dir: str, plan: TranscodePlan) -> list[str]:
    """Every rendition and both images from one decode of the source."""
    source = _input(source_path, plan)
    raw = _video_stream(source, plan)
    decoded = raw
    if plan.fingerprint:
        # The fingerprint's frames come from the picture as decoded, before any correction: as the protection
        # stage takes them (media/fingerprint.py).
        split = raw.filter_multi_output("split", 2)
        decoded, for_fingerprint = split[0], split[1]
    encoded = [r for r in plan.renditions if not r.passthrough]
    branches = corrected(decoded, _video(plan)).filter_multi_output("split", len(encoded) + 1)
    sounds = _sounds(source, plan, len(plan.renditions))
    outputs = [
        _rendition_output(raw if r.passthrough else branches[encoded.index(r)], sounds[i], out_dir, r, plan)
        for i, r in enumerate(plan.renditions)
    ]
    outputs += _image_outputs(branches[len(encoded)], out_dir, plan)
    if plan.fingerprint:
        outputs.append(frames_branch(for_fingerprint, os.path.join(out_dir, FRAMES_NAME)))
    return _compile(outputs)


def rendition_args(source_path: str, out_dir: str, plan: TranscodePlan, rendition: Rendition) -> list[str]:
    """One rendition on its own (for the benchmark that compares one decode with one command per output)."""
    source = _input(source_path, plan)
    raw = _video_stream(source, plan)
    picture = raw if rendition.passthrough else corrected(raw, _video(plan))
    return _compile([_rendition_output(picture, _sounds(source, plan, 1)[0], out_dir, rendition, plan)])


def images_args(source_path: str, out_dir: str, plan: TranscodePlan) -> list[str]:
    source = _input(source_path, plan)
    return _compile(_image_outputs(corrected(_video_stream(source, plan), _video(plan)), out_dir, plan))


def transcode(source_path: str, out_dir: str, plan: TranscodePlan, timeout_s: float) -> Outputs:
    run(transcode_args(source_path, out_dir, plan), timeout_s)
    fit_share_image(os.path.join(out_dir, SHARE_IMAGE_NAME), timeout_s)
    return Outputs(
        renditions={r.name: os.path.join(out_dir, rendition_file(r)) for r in plan.renditions},
        poster=os.path.join(out_dir, POSTER_NAME),
        sprite=os.path.join(out_dir, SPRITE_NAME),
        share_image=os.path.join(out_dir, SHARE_IMAGE_NAME),
        fingerprint_frames=os.path.join(out_dir, FRAMES_NAME) if plan.fingerprint else None,
    )


def _input(source_path: str, plan: TranscodePlan) -> Any:
    # Read no further than the plan's caps, whatever the header claims.
    return ffmpeg.input(source_path, **input_options(source_path, DecodeCaps(plan.max_pixels, plan.max_duration_s)))


def _video(plan: TranscodePlan) -> VideoStream:
    video = plan.source.video
    assert video is not None, "a source without video never reaches the transcoder"
    return video


def _video_stream(source: Any, plan: TranscodePlan) -> Any:
    return source[str(_video(plan).index)]


def _sounds(source: Any, plan: TranscodePlan, count: int) -> list[Any]:
    """The film's sound for `count` outputs: 48 kHz stereo, at the planned gain, under the true-peak limiter,
    starting with the picture and lasting as long."""
    if plan.source.audio_index is None:
        return [None] * count
    sound = (
        source[str(plan.source.audio_index)]
        # Timestamps followed (silence in gaps, a late start padded from 0): in sync with the picture.
        .filter("aresample", SAMPLE_RATE, first_pts=0, **{"async": 1})
        .filter("aformat", sample_fmts="fltp", channel_layouts="stereo")
        .filter("volume", f"{plan.audio_gain_db:.2f}dB")
        .filter("aresample", OVERSAMPLED_RATE)
        .filter("alimiter", limit=limiter_ceiling(), level=0, latency=1)
        .filter("aresample", SAMPLE_RATE)
        .filter("apad")
        .filter("atrim", duration=f"{plan.picture_duration_s:.3f}")
    )
    if count == 1:
        return [sound]
    split = sound.filter_multi_output("asplit", count)
    return [split[i] for i in range(count)]


def _rendition_output(picture: Any, sound: Any, out_dir: str, rendition: Rendition, plan: TranscodePlan) -> Any:
    streams = [picture] if sound is None else [picture, sound]
    path = os.path.join(out_dir, rendition_file(rendition))
    options: dict[str, Any] = {"movflags": FRAGMENTED, **NO_SEI, **CLEAN}
    if sound is not None:
        options.update(acodec="aac", audio_bitrate=f"{rendition.audio_kbps}k", ar=SAMPLE_RATE, ac=2)
    if rendition.passthrough:
        return ffmpeg.output(*streams, path, vcodec="copy", **options)
    streams[0] = scaled(picture, _video(plan), rendition.width, rendition.height)
    options.update(
        vcodec="libx264",
        preset="veryfast",
        crf=23,
        maxrate=f"{rendition.video_kbps}k",
        bufsize=f"{rendition.video_kbps * 2}k",
        pix_fmt="yuv420p",
        a53cc=0,
        fps_mode="vfr",  # the source's own frame times: variable frame rate phone footage stays in sync
        force_key_frames=forced_keyframes(plan.segment_starts, plan.first_frame_s),
        vframes=math.ceil(plan.max_duration_s * plan.max_frame_rate),
        **{"profile:v": "high"},
        **BT709_OUTPUT,
    )
    return ffmpeg.output(*streams, path, **options)


def forced_keyframes(segment_starts: tuple[float, ...], first_frame_s: float) -> str:
    """The encoder's keyframe times: each segment's start (the first frame is one anyway), in the output's
    timeline, a millisecond early so that the frame shown at that time, and not the next, is the keyframe."""
    times = (first_frame_s + start - 0.001 for start in segment_starts[1:])
    return ",".join(f"{time:.3f}" for time in times) or "0"


def _image_outputs(picture: Any, out_dir: str, plan: TranscodePlan) -> list[Any]:
    sprite = plan.sprite
    top = plan.renditions[0]
    video = _video(plan)
    samples = picture.filter("fps", fps=f"1/{sprite.interval_s:.6f}").filter_multi_output("split", 2)
    tiles = (
        scaled(samples[0], video, sprite.tile_width, sprite.tile_height, jpeg=True)
        .filter("tile", f"{sprite.columns}x{sprite.rows}")
        .output(os.path.join(out_dir, SPRITE_NAME), vframes=1, update=1, **{"q:v": 4}, **CLEAN)
    )
    # The poster: of the frames sampled across the film, the one most like the whole (not a black title card).
    chosen = scaled(samples[1].filter("thumbnail", n=sprite.tiles), video, top.width, top.height, jpeg=True)
    pictures = chosen.filter_multi_output("split", 2)
    poster = pictures[0].output(os.path.join(out_dir, POSTER_NAME), vframes=1, update=1, **{"q:v": 3}, **CLEAN)
    return [tiles, poster, _share_image(pictures[1], out_dir)]


def _share_image(poster: Any, out_dir: str) -> Any:
    """The poster's picture, whole, letterboxed in the share image's frame (square pixels already)."""
    width, height = SHARE_IMAGE_WIDTH, SHARE_IMAGE_HEIGHT
    framed = (
        poster.filter("scale", width, height, force_original_aspect_ratio="decrease", force_divisible_by=2)
        .filter("pad", width, height, "(ow-iw)/2", "(oh-ih)/2", color="black")
        .filter("setsar", 1)
    )
    path = os.path.join(out_dir, SHARE_IMAGE_NAME)
    return framed.output(path, vframes=1, update=1, **{"q:v": SHARE_IMAGE_QUALITY}, **CLEAN)


def fit_share_image(path: str, timeout_s: float) -> None:
    """The share image within SHARE_IMAGE_MAX_BYTES (a chat app shows no preview over about 300 kB): encoded
    again from itself, coarser each time, until it fits or the coarsest is reached."""
    for quality in SHARE_IMAGE_FALLBACK_QUALITIES:
        if os.path.getsize(path) <= SHARE_IMAGE_MAX_BYTES:
            return
        smaller = f"{path}.smaller.jpg"
        run(["ffmpeg", *GLOBAL_ARGS, "-y", "-i", path, "-q:v", str(quality), *_clean_args(), smaller], timeout_s)
        os.replace(smaller, path)


def _clean_args() -> list[str]:
    return [arg for key, value in CLEAN.items() for arg in (f"-{key}", str(value))]


def _compile(outputs: list[Any]) -> list[str]:
    args: list[str] = ffmpeg.merge_outputs(*outputs).global_args(*GLOBAL_ARGS).compile(overwrite_output=True)
    return args
