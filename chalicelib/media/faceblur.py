"""The ffmpeg filter that blurs faces: boxes held over time, drawn into a mask, in the same decode.

The graph splits the decoded picture three ways: the picture itself, a heavily blurred copy (scaled
down to a few dozen pixels across, blurred, scaled back: nothing of a face's features survives,
whatever its size), and a black mask on which every region is drawn in white for its time span. The
blurred copy is laid over the picture through the mask. It works on the picture as decoded (rotated,
before any scaling), the picture that media/frames.py hands to detection, and sits first in the graph,
so every output made from its result (renditions, poster, sprite) is protected alike. Written to a
filter script file: a long film has thousands of regions.

The mask has as many `drawbox` filters as regions are ever shown at once (`slots`), not one per region:
every frame passes every `drawbox` in the chain, so a film cut every few frames, with thousands of
regions, spent most of its master's time passing frames through boxes switched off. `sendcmd` moves a
slot's box to its next region as that region starts, and switches it on and off (`enable`) at the
region's start and end.
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


# A region's times are widened by this much either way (a frame shown at exactly its start or end is
# blurred, as `between(t, start, end)` would have it, whatever the rounding of times to microseconds).
EDGE_S = 0.001


def slots(regions: Sequence[BlurRegion]) -> list[list[BlurRegion]]:
    """The regions shared among as few boxes as possible: each slot's regions follow one another in time
    (one ends before the next starts, widened edges included), in order."""
    assigned: list[list[BlurRegion]] = []
    for region in sorted(regions, key=lambda r: (r.start_s, r.end_s)):
        free = [slot for slot in assigned if slot[-1].end_s + EDGE_S < region.start_s - EDGE_S]
        if free:
            min(free, key=lambda slot: slot[-1].end_s).append(region)
        else:
            assigned.append([region])
    return assigned


def _slot_commands(slot_name: str, region: BlurRegion, width: int, height: int) -> str:
    x, y, w, h = _even_box(region, width, height)
    moves = [f"[enter] {slot_name} {option} {value}" for option, value in (("x", x), ("y", y), ("w", w), ("h", h))]
    switches = [f"[enter] {slot_name} enable 1", f"[leave] {slot_name} enable 0"]
    # sendcmd reads no negative time ("-0.001-2.5" is not an interval).
    return f"{max(0.0, region.start_s - EDGE_S):.6f}-{region.end_s + EDGE_S:.6f} " + ", ".join(moves + switches)


def blur_filter(regions: Sequence[BlurRegion], width: int, height: int, source: str, output: str) -> str:
    """A filtergraph fragment from the label `source` to the label `output` (labels without brackets)."""
    shown = [region for region in regions if min(_even_box(region, width, height)[2:]) > 0]
    if not shown:
        return f"[{source}]null[{output}]"
    small_w = BLUR_ACROSS
    small_h = max(2, round(BLUR_ACROSS * height / width))
    boxes, commands = [], []
    for index, slot in enumerate(slots(shown)):
        # sendcmd names a filter by its instance name alone ("fb3"), not "drawbox@fb3".
        name = f"fb{index}"
        boxes.append(f"drawbox@{name}=w=2:h=2:color=white:t=fill:enable=0")
        commands += [_slot_commands(name, region, width, height) for region in slot]
    # The mask's grey is its own: `scale` converts to it on this branch alone. Without it, ffmpeg may give the
    # whole split grey (it does when the input is cut with -t, as the stages' caps cut it): a black-and-white film.
    mask = ",".join(["scale", "format=gray", "lut=y=0", f"sendcmd=c='{';'.join(commands)}'", *boxes])
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
