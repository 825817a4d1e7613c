"""A film's fingerprint, and whether two films are the same film.

Two things are compared. The file: its SHA-256, so the same bytes sent twice are `same: "file"`. The
picture: twice a second, the decoded frame shrunk to 32x32 grey (media/fingerprint.py takes them from the
decode the pipeline runs anyway) is reduced to a 63-bit perceptual hash: the signs, against their median, of
the frame's 8x8 lowest spatial frequencies (a DCT), the DC left out. What survives a re-encode, a resize, a
remux, a blur over faces or a change of brightness is kept, and fine detail (noise, compression, the
blurred faces) is not. A frame with almost nothing in it (black, one colour) has no hash (0): films do not
match on their black frames.

Two films are the same picture when, at the best alignment within `MAX_OFFSET_S` either way (a copy
trimmed by a second starts a second later), nearly all the frames both have a hash for are close (within
`CLOSE_BITS` differing bits): at least `MIN_SHARE` of them, and at least `MIN_COMPARED` frames compared.
The figures are measured in bench/duplicates.py (docs/BENCHMARKS.md, "Duplicate films").
"""

from __future__ import annotations

import base64
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# What media/fingerprint.py hands over: frames of FRAME_SIZE x FRAME_SIZE grey bytes, SAMPLES_PER_S a second.
FRAME_SIZE = 32
SAMPLES_PER_S = 2
HASH_SIDE = 8
# A frame whose grey levels vary less than this (standard deviation, of 255) shows nothing to recognise.
FLAT_DEVIATION = 4.0
NO_HASH = 0
# Measured (docs/BENCHMARKS.md, "Duplicate films"): copies score at least 0.95, distinct films at most 0.83 (the
# same shots cut 2 s differently: most of their frames are the very same), unrelated films at most 0.5. A frame
# blurred over a face moves by up to 22 bits; unrelated frames are mostly 26 or more apart. A copy must match
# nearly throughout: a film that shares a few seconds with another (the same shot in another cut) does not.
CLOSE_BITS = 22
MIN_SHARE = 0.9
MIN_COMPARED = 8
MAX_OFFSET_S = 1.0
_HASH_BYTES = 8

_COSINES = [
    [math.cos(math.pi * (2 * n + 1) * k / (2 * FRAME_SIZE)) for n in range(FRAME_SIZE)] for k in range(HASH_SIDE)
]


class Same(StrEnum):
    FILE = "file"
    PICTURE = "picture"


@dataclass(frozen=True)
class Fingerprint:
    """`content`: the source file's SHA-256 (hex); `picture`: its per-frame hashes, 8 bytes each, base64."""

    content: str
    picture: str

    @classmethod
    def made(cls, content: str, hashes: Sequence[int]) -> Fingerprint:
        raw = b"".join(value.to_bytes(_HASH_BYTES, "big") for value in hashes)
        return cls(content, base64.b64encode(raw).decode("ascii"))

    @classmethod
    def of(cls, value: Mapping[str, Any]) -> Fingerprint:
        return cls(content=str(value["content"]), picture=str(value["picture"]))

    @property
    def hashes(self) -> tuple[int, ...]:
        raw = base64.b64decode(self.picture)
        return tuple(int.from_bytes(raw[i : i + _HASH_BYTES], "big") for i in range(0, len(raw), _HASH_BYTES))


@dataclass(frozen=True)
class Duplicate:
    """Another film found to be the same as this one, and how."""

    video_id: str
    same: Same

    def stored(self) -> str:
        return f"{self.video_id}:{self.same.value}"

    @classmethod
    def of(cls, value: str) -> Duplicate:
        video_id, _, same = value.partition(":")
        return cls(video_id, Same(same))


def stored_duplicates(values: Iterable[str]) -> tuple[Duplicate, ...]:
    """The duplicates as stored (`{video_id}:{same}`), each film once (the same file wins), by id."""
    found: dict[str, Duplicate] = {}
    for duplicate in map(Duplicate.of, values):
        if duplicate.video_id not in found or duplicate.same is Same.FILE:
            found[duplicate.video_id] = duplicate
    return tuple(found[video_id] for video_id in sorted(found))


def frame_hashes(frames: bytes) -> list[int]:
    """One hash per FRAME_SIZE x FRAME_SIZE grey frame of `frames` (a partial frame at the end is left out)."""
    size = FRAME_SIZE * FRAME_SIZE
    return [frame_hash(frames[start : start + size]) for start in range(0, len(frames) - size + 1, size)]


def frame_hash(frame: bytes) -> int:
    """The frame's 63-bit hash, or NO_HASH for a frame with nothing to recognise."""
    if statistics.pstdev(frame) < FLAT_DEVIATION:
        return NO_HASH
    rows = [frame[y * FRAME_SIZE : (y + 1) * FRAME_SIZE] for y in range(FRAME_SIZE)]
    # The DCT's low frequencies only: along each row, then down each of those columns.
    along = [[sum(map(float.__mul__, cosines, map(float, row))) for cosines in _COSINES] for row in rows]
    low = [
        sum(cosine * along[y][u] for y, cosine in enumerate(_COSINES[v]))
        for v in range(HASH_SIDE)
        for u in range(HASH_SIDE)
    ][1:]
    middle = statistics.median(low)
    value = 1  # a leading bit: a hash is never NO_HASH
    for coefficient in low:
        value = (value << 1) | (coefficient > middle)
    return value


def likeness(first: Sequence[int], second: Sequence[int]) -> float:
    """The share of close frames at the best alignment of two hash sequences (0 when too few compare). A frame
    with nothing to recognise in both films says nothing; in one film only, it is a frame that differs (a film
    that shares a few seconds with another and is dark for the rest is not the same film)."""
    best = 0.0
    reach = round(MAX_OFFSET_S * SAMPLES_PER_S)
    for offset in range(-reach, reach + 1):
        pairs = [
            (a, second[i + offset])
            for i, a in enumerate(first)
            if 0 <= i + offset < len(second) and (a != NO_HASH or second[i + offset] != NO_HASH)
        ]
        if len(pairs) < MIN_COMPARED:
            continue
        close = sum(1 for a, b in pairs if NO_HASH not in (a, b) and (a ^ b).bit_count() <= CLOSE_BITS)
        best = max(best, close / len(pairs))
    return best


def same_as(mine: Fingerprint, theirs: Fingerprint) -> Same | None:
    if mine.content == theirs.content:
        return Same.FILE
    if likeness(mine.hashes, theirs.hashes) >= MIN_SHARE:
        return Same.PICTURE
    return None


def duplicates_among(mine: Fingerprint, others: Iterable[tuple[str, Fingerprint]]) -> list[Duplicate]:
    """The films of `others` (video id, fingerprint) that are the same as `mine`, each once."""
    found: dict[str, Duplicate] = {}
    for video_id, theirs in others:
        same = same_as(mine, theirs)
        if same is not None and video_id not in found:
            found[video_id] = Duplicate(video_id, same)
    return list(found.values())
