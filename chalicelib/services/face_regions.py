"""Find where the faces of a film are: sampled frames -> detections -> blur regions held over time.

Detection runs on one frame every DETECTION_INTERVAL_S of film at most, on the first frame of every shot
and on every frame for DETECTION_INTERVAL_S after a cut (so every frame of a shorter shot: a face shown
for one frame after a cut), at most MAX_DETECTION_WIDTH pixels wide. domain/faces.py holds each
detection from the sample before to the sample after, with a margin, so no frame between two samples
shows a face; since every shot starts with a sample, a box holds to its shot's last frame.

Faces lying on their side (a child lying down, a phone held sideways with no rotation tag) are found on
the picture turned a quarter turn each way (QUARTER_TURNS). Those looks run on the interval's frames
(one every DETECTION_INTERVAL_S; up to twice that apart where a cut's every-frame stretch ends), not on
the every-frame stretches after cuts, and their detections are held over their own series of samples.

Frames are detected several at once (one per core, each run single-threaded) while ffmpeg decodes the
next ones: on a shared or small machine that keeps every core busy, where one run spread over all
cores waits on its slowest thread at every layer. Why these numbers: docs/FACE_DETECTION.md.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import numpy as np

from chalicelib.domain.errors import MediaError
from chalicelib.domain.faces import BlurRegion, Box, Sample, blur_regions, unturned
from chalicelib.domain.rules import DecodeCaps
from chalicelib.media.frames import PICK_TOLERANCE_S, SampledFrames

# One sample every quarter second of film at most: every 3rd frame at 12 fps (what the tests prove), every 7th
# at 30 fps. Two samples are never further apart (at a steady frame rate).
DETECTION_INTERVAL_S = 0.25
# 1280 keeps a 720p picture whole (faces down to about 12 px); a 1080p one is scaled down for detection.
MAX_DETECTION_WIDTH = 1280
# ffmpeg's scene score (0 to 1) from which a frame starts a new shot. Low, since a missed cut is what
# lets a face through and a false one costs a quarter second of every-frame detection.
SCENE_CHANGE = 0.1
# The model finds faces up to about 75 degrees off upright: a quarter turn each way covers a face
# lying on either side, and the upright look the rest.
QUARTER_TURNS = (1, 3)

Item = TypeVar("Item")
Result = TypeVar("Result")


class FaceDetector(Protocol):
    def detect(self, frame: Any) -> list[Box]: ...


@dataclass(frozen=True)
class Look:
    """One sampled frame to detect: upright, and turned too when `turned`; a `repeat` of the frame looked
    at before (a frame held on screen, picked again) is not detected again: it has the same faces."""

    frame: np.ndarray[Any, np.dtype[np.uint8]]
    turned: bool
    repeat: bool = False


@dataclass(frozen=True)
class Found:
    """A frame's faces in the frame's own pixels: found upright, and found turned (None: not looked at)."""

    upright: list[Box]
    turned: list[Box] | None


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


def looks(frames: SampledFrames, interval_s: float, turned: bool) -> Iterator[Look]:
    """Each frame, turned too when it is the first or when the next pick (taken as far as this one was
    from the last) would be more than `interval_s` after the last turned look: the rule ffmpeg's own
    pick follows, so without cuts every frame of the interval is looked at turned."""
    last_turned = previous = None
    before: Look | None = None
    for index, frame in enumerate(frames):
        time_s = frames.times_s[index] if index < len(frames.times_s) else None
        turn = turned and (
            time_s is None  # not timed yet (never seen): the safe side
            or last_turned is None
            or previous is None
            or (time_s - last_turned) + (time_s - previous) > interval_s + PICK_TOLERANCE_S
        )
        if turn:
            last_turned = time_s
        previous = time_s
        # A frame held on screen is picked again every interval (media/frames.py): the same pixels, looked
        # at the same ways, have the same faces.
        repeat = before is not None and (before.turned or not turn) and np.array_equal(frame, before.frame)
        before = Look(frame, turn or (repeat and before is not None and before.turned), repeat)
        yield before


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
    quarter_turns: tuple[int, ...] = QUARTER_TURNS,
) -> list[BlurRegion]:
    """`width` and `height` are the decoded picture's (after rotation), as media/faceblur.py sees it.

    `every_n_frames`, when given, samples by frame count instead of `interval_s` (for comparisons);
    `scene_change=None` samples by time alone and `quarter_turns=()` looks upright only (today's
    comparisons in bench/); `workers` defaults to one per available core.
    """
    frames = SampledFrames(
        source,
        width=width,
        height=height,
        max_width=max_width,
        timeout_s=timeout_s,
        every_n_frames=every_n_frames,
        interval_s=None if every_n_frames else interval_s,
        caps=caps,
        scene_change=None if every_n_frames else scene_change,
    )
    found: list[Found] = []
    for result in detect_all(
        lambda item: look(detector, item, quarter_turns),
        looks(frames, interval_s, turned=bool(quarter_turns)),
        workers or available_cores(),
    ):
        found.append(result if result is not None else found[-1])
    if len(frames.times_s) != len(found):  # every frame read must have its time, or a box could land off its face
        raise MediaError(f"ffmpeg timed {len(frames.times_s)} of the {len(found)} frames sampled for face detection.")
    k = frames.scale

    def scaled(boxes: list[Box]) -> tuple[Box, ...]:
        return tuple(Box(b.x1 * k, b.y1 * k, b.x2 * k, b.y2 * k) for b in boxes)

    timed = list(zip(frames.times_s, found, strict=True))
    upright = [Sample(time_s, scaled(f.upright)) for time_s, f in timed]
    # Each series is held over its own samples: a face found turned is held to the next turned look,
    # not to the next upright-only frame, which could not have seen it.
    turned = [Sample(time_s, scaled(f.turned)) for time_s, f in timed if f.turned is not None]
    return blur_regions(upright, duration_s, width, height) + blur_regions(turned, duration_s, width, height)
