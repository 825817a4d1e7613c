"""Where to blur, and when: from faces found on sampled frames to boxes held over time.

Faces are detected on every Nth frame only. Between two samples a face can move, appear or leave,
so each detection is held from the sample before it to the sample after it (no frame in between is
left without a box), its box grown to cover where the same face is on the neighbouring samples (a
face moving between them stays inside), and grown again by a margin in space: a face seen on one
sample only, say one entering or leaving, gets a wider margin, because nothing says where it went.
Pure: no numpy, no ffmpeg; boxes are pixels of the source's picture.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

# How much a box grows on each side, as a share of its own size.
MARGIN = 0.3
MARGIN_UNMATCHED = 0.6
# Two detections on neighbouring samples are taken for the same face when their centres are within
# this many box sizes of each other: generous, since wrongly pairing two faces only blurs more.
SAME_FACE_DISTANCE = 3.0
# A face is held this long before its first detection and after its last (within the film), and held
# between two detections of it up to MAX_GAP_S apart: on real faces lying on their side, the model
# missed a 25 px face on up to three samples in a row (0.75 s), and a 24 px one on five (1.25 s).
HOLD_S = 1.0
MAX_GAP_S = 2.0
# Regions whose boxes are nearly the same (their union at most this much larger than each) and whose
# times meet are drawn as one: a still face is one region, not one per sample.
MERGE_GROWTH = 1.1


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
        """Grown on every side by `share` of its larger side: a box squashed along one side (a face lying
        on its side, found on the turned picture and turned back) gets the margin of the face's size."""
        margin = max(self.width, self.height) * share
        return Box(self.x1 - margin, self.y1 - margin, self.x2 + margin, self.y2 + margin)

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
    return min(matches, key=lambda other: _distance(face, other))


def _moved(face: Box, previous: Box, share: float) -> Box:
    """`face` moved on by `share` of the way it came from `previous` (the other way round for share < 0)."""
    return Box(*(now + (now - was) * share for now, was in zip(_edges(face), _edges(previous), strict=True)))


def _edges(box: Box) -> tuple[float, float, float, float]:
    return box.x1, box.y1, box.x2, box.y2


def blur_regions(samples: Sequence[Sample], duration_s: float, width: int, height: int) -> list[BlurRegion]:
    """Regions that cover every face of every sample, every frame between samples, and a face the detector
    missed on some samples (held along its track).

    `samples` are in time order; the first region starts at 0 when a face is on the first sample and
    the last ends at `duration_s` when one is on the last, since a face there may have been in view
    all along (following the face's last movement between samples up to there).
    """
    ordered = sorted(samples, key=lambda sample: sample.time_s)
    held = _held_between_samples(ordered, duration_s, width, height)
    tracked = [
        region for track in face_tracks(ordered) for region in _held_along_track(track, duration_s, width, height)
    ]
    return merged(held + tracked)


def _held_between_samples(ordered: Sequence[Sample], duration_s: float, width: int, height: int) -> list[BlurRegion]:
    """Each face of each sample, from the sample before to the sample after."""
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
            region = _region(
                start, end, box, margin=MARGIN if matched else MARGIN_UNMATCHED, width=width, height=height
            )
            if region is not None:
                regions.append(region)
    return regions


@dataclass(frozen=True)
class Seen:
    """One detection of a face: on the `index`th sample, shown at `time_s`."""

    index: int
    time_s: float
    box: Box


def face_tracks(ordered: Sequence[Sample]) -> list[list[Seen]]:
    """The detections of each face, linked from sample to sample (nearest first), across samples where the
    face was missed, up to MAX_GAP_S apart."""
    live: list[list[Seen]] = []
    ended: list[list[Seen]] = []
    for index, sample in enumerate(ordered):
        ended += [track for track in live if sample.time_s - track[-1].time_s > MAX_GAP_S]
        live = [track for track in live if sample.time_s - track[-1].time_s <= MAX_GAP_S]
        pairs = sorted(
            (_distance(face, track[-1].box), f, t)
            for f, face in enumerate(sample.faces)
            for t, track in enumerate(live)
            if same_face(face, track[-1].box)
        )
        faces_taken: set[int] = set()
        tracks_taken: set[int] = set()
        for _, f, t in pairs:
            if f not in faces_taken and t not in tracks_taken:
                live[t].append(Seen(index, sample.time_s, sample.faces[f]))
                faces_taken.add(f)
                tracks_taken.add(t)
        live += [[Seen(index, sample.time_s, face)] for f, face in enumerate(sample.faces) if f not in faces_taken]
    return ended + live


