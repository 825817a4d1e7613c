"""The ffmpeg command that turns a validated source into web renditions, a poster and a thumbnail sprite.

One decode feeds every output (a `split`): measured faster than one command per output
(docs/BENCHMARKS.md). Every output is stripped of container and stream metadata and chapters, and
only the chosen video stream and the first audio stream are mapped, so subtitles, data streams,
cover art and anything else in the upload are left behind.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

import ffmpeg

from chalicelib.domain.ladder import Rendition, SpritePlan
from chalicelib.domain.object_keys import POSTER_NAME, SPRITE_NAME
from chalicelib.domain.source import SourceDescription
from chalicelib.media.runner import INPUT_FORMATS, input_protocols, run

GLOBAL_ARGS = ("-nostdin", "-v", "error")
# What every output gets: none of the source's container or stream metadata (`-map_metadata -1`
# alone still copies stream tags such as handler names), no chapters, no encoder tags.
CLEAN = {"map_metadata": -1, "map_metadata:s": -1, "map_chapters": -1, "fflags": "+bitexact"}


@dataclass(frozen=True)
class TranscodePlan:
    source: SourceDescription
    renditions: list[Rendition]
    sprite: SpritePlan
    max_duration_s: float
    max_frame_rate: float
    max_pixels: int


@dataclass(frozen=True)
class Outputs:
    renditions: dict[str, str]
    poster: str
    sprite: str


def rendition_file(rendition: Rendition) -> str:
    return f"{rendition.name}.mp4"


def transcode_args(source_path: str, out_dir: str, plan: TranscodePlan) -> list[str]:
    """Every rendition and both images from one decode of the source."""
    source = _input(source_path, plan)
    video = _video_stream(source, plan)
    encoded = [r for r in plan.renditions if not r.passthrough]
    branches = video.filter_multi_output("split", len(encoded) + 1)
    outputs = [
        _rendition_output(source, video if r.passthrough else branches[encoded.index(r)], out_dir, r, plan)
        for r in plan.renditions
    ]
    outputs += _image_outputs(branches[len(encoded)], out_dir, plan)
    return _compile(outputs)


def rendition_args(source_path: str, out_dir: str, plan: TranscodePlan, rendition: Rendition) -> list[str]:
    """One rendition on its own (for the benchmark that compares one decode with one command per output)."""
    source = _input(source_path, plan)
    return _compile([_rendition_output(source, _video_stream(source, plan), out_dir, rendition, plan)])


def images_args(source_path: str, out_dir: str, plan: TranscodePlan) -> list[str]:
    source = _input(source_path, plan)
    return _compile(_image_outputs(_video_stream(source, plan), out_dir, plan))


def transcode(source_path: str, out_dir: str, plan: TranscodePlan, timeout_s: float) -> Outputs:
    run(transcode_args(source_path, out_dir, plan), timeout_s)
    return Outputs(
        renditions={r.name: os.path.join(out_dir, rendition_file(r)) for r in plan.renditions},
        poster=os.path.join(out_dir, POSTER_NAME),
        sprite=os.path.join(out_dir, SPRITE_NAME),
    )


def _input(source_path: str, plan: TranscodePlan) -> Any:
    return ffmpeg.input(
        source_path,
        format_whitelist=INPUT_FORMATS,
        protocol_whitelist=input_protocols(source_path),
        max_pixels=plan.max_pixels,
        t=plan.max_duration_s,  # read no further than this, whatever the header claims
    )


def _video_stream(source: Any, plan: TranscodePlan) -> Any:
    video = plan.source.video
    assert video is not None, "a source without video never reaches the transcoder"
    return source[str(video.index)]


def _rendition_output(source: Any, picture: Any, out_dir: str, rendition: Rendition, plan: TranscodePlan) -> Any:
    audio = [source[str(plan.source.audio_index)]] if plan.source.audio_index is not None else []
    path = os.path.join(out_dir, rendition_file(rendition))
    if rendition.passthrough:
        return ffmpeg.output(picture, *audio, path, c="copy", movflags="+faststart", **CLEAN)
    scaled = picture.filter("scale", rendition.width, rendition.height).filter("format", "yuv420p")
    options: dict[str, Any] = {
        "vcodec": "libx264",
        "preset": "veryfast",
        "crf": 23,
        "maxrate": f"{rendition.video_kbps}k",
        "bufsize": f"{rendition.video_kbps * 2}k",
        "pix_fmt": "yuv420p",
        "movflags": "+faststart",
        "vframes": math.ceil(plan.max_duration_s * plan.max_frame_rate),
        **CLEAN,
    }
    if audio:
        options.update(acodec="aac", audio_bitrate=f"{rendition.audio_kbps}k", ac=2)
    return ffmpeg.output(scaled, *audio, path, **options)


def _image_outputs(picture: Any, out_dir: str, plan: TranscodePlan) -> list[Any]:
    sprite = plan.sprite
    top = plan.renditions[0]
    samples = picture.filter("fps", fps=f"1/{sprite.interval_s:.6f}").filter_multi_output("split", 2)
    tiles = (
        samples[0]
        .filter("scale", sprite.tile_width, sprite.tile_height)
        .filter("tile", f"{sprite.columns}x{sprite.rows}")
        .output(os.path.join(out_dir, SPRITE_NAME), vframes=1, update=1, **{"q:v": 4}, **CLEAN)
    )
    # The poster: of the frames sampled across the film, the one most like the whole (not a black title card).
    poster = (
        samples[1]
        .filter("thumbnail", n=sprite.tiles)
        .filter("scale", top.width, top.height)
        .output(os.path.join(out_dir, POSTER_NAME), vframes=1, update=1, **{"q:v": 3}, **CLEAN)
    )
    return [tiles, poster]


def _compile(outputs: list[Any]) -> list[str]:
    args: list[str] = ffmpeg.merge_outputs(*outputs).global_args(*GLOBAL_ARGS).compile(overwrite_output=True)
    return args
