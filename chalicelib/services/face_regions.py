"""Find where the faces of a film are: sampled frames -> detections -> blur regions held over time.

Detection runs on one frame every DETECTION_INTERVAL_S of film at most, upright and turned a quarter turn
each way (QUARTER_TURNS: faces lying on their side, a child lying down, a phone held sideways with no
rotation tag), at most MAX_DETECTION_WIDTH pixels wide. Beyond those, a cut's frame (a scene change, or a
change inside a shot: LOCAL_CHANGE) is looked at all ways and every frame for DETECTION_INTERVAL_S after
it upright (so every frame of a shorter shot: a face shown for one frame after a cut), paid from a budget
of model runs earned as the film plays (EXTRA_RUNS_PER_S), so a film cut every few frames costs a bounded
number of runs. domain/faces.py holds each detection from the sample before to the sample after, with a
margin, and along its track over samples that missed it; each series (upright, turned) is held over its
own samples.

Frames are detected several at once (one per core, each run single-threaded) while ffmpeg decodes the
next ones: on a shared or small machine that keeps every core busy, where one run spread over all
cores waits on its slowest thread at every layer. Why these numbers: docs/FACE_DETECTION.md.
"""

from __future__ import annotations

import math
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import numpy as np

from chalicelib.domain.errors import MediaError
from chalicelib.domain.faces import BlurRegion, Box, Sample, blur_regions, unturned
from chalicelib.domain.rules import DecodeCaps
from chalicelib.media.frames import PICK_TOLERANCE_S, SampledFrames, local_changes

# One sample every quarter second of film at most: every 3rd frame at 12 fps (what the tests prove), every 7th
# at 30 fps. Two samples are never further apart (at a steady frame rate).
DETECTION_INTERVAL_S = 0.25
# 1280 keeps a 720p picture whole (faces down to about 12 px); a 1080p one is scaled down for detection.
MAX_DETECTION_WIDTH = 1280
# ffmpeg's scene score (0 to 1) from which a frame starts a new shot. Low, since a missed cut is what
# lets a face through and a false one costs a quarter second of every-frame detection.
SCENE_CHANGE = 0.1
# A change inside a shot that the scene score does not count as a cut (a face popping in over a still
# picture) is looked at as one when some block of the picture (media/frames.py, CHANGE_GRID) changed by
# this share of the full brightness range from the frame before. An ordinary panned and moving film
# reached 0.27 at most (a 10 s pan across two photographs), a face appearing over a photograph 0.66.
LOCAL_CHANGE = 0.3
# The model finds faces up to about 75 degrees off upright: a quarter turn each way covers a face
# lying on either side, and the upright look the rest.
QUARTER_TURNS = (1, 3)
# Beyond the interval's looks (a frame every DETECTION_INTERVAL_S, upright and turned: 12 model runs a
# second of film), a cut's frame is looked at all ways and the frames after it upright, paid from a
# budget of model runs earned as the film plays, EXTRA_RUNS_PER_S a second of film, at most
# EXTRA_RUNS_MOST saved. An isolated cut is looked at in full (its frame 3 runs, the 14 frames after it
# within DETECTION_INTERVAL_S at 60 fps 14 more); a film cut every few frames costs at most
# EXTRA_RUNS_PER_S more runs a second than one without cuts, where every frame would have cost 60.
EXTRA_RUNS_PER_S = 16
EXTRA_RUNS_MOST = 24

Item = TypeVar("Item")
Result = TypeVar("Result")


class FaceDetector(Protocol):
    def detect(self, frame: Any) -> list[Box]: ...


@dataclass(frozen=True)
class Look:
    """One sampled frame: detected `upright` (or not looked at), and turned too when `turned`; a `repeat` of
    the frame looked at before (a frame held on screen, picked again) is not detected again: it has the
    same faces."""

    frame: np.ndarray[Any, np.dtype[np.uint8]]
    upright: bool
    turned: bool
    repeat: bool = False


