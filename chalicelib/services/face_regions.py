"""Find where the faces of a film are: sampled frames -> detections -> blur regions held over time.

Detection runs on one frame every DETECTION_INTERVAL_S of film at most MAX_DETECTION_WIDTH pixels wide;
domain/faces.py holds each detection from the sample before to the sample after, with a margin, so
no frame between two samples shows a face. Frames are detected several at once (one per core, each
run single-threaded) while ffmpeg decodes the next ones: on a shared or small machine that keeps
every core busy, where one run spread over all cores waits on its slowest thread at every layer.
Why these numbers: docs/FACE_DETECTION.md.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from chalicelib.domain.errors import MediaError
from chalicelib.domain.faces import BlurRegion, Box, Sample, blur_regions
from chalicelib.domain.rules import DecodeCaps
from chalicelib.media.frames import SampledFrames

# One sample every quarter second of film at most: every 3rd frame at 12 fps (what the tests prove), every 7th
# at 30 fps. Two samples are never further apart (at a steady frame rate).
DETECTION_INTERVAL_S = 0.25
# 1280 keeps a 720p picture whole (faces down to about 12 px); a 1080p one is scaled down for detection.
MAX_DETECTION_WIDTH = 1280


class FaceDetector(Protocol):
    def detect(self, frame: Any) -> list[Box]: ...


def available_cores() -> int:
    """The cores this process may run on (taskset and Lambda's vCPUs included)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def detect_all(detector: FaceDetector, frames: Iterable[Any], workers: int) -> Iterator[list[Box]]:
    """Each frame's faces, in order, with up to `workers` frames in the detector at once.

    At most `workers` + 1 frames are held (the one being read included): a film is never all in memory.
    """
    if workers <= 1:
        yield from (detector.detect(frame) for frame in frames)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="face-detect") as pool:
        pending: deque[Future[list[Box]]] = deque()
        for frame in frames:
            pending.append(pool.submit(detector.detect, frame))
            if len(pending) >= workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


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
) -> list[BlurRegion]:
    """`width` and `height` are the decoded picture's (after rotation), as media/faceblur.py sees it.

    `every_n_frames`, when given, samples by frame count instead of `interval_s` (for comparisons);
    `workers` defaults to one per available core.
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
    )
    k = frames.scale
    found = [
        tuple(Box(b.x1 * k, b.y1 * k, b.x2 * k, b.y2 * k) for b in boxes)
        for boxes in detect_all(detector, frames, workers or available_cores())
    ]
    if len(frames.times_s) != len(found):  # every frame read must have its time, or a box could land off its face
        raise MediaError(f"ffmpeg timed {len(frames.times_s)} of the {len(found)} frames sampled for face detection.")
    samples = [Sample(time_s, faces) for time_s, faces in zip(frames.times_s, found, strict=True)]
    return blur_regions(samples, duration_s, width, height)
