"""The ffmpeg filter that blurs faces: boxes held over time, drawn into a mask, in the same decode.

The graph splits the decoded picture three ways: the picture itself, a heavily blurred copy (scaled
down to a few dozen pixels across, blurred, scaled back: nothing of a face's features survives,
whatever its size), and a black mask on which every region is drawn in white for its time span
(`drawbox` with `enable='between(t,start,end)'`). The blurred copy is laid over the picture through
the mask. It works on the picture as decoded (rotated, before any scaling), the picture that
media/frames.py hands to detection, and sits first in the graph, so every output made from its
result (renditions, poster, sprite) is protected alike. Written to a filter script file: a long
film has hundreds of regions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from chalicelib.domain.faces import BlurRegion
from chalicelib.domain.rules import DecodeCaps
from chalicelib.media.runner import input_args, run

# The blurred copy is this many pixels across (before its own blur): a face filling the whole frame
# becomes a few smooth blobs, a small one a smear.
BLUR_ACROSS = 32
BLUR_SIGMA = 2


def _even_box(region: BlurRegion, width: int, height: int) -> tuple[int, int, int, int]:
    """The region's box in whole pixels, grown outward to even edges (4:2:0 chroma)."""
    x1 = max(0, math.floor(region.box.x1 / 2) * 2)
    y1 = max(0, math.floor(region.box.y1 / 2) * 2)
    x2 = min(width, math.ceil(region.box.x2 / 2) * 2)
    y2 = min(height, math.ceil(region.box.y2 / 2) * 2)
    return x1, y1, x2 - x1, y2 - y1


def blur_filter(regions: Sequence[BlurRegion], width: int, height: int, source: str, output: str) -> str:
    """A filtergraph fragment from the label `source` to the label `output` (labels without brackets)."""
    if not regions:
        return f"[{source}]null[{output}]"
    small_w = BLUR_ACROSS
    small_h = max(2, round(BLUR_ACROSS * height / width))
    boxes = []
    for region in regions:
        x, y, w, h = _even_box(region, width, height)
        if w > 0 and h > 0:
            enable = f"between(t\\,{region.start_s:.6f}\\,{region.end_s:.6f})"
            boxes.append(f"drawbox=x={x}:y={y}:w={w}:h={h}:color=white:t=fill:enable='{enable}'")
    mask = ",".join(["format=gray", "lut=y=0", *boxes])
    return ";\n".join(
        [
            f"[{source}]split=3[fb_picture][fb_copy][fb_mask_source]",
            f"[fb_copy]scale={small_w}:{small_h}:flags=area,gblur=sigma={BLUR_SIGMA},"
            f"scale={width}:{height}:flags=bilinear,setsar=1[fb_blurred]",
            f"[fb_mask_source]{mask}[fb_mask]",
            "[fb_blurred][fb_mask]alphamerge[fb_cover]",
            f"[fb_picture][fb_cover]overlay=0:0:format=auto:eof_action=pass[{output}]",
        ]
    )


def write_filter_script(graph: str, folder: Path) -> Path:
    path = folder / "faceblur.filtergraph"
    path.write_text(graph, encoding="utf-8")
    return path


def filtered_input_args(source: str, script: Path, caps: DecodeCaps | None = None) -> list[str]:
    """ffmpeg reading `source` through the allowlists every input gets (and within `caps`), with the graph
    in `script`."""
    return [
        "ffmpeg",
        "-nostdin",
        "-v",
        "error",
        "-y",
        *input_args(source, caps),
        "-i",
        source,
        "-filter_complex_script",
        str(script),
    ]


def blur_to_file(
    source: str, output: Path, regions: Sequence[BlurRegion], *, width: int, height: int, timeout_s: float
) -> None:
    """The source's picture with the regions blurred, as an H.264 file (sound kept), on its own.

    The protection stage's renditions go through the transcode graph instead; this one is for the
    tests, the benchmarks and a quick look at what a set of regions does.
    """
    script = write_filter_script(blur_filter(regions, width, height, "0:v", "protected"), output.parent)
    run(
        [
            *filtered_input_args(source, script),
            "-map",
            "[protected]",
            "-map",
            "0:a:0?",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "18",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-map_metadata",
            "-1",
            str(output),
        ],
        timeout_s,
    )
