"""HLS playlists for a film's ladder: text made from what the transcode measured, nothing else.

Each rung is one fragmented MP4 (the MP4 download too): its init section (`ftyp` + `moov`) and its
fragments, each starting on a keyframe, are addressed with `EXT-X-BYTERANGE`. Every rung has a
keyframe at the same segment starts (`segment_starts`; the encoder is told them), so a player can
switch rung at any segment. The playlists name files relative to themselves and carry only sizes,
times and codecs: nothing about the child or the upload.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# How long a segment lasts, at least: a player on a slow link fetches one before it shows a frame,
# and every rung gets a keyframe this often (the price of switching, measured in docs/BENCHMARKS.md).
SEGMENT_S = 4.0
# A last segment lasts at least this long (a film's final keyframe may fall in its last frames).
LAST_SEGMENT_MIN_S = 1.0
# A rung's keyframe is taken for a segment start this close to it, or one frame and a half at the rung's
# frame rate when that is more: the encoder is told the starts in ffmpeg's output timeline, which for some
# containers (AAC in Matroska, say) sits a few milliseconds off the one the source's packets give, and then
# the keyframe lands one frame later. Every segment still starts on a keyframe; switching rung there shows
# one frame twice or skips one.
START_TOLERANCE_S = 0.01
START_TOLERANCE_FRAMES = 1.5
MASTER_NAME = "hls.m3u8"
VERSION = 7  # EXT-X-MAP for fragmented MP4, with EXT-X-BYTERANGE


class PlaylistError(ValueError):
    """A rung's fragments do not start where the segments must (its keyframes are not aligned)."""


@dataclass(frozen=True)
class Fragment:
    """One `moof` + `mdat` pair of a fragmented MP4: where it starts, and when its first keyframe shows."""

    offset: int
    start_s: float  # after the rung's first frame


@dataclass(frozen=True)
class RungMedia:
    """One rung's fragmented MP4 as measured after the transcode."""

    name: str
    file_name: str
    width: int
    height: int
    frame_rate: float
    codecs: str
    init_bytes: int  # ftyp + moov, from the file's start
    fragments: tuple[Fragment, ...]
    end_offset: int  # where the last fragment ends (an index box may follow)

    @property
    def playlist_name(self) -> str:
        return f"{self.name}.m3u8"


@dataclass(frozen=True)
class Segment:
    offset: int
    length: int
    duration_s: float


def segment_starts(duration_s: float, keyframes_s: Sequence[float] | None = None) -> tuple[float, ...]:
    """When segments start, in seconds after the film's first frame: every SEGMENT_S, or, for a ladder whose
    top rung is a remux, the first of its keyframes (`keyframes_s`) at least SEGMENT_S after the last."""
    starts = [0.0]
    candidates = keyframes_s if keyframes_s is not None else _every(SEGMENT_S, duration_s)
    for time in sorted(candidates):
        if time >= starts[-1] + SEGMENT_S and time <= duration_s - LAST_SEGMENT_MIN_S:
            starts.append(round(time, 6))
    return tuple(starts)


def segments(rung: RungMedia, starts: Sequence[float], duration_s: float) -> list[Segment]:
    """A rung's fragments grouped into the segments that start at `starts`; raises PlaylistError when a
    start has no fragment of its own in this rung."""
    if not rung.fragments:
        raise PlaylistError(f"{rung.file_name} has no fragments")
    offsets = [rung.fragments[0].offset]
    tolerance = max(START_TOLERANCE_S, START_TOLERANCE_FRAMES / rung.frame_rate if rung.frame_rate else 0.0)
    for start in starts[1:]:
        nearest = min(rung.fragments, key=lambda fragment: abs(fragment.start_s - start))
        if abs(nearest.start_s - start) > tolerance or nearest.offset <= offsets[-1]:
            raise PlaylistError(f"{rung.file_name} has no keyframe at {start:.3f} s")
        offsets.append(nearest.offset)
    ends = [*offsets[1:], rung.end_offset]
    lasts = [*starts[1:], duration_s]
    return [
        Segment(offset, end - offset, round(last - start, 6))
        for offset, end, start, last in zip(offsets, ends, starts, lasts, strict=True)
    ]


def target_duration(parts: Sequence[Segment]) -> int:
    """EXT-X-TARGETDURATION: every segment's duration, rounded to the nearest second, is at most it."""
    return max(1, *(math.floor(segment.duration_s + 0.5) for segment in parts))


def peak_bandwidth(parts: Sequence[Segment]) -> int:
    """The peak segment bit rate (RFC 8216 section 4.3.4.2): the highest bit rate of any run of consecutive
    segments lasting 0.5 to 1.5 target durations."""
    target = target_duration(parts)
    best = 0.0
    for first in range(len(parts)):
        size, duration = 0, 0.0
        for segment in parts[first:]:
            size, duration = size + segment.length, duration + segment.duration_s
            if duration > 1.5 * target:
                break
            if duration >= 0.5 * target:
                best = max(best, size * 8 / duration)
    # A film shorter than half a target duration: the whole of it.
    if best == 0.0:
        best = sum(s.length for s in parts) * 8 / max(sum(s.duration_s for s in parts), 1e-3)
    return math.ceil(best)


def average_bandwidth(parts: Sequence[Segment]) -> int:
    return math.ceil(sum(s.length for s in parts) * 8 / max(sum(s.duration_s for s in parts), 1e-3))


def media_playlist(rung: RungMedia, parts: Sequence[Segment]) -> str:
    lines = [
        "#EXTM3U",
        f"#EXT-X-VERSION:{VERSION}",
        f"#EXT-X-TARGETDURATION:{target_duration(parts)}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        f'#EXT-X-MAP:URI="{rung.file_name}",BYTERANGE="{rung.init_bytes}@0"',
    ]
    for segment in parts:
        lines += [
            f"#EXTINF:{segment.duration_s:.6f},",
            f"#EXT-X-BYTERANGE:{segment.length}@{segment.offset}",
            rung.file_name,
        ]
    return "\n".join([*lines, "#EXT-X-ENDLIST", ""])


def master_playlist(variants: Sequence[tuple[RungMedia, Sequence[Segment]]]) -> str:
    """The rungs from the lowest to the highest: a player that starts on the first one it reads (Safari, iOS)
    shows a frame soonest and climbs once it has measured the link; hls.js orders them itself."""
    lines = ["#EXTM3U", f"#EXT-X-VERSION:{VERSION}", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for rung, parts in sorted(variants, key=lambda variant: peak_bandwidth(variant[1])):
        lines += [
            f"#EXT-X-STREAM-INF:BANDWIDTH={peak_bandwidth(parts)},AVERAGE-BANDWIDTH={average_bandwidth(parts)},"
            f'RESOLUTION={rung.width}x{rung.height},CODECS="{rung.codecs}",FRAME-RATE={rung.frame_rate:.3f}',
            rung.playlist_name,
        ]
    return "\n".join([*lines, ""])


def avc_codec(profile: int, constraints: int, level: int, with_audio: bool) -> str:
    """The CODECS attribute (RFC 6381) of an H.264 rung, with AAC-LC sound when it has sound."""
    video = f"avc1.{profile:02x}{constraints:02x}{level:02x}"
    return f"{video},mp4a.40.2" if with_audio else video


def _every(step: float, duration_s: float) -> list[float]:
    return [index * step for index in range(1, math.ceil(duration_s / step))]
