"""Where to blur, and when: from faces found on sampled frames to boxes held over time.

Faces are detected on every Nth frame only. Between two samples a face can move, appear or leave,
so each detection is held from the sample before it to the sample after it (no frame in between is
left without a box), its box grown to cover where the same face is on the neighbouring samples (a
face moving between them stays inside), and grown again by a margin in space: a face seen on one
sample only, say one entering or leaving, gets a wider margin, because nothing says where it went.
Pure: no numpy, no ffmpeg; boxes are pixels of the source's picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# How much a box grows on each side, as a share of its own size.
MARGIN = 0.3
MARGIN_UNMATCHED = 0.6
# Two detections on neighbouring samples are taken for the same face when their centres are within
# this many box sizes of each other: generous, since wrongly pairing two faces only blurs more.
SAME_FACE_DISTANCE = 3.0


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels: left, top, right, bottom."""

    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2

    def union(self, other: Box) -> Box:
        return Box(min(self.x1, other.x1), min(self.y1, other.y1), max(self.x2, other.x2), max(self.y2, other.y2))

    def grown(self, share: float) -> Box:
        dx, dy = self.width * share, self.height * share
        return Box(self.x1 - dx, self.y1 - dy, self.x2 + dx, self.y2 + dy)

    def clipped(self, width: int, height: int) -> Box:
        return Box(max(0.0, self.x1), max(0.0, self.y1), min(float(width), self.x2), min(float(height), self.y2))

    def contains(self, other: Box) -> bool:
        return self.x1 <= other.x1 and self.y1 <= other.y1 and self.x2 >= other.x2 and self.y2 >= other.y2


@dataclass(frozen=True)
class Sample:
    """The faces found on the frame shown at `time_s`."""

    time_s: float
    faces: tuple[Box, ...]


@dataclass(frozen=True)
class BlurRegion:
    """Blur `box` on every frame shown from `start_s` to `end_s` (both included)."""

    start_s: float
    end_s: float
    box: Box


def unturned(box: Box, quarter_turns: int, width: int, height: int) -> Box:
    """A box found on the picture turned by `quarter_turns` quarter turns anticlockwise (numpy's `rot90`),
    given in the pixels of the picture as it was (`width` x `height`, before the turn)."""
    x1, y1, x2, y2 = _edges(box)
    turns = quarter_turns % 4
    if turns == 1:
        return Box(width - y2, x1, width - y1, x2)
    if turns == 2:
        return Box(width - x2, height - y2, width - x1, height - y1)
    if turns == 3:
        return Box(y1, height - x2, y2, height - x1)
    return box


def same_face(a: Box, b: Box) -> bool:
    (ax, ay), (bx, by) = a.centre, b.centre
    size = max(a.width, a.height, b.width, b.height)
    return abs(ax - bx) <= SAME_FACE_DISTANCE * size and abs(ay - by) <= SAME_FACE_DISTANCE * size


def _nearest(face: Box, candidates: Sequence[Box]) -> Box | None:
    matches = [other for other in candidates if same_face(face, other)]
    if not matches:
        return None
    fx, fy = face.centre
    return min(matches, key=lambda other: (other.centre[0] - fx) ** 2 + (other.centre[1] - fy) ** 2)


def _moved(face: Box, previous: Box, share: float) -> Box:
    """`face` moved on by `share` of the way it came from `previous` (the other way round for share < 0)."""
    return Box(*(now + (now - was) * share for now, was in zip(_edges(face), _edges(previous), strict=True)))


def _edges(box: Box) -> tuple[float, float, float, float]:
    return box.x1, box.y1, box.x2, box.y2


def blur_regions(samples: Sequence[Sample], duration_s: float, width: int, height: int) -> list[BlurRegion]:
    """Regions that cover every face of every sample and every frame between samples.

    `samples` are in time order; the first region starts at 0 when a face is on the first sample and
    the last ends at `duration_s` when one is on the last, since a face there may have been in view
    all along (following the face's last movement between samples up to there).
    """
    ordered = sorted(samples, key=lambda sample: sample.time_s)
    regions = []
    for index, sample in enumerate(ordered):
        before = ordered[index - 1] if index > 0 else None
        after = ordered[index + 1] if index + 1 < len(ordered) else None
        start = before.time_s if before else 0.0
        end = after.time_s if after else duration_s
        for face in sample.faces:
            box, matched = face, True
            for neighbour, far_side in ((before, after), (after, before)):
                if neighbour is None:  # the film's first or last sample: nowhere else to have been
                    continue
                other = _nearest(face, neighbour.faces)
                if other is None:
                    matched = False
                    continue
                box = box.union(other)
                if far_side is None:
                    # Held past the film's first or last sample, up to its start or end: the face goes on
                    # moving as it moved from that neighbour, so the box follows it there.
                    edge = end if neighbour is before else start
                    share = abs(edge - sample.time_s) / max(abs(sample.time_s - neighbour.time_s), 1e-6)
                    box = box.union(_moved(face, other, share))
            grown = box.grown(MARGIN if matched else MARGIN_UNMATCHED).clipped(width, height)
            if grown.width > 0 and grown.height > 0:
                regions.append(BlurRegion(start, end, grown))
    return regions


def sample_times(duration_s: float, frame_rate: float, every_n_frames: int) -> list[float]:
    """The times of the frames that detection looks at: every Nth frame, and the last one."""
    step = every_n_frames / frame_rate
    count = int(duration_s / step) + 1
    times = [round(index * step, 6) for index in range(count)]
    last = max(0.0, duration_s - 1 / frame_rate)
    if last - times[-1] > 1e-6:
        times.append(round(last, 6))
    return times
