"""The filters that correct a source's picture once, before it is split into renditions and images.

Deinterlacing (bwdif) only for a source that says it is interlaced; HDR (HLG or PQ, Dolby Vision by its
compatible base layer) tone-mapped to SDR BT.709. Rotation is applied by ffmpeg itself (autorotate)
before these filters; square pixels come from each output's scale to its display size (`scaled`).
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain.source import UNTAGGED, DynamicRange, VideoStream

# Tone mapping, chosen by measurement on photographs (docs/BENCHMARKS.md, bench/tonemap.py): linear light
# with SDR white (BT.2408's 203 cd/m2) at 1.0, so that midtones land where an SDR camera puts them, then
# Mobius: linear up to half of SDR white, a smooth roll-off above, highlights compressed instead of clipped.
REFERENCE_WHITE_NITS = 203
TONE_MAP = {"tonemap": "mobius", "param": 0.5, "desat": 0, "peak": round(1000 / REFERENCE_WHITE_NITS, 3)}
_HDR_TRANSFER = {DynamicRange.HLG: "arib-std-b67", DynamicRange.PQ: "smpte2084"}
# What an output's colours are, tagged in the stream so that players need not guess.
BT709_OUTPUT = {"color_primaries": "bt709", "color_trc": "bt709", "colorspace": "bt709", "color_range": "tv"}


def corrected(picture: Any, video: VideoStream) -> Any:
    """The source's picture deinterlaced when it is interlaced, and in SDR BT.709 when it is HDR."""
    if video.interlaced:
        # One frame per frame (not per field): the frame rate the film was shot at.
        picture = picture.filter("bwdif", mode="send_frame", parity="auto", deint="all")
    if video.dynamic_range is not DynamicRange.SDR:
        picture = (
            picture.filter(
                "zscale",
                tin=_HDR_TRANSFER[video.dynamic_range],
                pin="bt2020",
                min="2020_ncl",
                t="linear",
                npl=REFERENCE_WHITE_NITS,
            )
            .filter("format", "gbrpf32le")
            .filter("zscale", p="bt709")
            .filter("tonemap", **TONE_MAP)
            .filter("zscale", t="bt709", m="bt709", r="tv")
            .filter("format", "yuv420p")
        )
    return picture


def scaled(picture: Any, video: VideoStream, width: int, height: int, *, jpeg: bool = False) -> Any:
    """The corrected picture at `width` x `height`, square pixels, BT.709 (JPEG: full-range BT.601, as JFIF has it)."""
    if jpeg:
        colours = {"out_color_matrix": "bt601", "out_range": "pc"}
        pixel_format = "yuvj420p"
    else:
        colours = {"out_color_matrix": "bt709", "out_range": "tv"}
        pixel_format = "yuv420p"
    return (
        picture.filter("scale", width, height, in_color_matrix=_source_matrix(video), **colours)
        .filter("setsar", 1)
        .filter("format", pixel_format)
    )


def _source_matrix(video: VideoStream) -> str:
    """What the picture's YCbCr means: its tag (HDR is BT.709 once tone-mapped), else by size as players assume."""
    if video.dynamic_range is not DynamicRange.SDR or video.color_space == "bt709":
        return "bt709"
    if video.color_space not in UNTAGGED:
        return "auto"
    return "bt709" if min(video.width, video.height) >= 720 else "bt601"
