"""Find where the faces of a film are: sampled frames -> detections -> blur regions held over time.

Detection runs on every Nth frame (DETECT_EVERY_N_FRAMES) at most MAX_DETECTION_WIDTH pixels wide;
domain/faces.py holds each detection from the sample before to the sample after, with a margin, so
no frame between two samples shows a face. Why these numbers: docs/FACE_DETECTION.md.
"""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.domain.errors import MediaError
from chalicelib.domain.faces import BlurRegion, Box, Sample, blur_regions
from chalicelib.media.frames import SampledFrames

DETECT_EVERY_N_FRAMES = 3
# 1280 keeps a 720p picture whole (faces down to about 12 px); a 1080p one is scaled down for detection.
MAX_DETECTION_WIDTH = 1280


class FaceDetector(Protocol):
    def detect(self, frame: Any) -> list[Box]: ...


def find_blur_regions(
    source: str,
    detector: FaceDetector,
    *,
    width: int,
    height: int,
    duration_s: float,
    timeout_s: float,
    every_n_frames: int = DETECT_EVERY_N_FRAMES,
    max_width: int = MAX_DETECTION_WIDTH,
) -> list[BlurRegion]:
    """`width` and `height` are the decoded picture's (after rotation), as media/faceblur.py sees it."""
    frames = SampledFrames(
        source, width=width, height=height, every_n_frames=every_n_frames, max_width=max_width, timeout_s=timeout_s
    )
    found = [
        tuple(Box(b.x1 * frames.scale, b.y1 * frames.scale, b.x2 * frames.scale, b.y2 * frames.scale) for b in boxes)
        for boxes in (detector.detect(frame) for frame in frames)
    ]
    if len(frames.times_s) != len(found):  # every frame read must have its time, or a box could land off its face
        raise MediaError(f"ffmpeg timed {len(frames.times_s)} of the {len(found)} frames sampled for face detection.")
    samples = [Sample(time_s, faces) for time_s, faces in zip(frames.times_s, found, strict=True)]
    return blur_regions(samples, duration_s, width, height)
