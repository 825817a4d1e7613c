"""Decoded frames for face detection: sampled frames of the source as RGB arrays, and their times.

The frames are the picture as ffmpeg decodes it (rotation applied, no scaling for the display aspect
ratio), which is exactly the picture the blur filter of media/faceblur.py works on, so a box found
here is a box there. Each frame's time is the one `showinfo` reports, which is the `t` the blur
filter's `enable` expressions see. Frames wider than `max_width` are scaled down for detection. Streamed:
a 60 s film never sits in memory as frames.

Frames are picked by time (one every `interval_s` of film, whatever the frame rate: a 60 fps phone film
costs no more detection than a 24 fps one) or, for comparisons, by count (every Nth frame). Picked by
time, a scene change (`scene_change`, ffmpeg's scene score, read in the same decode) is picked too, and
so is every frame for `interval_s` after it: a shot shorter than the interval, a face shown for one
frame after a cut, is looked at on every frame, where the interval alone could step over it. A change
inside a shot (`local_changes`, a decode of its own before the sampling's) counts as a cut.
"""

from __future__ import annotations

import bisect
import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from chalicelib.domain.errors import MediaError
from chalicelib.domain.rules import DecodeCaps
from chalicelib.media.runner import FrameStream, input_args

PTS_TIME = re.compile(r"Parsed_showinfo.*?\bpts_time:\s*(-?[\d.]+)")
SCENE_SCORE = re.compile(r"Parsed_metadata.*?\blavfi\.scene_score=([\d.]+)")


# Timestamps are rounded to the stream's time base: a gap of exactly `interval_s` may read a little over.
PICK_TOLERANCE_S = 0.001
# Sampled by time, the picture is first made a steady frame rate: a frame held on screen for seconds (a
# variable-frame-rate phone film of a still scene, a still shot in an edited film) is repeated, so the
# selection, which cannot see how long a frame will stay, still looks at it every `interval_s`. Each
# repeat is timed at its slot, within 1/HELD_FRAME_RATE of the frame it shows (its region holds past that).
# Twice 60 fps, so that every new frame of a film up to 60 fps follows a repeat: ffmpeg's scene score,
# the smaller of the frame's difference from the one before and how much that difference changed, is
# then the plain difference at any frame rate. A whip pan reads as a change at 60 fps as it does at
# 30 (at 60 it was one steady difference, so one shot, and a face crossing in 0.2 s went unseen).
HELD_FRAME_RATE = 120
# A change inside a shot (a face popping in over a still picture) moves ffmpeg's scene score, the mean
# over the whole picture, too little to count as a cut: the picture is also seen as a grid of blocks,
# CHANGE_GRID across its longer side, and a frame whose largest block changed by a share of the full
# range from the frame before counts as a change (`local_changes`).
CHANGE_GRID = 64


def pick_expression(
    *,
    every_n_frames: int | None,
    interval_s: float | None,
    scene_change: float | None = None,
    changes: Sequence[float] = (),
) -> str:
    """ffmpeg `select` expression: every Nth frame, or one frame per `interval_s` (never further apart).

    By time: the first frame, then each frame after which the next one (taken as far as the last one
    was) would be more than `interval_s` after the last pick: 0.25 s picks every 3rd frame at 12 fps,
    every 6th at 25 fps and every 7th at 30 fps. With `scene_change` (a scene score, 0 to 1), also each
    frame whose score reaches it (a cut), and every new frame (score above 0: not a repeat made by the
    steady frame rate) for `interval_s` after the last cut. The time of the last cut is kept in the
    expression's own variable 0 (`st`/`ld` keep their values from frame to frame), variable 1 says
    whether there was one. A frame at one of `changes` (times of `local_changes`) counts as a cut too.
    """
    if (every_n_frames is None) == (interval_s is None):
        raise ValueError("give exactly one of every_n_frames and interval_s")
    if every_n_frames is not None:
        return f"not(mod(n\\,{every_n_frames}))"
    assert interval_s is not None
    next_gap = "(t-prev_selected_t)+(t-prev_t)"
    by_time = f"isnan(prev_selected_t)+gt({next_gap}\\,{interval_s + PICK_TOLERANCE_S:.6f})"
    if scene_change is None:
        return by_time
    # Each change is one slot of the steady frame rate: half a slot either side finds it and no other frame.
    half = 0.5 / HELD_FRAME_RATE
    changed = [f"between(t\\,{t - half:.6f}\\,{t + half:.6f})" for t in changes]
    scene_cut = f"gte(scene\\,{scene_change:.6f})"
    cut = f"if({balanced_sum([scene_cut, *changed])}\\,st(1\\,1)+st(0\\,t))"
    after_cut = f"ld(1)*lt(t-ld(0)\\,{interval_s:.6f})*gt(scene\\,0)"
    return f"{cut}+{by_time}+{after_cut}"


def balanced_sum(terms: Sequence[str]) -> str:
    """`terms` added up, bracketed in halves: ffmpeg parses and evaluates an expression recursively, so a
    film's thousands of changes make a tree as deep as their logarithm, not as their number."""
    if len(terms) == 1:
        return terms[0]
    middle = len(terms) // 2
    return f"({balanced_sum(terms[:middle])}+{balanced_sum(terms[middle:])})"


