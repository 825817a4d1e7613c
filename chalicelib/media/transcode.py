"""The ffmpeg graph that turns a validated source into web renditions, a poster and a thumbnail sprite.

One decode feeds every output (a `split`), and each output is stripped of metadata, chapters,
subtitles and data streams: only the mapped video and audio streams are written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import ffmpeg

from chalicelib.domain.ladder import Rendition, SpritePlan
from chalicelib.domain.source import SourceDescription
from chalicelib.media.runner import INPUT_FORMATS, INPUT_PROTOCOLS, run

POSTER_NAME = "poster.jpg"
SPRITE_NAME = "sprite.jpg"


@dataclass(frozen=True)
class TranscodePlan:
    source: SourceDescription
    renditions: list[Rendition]
    sprite: SpritePlan
    poster_at_s: float
    max_duration_s: float


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
        source_path, format_whitelist=INPUT_FORMATS, protocol_whitelist=INPUT_PROTOCOLS, t=plan.max_duration_s
    )
    branches = source[str(video.index)].filter_multi_output("split", len(plan.renditions) + 2)
    outputs = []
    for number, rendition in enumerate(plan.renditions):
        picture = branches[number].filter("scale", rendition.width, rendition.height).filter("format", "yuv420p")
        streams = [picture]
        audio: dict[str, object] = {}
        if plan.source.audio_index is not None:
            streams.append(source[str(plan.source.audio_index)])
            audio = {"acodec": "aac", "audio_bitrate": f"{rendition.audio_kbps}k", "ac": 2}
        outputs.append(
            ffmpeg.output(
                *streams,
                os.path.join(out_dir, rendition_file(rendition)),
                vcodec="libx264",
                preset="veryfast",
                crf=23,
                maxrate=f"{rendition.video_kbps}k",
                bufsize=f"{rendition.video_kbps * 2}k",
                pix_fmt="yuv420p",
                movflags="+faststart",
                map_metadata=-1,
                map_chapters=-1,
                **audio,
            )
        )
    sprite = plan.sprite
    outputs.append(
        branches[len(plan.renditions)]
        .filter("fps", fps=f"1/{sprite.interval_s:.6f}")
        .filter("scale", sprite.tile_width, sprite.tile_height)
        .filter("tile", f"{sprite.columns}x{sprite.rows}")
        .output(os.path.join(out_dir, SPRITE_NAME), vframes=1, map_metadata=-1, **{"q:v": 4, "update": 1})
    )
    outputs.append(
        branches[len(plan.renditions) + 1]
        .filter("trim", start=plan.poster_at_s)
        .filter("setpts", "PTS-STARTPTS")
        .output(os.path.join(out_dir, POSTER_NAME), vframes=1, map_metadata=-1, **{"q:v": 3, "update": 1})
    )
    args: list[str] = (
        ffmpeg.merge_outputs(*outputs).global_args("-nostdin", "-v", "error").compile(overwrite_output=True)
    )
    return args


def transcode(source_path: str, out_dir: str, plan: TranscodePlan, timeout_s: float) -> Outputs:
    run(transcode_args(source_path, out_dir, plan), timeout_s)
    return Outputs(
        renditions={r.name: os.path.join(out_dir, rendition_file(r)) for r in plan.renditions},
        poster=os.path.join(out_dir, POSTER_NAME),
        sprite=os.path.join(out_dir, SPRITE_NAME),
    )
