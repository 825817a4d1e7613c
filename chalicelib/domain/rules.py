"""The one-minute rule and the other checks an upload must pass, each failure with a reason code.

Reason codes are a contract (docs/API.md, "A contract"): other programs branch on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.source import SourceDescription, VideoStream

# ffprobe's names for the containers we accept (its `format_name`).
ALLOWED_CONTAINERS = frozenset({"mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi"})
# A file that lasts longer than its picture by more than this has a picture that stops before the sound.
PICTURE_SHORTFALL_S = 0.5


@dataclass(frozen=True)
class ValidationLimits:
    min_duration_s: float = 58.0
    max_duration_s: float = 62.0
    max_bytes: int = 500 * 2**20
    min_short_side: int = 120
    max_long_side: int = 4096
    max_short_side: int = 2160
    max_frame_rate: float = 120.0


@dataclass(frozen=True)
class DecodeCaps:
    """How much of a source any stage decodes, whatever its header claims: no more pixels per frame than
    the largest valid picture, no further than the longest valid film plus a margin."""

    max_pixels: int
    max_duration_s: float


# Read no more than this far past the longest valid film, whatever the header claims.
DECODE_MARGIN_S = 1.0


def decode_caps(limits: ValidationLimits) -> DecodeCaps:
    """The caps every stage that decodes a source applies (the transcode and the protection stage alike)."""
    return DecodeCaps(limits.max_long_side * limits.max_short_side, limits.max_duration_s + DECODE_MARGIN_S)


@dataclass(frozen=True)
class Rejection:
    code: str
    reason: str


def check_size(size_bytes: int, limits: ValidationLimits) -> Rejection | None:
    """Checked from the upload event, before anything reads the file."""
    if size_bytes == 0:
        return Rejection("unreadable", "The file is empty (0 bytes); upload the film again.")
    if size_bytes > limits.max_bytes:
        return Rejection("too_large", f"The file is {_mib(size_bytes)}; at most {_mib(limits.max_bytes)} is accepted.")
    return None


def check_source(source: SourceDescription, limits: ValidationLimits) -> Rejection | None:
    """The first rule the source breaks, or None when it may be transcoded."""
    too_big = check_size(source.size_bytes, limits)
    if too_big is not None:
        return too_big
    if source.container not in ALLOWED_CONTAINERS:
        return Rejection(
            "unsupported_format",
            f"The file is in the '{source.container}' format; upload MP4, MOV, 3GP, MKV, WebM or AVI.",
        )
    if source.video is None:
        return Rejection("no_video_stream", "The file holds no video stream.")
    return _check_picture(source.video, limits) or _check_picture_duration(source, limits)


def _check_picture(video: VideoStream, limits: ValidationLimits) -> Rejection | None:
    """The picture's size, colours and frame rate."""
    width, height = video.display_size
    short_side, long_side = sorted((width, height))
    if short_side < limits.min_short_side or long_side > limits.max_long_side or short_side > limits.max_short_side:
        return Rejection(
            "resolution_out_of_range",
            f"The video is {width}x{height}; the shorter side must be {limits.min_short_side} to "
            f"{limits.max_short_side} pixels and the longer side at most {limits.max_long_side}.",
        )
    if video.dolby_vision_only:
        return Rejection(
            "unsupported_dolby_vision",
            "The video is Dolby Vision profile 5, whose colours only a Dolby Vision screen can show. Export it "
            "again as HDR10, HLG or standard (SDR) video; on a phone, turn off Dolby Vision or HDR recording.",
        )
    fps = video.frame_rate
    if fps is not None and not 0 < fps <= limits.max_frame_rate:
        return Rejection(
            "frame_rate_out_of_range",
            f"The video has {fps:g} frames per second; at most {limits.max_frame_rate:g} are accepted.",
        )
    return None


def _check_picture_duration(source: SourceDescription, limits: ValidationLimits) -> Rejection | None:
    """The one-minute rule on the picture; a picture that stops before the sound is told so."""
    rejection = check_duration(source.duration_s, limits)
    if rejection is not None and _picture_stops_early(source):
        assert source.duration_s is not None and source.container_duration_s is not None
        return Rejection(
            rejection.code,
            f"The picture lasts {source.duration_s:.1f} s but the sound lasts {source.container_duration_s:.1f} s: "
            f"the picture is shorter than the sound. The one-minute rule is about the picture, which must last "
            f"between {limits.min_duration_s:g} s and {limits.max_duration_s:g} s.",
        )
    return rejection


def _picture_stops_early(source: SourceDescription) -> bool:
    picture, whole = source.duration_s, source.container_duration_s
    return picture is not None and whole is not None and whole - picture > PICTURE_SHORTFALL_S


def check_duration(duration_s: float | None, limits: ValidationLimits) -> Rejection | None:
    """The one-minute rule. A missing duration is never valid."""
    if duration_s is None or duration_s <= 0:
        return Rejection(
            "duration_unknown", "The file's duration could not be read; export it again as MP4 (H.264) and re-upload."
        )
    if not limits.min_duration_s <= duration_s <= limits.max_duration_s:
        return Rejection(
            "duration_out_of_range",
            f"The film lasts {duration_s:.1f} s; a OneMinutesJr film must last between "
            f"{limits.min_duration_s:g} s and {limits.max_duration_s:g} s.",
        )
    return None


def _mib(size_bytes: int) -> str:
    return f"{size_bytes / 2**20:.1f} MiB"