def _held_along_track(track: Sequence[Seen], duration_s: float, width: int, height: int) -> list[BlurRegion]:
    """A face held across the samples that missed it, and HOLD_S before and after it was seen, going on
    as it moved between its two nearest detections (still, and with the wider margin, when it was seen once)."""
    first, last = track[0], track[-1]
    once = len(track) == 1
    start, end = max(0.0, first.time_s - HOLD_S), min(duration_s, last.time_s + HOLD_S)
    ends = [
        (start, first.time_s, _followed(first, None if once else track[1], first.time_s - start)),
        (last.time_s, end, _followed(last, None if once else track[-2], end - last.time_s)),
    ]
    margin = MARGIN_UNMATCHED if once else MARGIN
    regions = [_region(a, b, box, margin=margin, width=width, height=height) for a, b, box in ends if b > a]
    for seen, next_seen in itertools.pairwise(track):
        if next_seen.index - seen.index > 1:
            regions.append(
                _region(
                    seen.time_s,
                    next_seen.time_s,
                    seen.box.union(next_seen.box),
                    margin=MARGIN,
                    width=width,
                    height=height,
                )
            )
    return [region for region in regions if region is not None]


def _followed(seen: Seen, other: Seen | None, span_s: float) -> Box:
    """`seen`'s box and where the face is `span_s` further from `other` (the way it moved from it)."""
    if other is None or span_s <= 0:
        return seen.box
    share = span_s / max(abs(seen.time_s - other.time_s), 1e-6)
    return seen.box.union(_moved(seen.box, other.box, share))


def _region(start_s: float, end_s: float, box: Box, *, margin: float, width: int, height: int) -> BlurRegion | None:
    grown = box.grown(margin).clipped(width, height)
    return BlurRegion(start_s, end_s, grown) if grown.width > 0 and grown.height > 0 else None


def _distance(a: Box, b: Box) -> float:
    (ax, ay), (bx, by) = a.centre, b.centre
    return (ax - bx) ** 2 + (ay - by) ** 2


def _area(box: Box) -> float:
    return max(0.0, box.width) * max(0.0, box.height)


def merged(regions: Sequence[BlurRegion]) -> list[BlurRegion]:
    """The same cover with fewer regions: regions whose times meet and whose boxes are nearly the same
    (their union at most MERGE_GROWTH times either) are one, over both times and both boxes."""
    done: list[BlurRegion] = []
    growing: list[BlurRegion] = []
    for region in sorted(regions, key=lambda r: (r.start_s, r.end_s)):
        done += [group for group in growing if group.end_s < region.start_s]
        growing = [group for group in growing if group.end_s >= region.start_s]
        for position, group in enumerate(growing):
            union = group.box.union(region.box)
            if _area(union) <= MERGE_GROWTH * min(_area(group.box), _area(region.box)):
                growing[position] = BlurRegion(group.start_s, max(group.end_s, region.end_s), union)
                break
        else:
            growing.append(region)
    return done + growing


def sample_times(duration_s: float, frame_rate: float, every_n_frames: int) -> list[float]:
    """The times of the frames that detection looks at: every Nth frame, and the last one."""
    step = every_n_frames / frame_rate
    count = int(duration_s / step) + 1
    times = [round(index * step, 6) for index in range(count)]
    last = max(0.0, duration_s - 1 / frame_rate)
    if last - times[-1] > 1e-6:
        times.append(round(last, 6))
    return times