@dataclass(frozen=True)
class Found:
    """A frame's faces in the frame's own pixels: found upright, and found turned (None: not looked at)."""

    upright: list[Box] | None
    turned: list[Box] | None


class RunBudget:
    """Model runs beyond the interval's, earned as the film plays: `per_s` for each second of film, at most
    `most` saved up (and at the start)."""

    def __init__(self, per_s: float, most: float) -> None:
        self._per_s, self._most = per_s, most
        self._left = most
        self._at_s: float | None = None

    def spend(self, time_s: float, runs: int, keep: float = 0) -> bool:
        """Take `runs` for the frame at `time_s` if `keep` runs are left after them."""
        if math.isinf(self._most):
            return True
        if self._at_s is not None:
            self._left = min(self._most, self._left + max(0.0, time_s - self._at_s) * self._per_s)
        self._at_s = time_s
        if self._left - runs < keep:
            return False
        self._left -= runs
        return True


def available_cores() -> int:
    """The cores this process may run on (taskset and Lambda's vCPUs included)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def detect_all(detect: Callable[[Item], Result], items: Iterable[Item], workers: int) -> Iterator[Result]:
    """`detect` of each item, in order, with up to `workers` items being detected at once.

    At most `workers` + 1 items are held (the one being read included): a film is never all in memory.
    """
    if workers <= 1:
        yield from (detect(item) for item in items)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="face-detect") as pool:
        pending: deque[Future[Result]] = deque()
        for item in items:
            pending.append(pool.submit(detect, item))
            if len(pending) >= workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def look(detector: FaceDetector, item: Look, quarter_turns: tuple[int, ...] = QUARTER_TURNS) -> Found | None:
    """The faces on one frame, upright and, when asked, on the frame turned each of `quarter_turns`;
    None for a repeat (its faces are those of the look before)."""
    if item.repeat:
        return None
    if not item.upright:
        return Found(None, None)
    height, width = item.frame.shape[:2]
    upright = detector.detect(item.frame)
    if not item.turned:
        return Found(upright, None)
    turned = [
        unturned(box, turns, width, height)
        for turns in quarter_turns
        for box in detector.detect(np.rot90(item.frame, turns))
    ]
    return Found(upright, turned)


def looks(
    frames: SampledFrames,
    interval_s: float,
    *,
    turns: int,
    scene_change: float | None,
    budget: RunBudget,
) -> Iterator[Look]:
    """How to look at each frame.

    Every frame is looked at all ways (upright and `turns` turned looks) when it is the first or when the
    next pick (taken as far as this one was from the last) would be more than `interval_s` after the
    last such look: the rule ffmpeg's own pick follows, so without cuts every frame of the interval is
    looked at all ways, free. A cut (scene score from `scene_change`, or one of the frames' changes inside
    a shot) is looked at upright, and turned
    too, and the frames after it upright, as far as `budget` allows, in that order: a cut's turned looks
    leave a run for the next cut's upright one (a whip pan reads as a cut on every frame), the frames
    after a cut enough for the next cut's look all ways.
    """
    last_full = previous = None
    before: Look | None = None  # the last frame looked at
    for index, frame in enumerate(frames):
        time_s = frames.times_s[index] if index < len(frames.times_s) else None
        score = frames.scene_scores[index] if index < len(frames.scene_scores) else None
        repeat = False
        if (
            time_s is None  # not timed yet (never seen): the safe side
            or last_full is None
            or previous is None
            or (time_s - last_full) + (time_s - previous) > interval_s + PICK_TOLERANCE_S
        ):
            upright, turn = True, turns > 0
            # A frame held on screen is picked again every interval (media/frames.py): the same pixels,
            # looked at the same ways, have the same faces.
            repeat = before is not None and (before.turned or not turn) and np.array_equal(frame, before.frame)
        elif scene_change is not None and score is not None and (score >= scene_change or frames.changed(time_s)):
            upright = budget.spend(time_s, 1)
            turn = upright and turns > 0 and budget.spend(time_s, turns, keep=1)
        else:
            upright, turn = budget.spend(time_s, 1, keep=1 + turns), False
        if turn or (upright and not turns):
            last_full = time_s
        previous = time_s
        item = Look(frame, upright, turn, repeat)
        if upright:
            before = item
        yield item


def _looked(found: Found | None) -> Found:
    if found is None:
        raise MediaError("A frame was taken for a repeat before any frame was looked at.")
    return found


def find_blur_regions(
    source: str,
    detector: FaceDetector,
    *,
    width: int,
    height: int,
    duration_s: float,
    timeout_s: float,
    interval_s: float = DETECTION_INTERVAL_S,
    every_n_frames: int | None = None,
    max_width: int = MAX_DETECTION_WIDTH,
    workers: int | None = None,
    caps: DecodeCaps | None = None,
    scene_change: float | None = SCENE_CHANGE,
    local_change: float | None = LOCAL_CHANGE,
    quarter_turns: tuple[int, ...] = QUARTER_TURNS,
    extra_runs: tuple[float, float] = (EXTRA_RUNS_PER_S, EXTRA_RUNS_MOST),
) -> list[BlurRegion]:
    """`width` and `height` are the decoded picture's (after rotation), as media/faceblur.py sees it.

    `every_n_frames`, when given, samples by frame count instead of `interval_s`, every frame looked at
    (for comparisons); `scene_change=None` samples by time alone, `local_change=None` takes no change
    inside a shot for a cut and `quarter_turns=()` looks upright
    only (today's comparisons in bench/); `extra_runs` is the budget of the looks at cuts and after
    them (per second of film, most saved; `math.inf` for no bound); `workers` defaults to one per
    available core.
    """
    started = time.monotonic()
    changes = (
        local_changes(source, width=width, height=height, threshold=local_change, timeout_s=timeout_s, caps=caps)
        if local_change is not None and scene_change is not None and not every_n_frames
        else []
    )
    frames = SampledFrames(
        source,
        width=width,
        height=height,
        max_width=max_width,
        timeout_s=max(1.0, timeout_s - (time.monotonic() - started)),
        changes=changes,
        every_n_frames=every_n_frames,
        interval_s=None if every_n_frames else interval_s,
        caps=caps,
        scene_change=None if every_n_frames else scene_change,
    )
    budget = RunBudget(math.inf, math.inf) if every_n_frames else RunBudget(*extra_runs)
    chosen = looks(frames, interval_s, turns=len(quarter_turns), scene_change=scene_change, budget=budget)
    found: list[Found] = []
    last: Found | None = None  # the faces of the last frame looked at, which a repeat shares
    for result in detect_all(lambda item: look(detector, item, quarter_turns), chosen, workers or available_cores()):
        if result is not None and result.upright is not None:
            last = result
        # None: a repeat, whose faces are those of the last frame looked at.
        found.append(result if result is not None else _looked(last))
    if len(frames.times_s) != len(found):  # every frame read must have its time, or a box could land off its face
        raise MediaError(f"ffmpeg timed {len(frames.times_s)} of the {len(found)} frames sampled for face detection.")
    k = frames.scale

    def scaled(boxes: list[Box]) -> tuple[Box, ...]:
        return tuple(Box(b.x1 * k, b.y1 * k, b.x2 * k, b.y2 * k) for b in boxes)

    timed = list(zip(frames.times_s, found, strict=True))
    # A frame the budget left unlooked at is no sample: the faces around it are held over it.
    upright = [Sample(time_s, scaled(f.upright)) for time_s, f in timed if f.upright is not None]
    # Each series is held over its own samples: a face found turned is held to the next turned look,
    # not to the next upright-only frame, which could not have seen it.
    turned = [Sample(time_s, scaled(f.turned)) for time_s, f in timed if f.turned is not None]
    return blur_regions(upright, duration_s, width, height) + blur_regions(turned, duration_s, width, height)