def local_changes(
    source: str, *, width: int, height: int, threshold: float, timeout_s: float, caps: DecodeCaps | None = None
) -> list[float]:
    """Times (at the steady frame rate's slots, as `SampledFrames` times its frames) of the frames on which
    some block of the picture (CHANGE_GRID across its longer side: 20 px of a 720p picture) changed by
    `threshold` (a share of the full range of brightness) or more from the frame before: a face appearing
    inside a shot for a few frames, which the picture's mean (the scene score) does not count as a cut.

    A decode of its own, before the sampling's (which needs these times in its `select`): the picture is
    only scaled to the grid, and the decoder skips its loop filter, which the grid cannot see.
    """
    longer = max(width, height)
    cols, rows = max(1, round(CHANGE_GRID * width / longer)), max(1, round(CHANGE_GRID * height / longer))
    args = [
        *("ffmpeg", "-nostdin", "-hide_banner", "-v", "info", "-threads", "0", "-skip_loop_filter", "all"),
        *input_args(source, caps),
        *("-i", source, "-map", "0:v:0", "-an", "-sn", "-dn"),
        *("-vf", f"scale={cols}:{rows}:flags=area,format=gray,fps=fps={HELD_FRAME_RATE}:round=down,showinfo"),
        *("-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"),
    ]
    stream = FrameStream(args, cols * rows, timeout_s)
    changes, before = [], None
    for chunk in stream:
        blocks = np.frombuffer(chunk, dtype=np.uint8).astype(np.int16)
        changes.append(0 if before is None else int(np.abs(blocks - before).max()))
        before = blocks
    times = [float(match.group(1)) for match in PTS_TIME.finditer(stream.stderr)]
    if len(times) != len(changes):
        raise MediaError(f"ffmpeg timed {len(times)} of the {len(changes)} frames read for changes.")
    return [time_s for time_s, change in zip(times, changes, strict=True) if change >= threshold * 255]


def detection_size(width: int, height: int, max_width: int) -> tuple[int, int]:
    if width <= max_width:
        return width, height
    return max_width, max(2, round(height * max_width / width / 2) * 2)


class SampledFrames:
    """RGB frames of the source's picture (every Nth, or one per `interval_s`), read as ffmpeg decodes them.

    `width` and `height` are the decoded (rotated) picture's size; `scale` turns a detection pixel
    back into a source pixel. `times_s` holds each frame's time: that of a frame just yielded is
    there, and the whole list is checked again against everything ffmpeg said once the iteration ends.
    With `scene_change`, `scene_scores` holds each frame's scene score alike (a cut's reaches
    `scene_change`); without, it stays empty.
    """

    def __init__(
        self,
        source: str,
        *,
        width: int,
        height: int,
        max_width: int,
        timeout_s: float,
        every_n_frames: int | None = None,
        interval_s: float | None = None,
        caps: DecodeCaps | None = None,
        scene_change: float | None = None,
        changes: Sequence[float] = (),
    ) -> None:
        out_w, out_h = detection_size(width, height, max_width)
        self.scale = width / out_w
        self._shape = (out_h, out_w, 3)
        self._changes = sorted(changes)
        pick = pick_expression(
            every_n_frames=every_n_frames, interval_s=interval_s, scene_change=scene_change, changes=self._changes
        )
        scored = ",metadata=print:key=lavfi.scene_score" if scene_change is not None else ""
        picked = f"select='{pick}'{scored},showinfo,scale={out_w}:{out_h}:flags=area"
        if interval_s is not None:
            picked = f"fps=fps={HELD_FRAME_RATE}:round=down,{picked}"
        self._graph = picked
        self._args = [
            *("ffmpeg", "-nostdin", "-hide_banner", "-v", "info", "-threads", "0"),
            *input_args(source, caps),
            *("-i", source, "-map", "0:v:0", "-an", "-sn", "-dn"),
        ]
        self._output = ["-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
        self._timeout_s = timeout_s
        self._chunk = out_w * out_h * 3
        self.times_s: list[float] = []
        self.scene_scores: list[float] = []

    def changed(self, time_s: float) -> bool:
        """Whether the frame at `time_s` is one of the `changes` (a change inside a shot, looked at as a cut)."""
        at = bisect.bisect_left(self._changes, time_s - 0.5 / HELD_FRAME_RATE)
        return at < len(self._changes) and self._changes[at] <= time_s + 0.5 / HELD_FRAME_RATE

    def __iter__(self) -> Iterator[np.ndarray[Any, np.dtype[np.uint8]]]:
        self.times_s, self.scene_scores = [], []
        # The graph is read from a file: a film's changes can make the pick longer than an argument may be.
        with tempfile.TemporaryDirectory(prefix="omjr-frames-") as folder:
            script = Path(folder) / "pick.filtergraph"
            script.write_text(self._graph, encoding="utf-8")
            stream = FrameStream(
                [*self._args, "-filter_script:v", str(script), *self._output], self._chunk, self._timeout_s
            )
            for chunk in stream:
                for line in stream.new_stderr_lines():
                    if match := PTS_TIME.search(line):
                        self.times_s.append(float(match.group(1)))
                    elif match := SCENE_SCORE.search(line):
                        self.scene_scores.append(float(match.group(1)))
                yield np.frombuffer(chunk, dtype=np.uint8).reshape(self._shape)
        self.times_s = [float(match.group(1)) for match in PTS_TIME.finditer(stream.stderr)]
        self.scene_scores = [float(match.group(1)) for match in SCENE_SCORE.finditer(stream.stderr)]
