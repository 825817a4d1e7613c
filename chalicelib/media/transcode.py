"""The ffmpeg command that turns a validated source into web renditions, a poster and a thumbnail sprite.

One decode feeds every output (a `split`). Every output is stripped of container and stream
metadata and chapters, and only the chosen video stream and the first audio stream are mapped, so
subtitles, data streams, cover art and anything else in the upload are left behind.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

import ffmpeg

from chalicelib.domain.ladder import Rendition, SpritePlan
from chalicelib.domain.source import SourceDescription
from chalicelib.media.runner import INPUT_FORMATS, input_protocols, run

POSTER_NAME = "poster.jpg"
SPRITE_NAME = "sprite.jpg"
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
    video = plan.source.video
    assert video is not None, "a source without video never reaches the transcoder"
    source = ffmpeg.input(
        source_path,
        format_whitelist=INPUT_FORMATS,
        protocol_whitelist=input_protocols(source_path),
        max_pixels=plan.max_pixels,
        t=plan.max_duration_s,  # read no further than this, whatever the header claims
    )
    frame_cap = math.ceil(plan.max_duration_s * plan.max_frame_rate)
    encoded = [r for r in plan.renditions if not r.passthrough]
    branches = source[str(video.index)].filter_multi_output("split", len(encoded) + 1)
    audio = [source[str(plan.source.audio_index)]] if plan.source.audio_index is not None else []
    outputs = []
    for rendition in plan.renditions:
        path = os.path.join(out_dir, rendition_file(rendition))
        if rendition.passthrough:
            outputs.append(
                ffmpeg.output(source[str(video.index)], *audio, path, c="copy", movflags="+faststart", **CLEAN)
            )
            continue
        picture = branches[encoded.index(rendition)].filter("scale", rendition.width, rendition.height)
        outputs.append(
            ffmpeg.output(picture.filter("format", "yuv420p"), *audio, path, **_h264(rendition, frame_cap, bool(audio)))
        )
    top = plan.renditions[0]
    sprite = plan.sprite
    samples = branches[len(encoded)].filter("fps", fps=f"1/{sprite.interval_s:.6f}").filter_multi_output("split", 2)
    outputs.append(
        samples[0]
        .filter("scale", sprite.tile_width, sprite.tile_height)
        .filter("tile", f"{sprite.columns}x{sprite.rows}")
        .output(os.path.join(out_dir, SPRITE_NAME), vframes=1, update=1, **{"q:v": 4}, **CLEAN)
    )
    # The poster: of the frames sampled across the film, the one most like the whole (not a black title card).
    outputs.append(
        samples[1]
        .filter("thumbnail", n=sprite.tiles)
        .filter("scale", top.width, top.height)
        .output(os.path.join(out_dir, POSTER_NAME), vframes=1, update=1, **{"q:v": 3}, **CLEAN)
    )
    args: list[str] = (
        ffmpeg.merge_outputs(*outputs).global_args("-nostdin", "-v", "error").compile(overwrite_output=True)
    )
    return args


def _h264(rendition: Rendition, frame_cap: int, with_audio: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "vcodec": "libx264",
        "preset": "veryfast",
        "crf": 23,
        "maxrate": f"{rendition.video_kbps}k",
        "bufsize": f"{rendition.video_kbps * 2}k",
        "pix_fmt": "yuv420p",
        "movflags": "+faststart",
        "vframes": frame_cap,
        **CLEAN,
    }
    if with_audio:
        options.update(acodec="aac", audio_bitrate=f"{rendition.audio_kbps}k", ac=2)
    return options


def transcode(source_path: str, out_dir: str, plan: TranscodePlan, timeout_s: float) -> Outputs:
    run(transcode_args(source_path, out_dir, plan), timeout_s)
    return Outputs(
        renditions={r.name: os.path.join(out_dir, rendition_file(r)) for r in plan.renditions},
        poster=os.path.join(out_dir, POSTER_NAME),
        sprite=os.path.join(out_dir, SPRITE_NAME),
    )
