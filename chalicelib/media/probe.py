"""ffprobe -> SourceDescription. Reads a file, or an upload where it lies through a presigned URL.

Only allowlisted container formats are opened, over the one protocol the source needs. ffprobe
reads the headers and a few packets, not the file: the bytes it read are reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chalicelib.domain.errors import MediaError
from chalicelib.domain.source import SourceDescription, VideoStream
from chalicelib.media.runner import ToolFailedError, input_args, run

PROBE_TIMEOUT_S = 30.0
# ffmpeg's I/O layer reports, at verbose level, what each input read when it closes.
_BYTES_READ = re.compile(r"Statistics: (\d+) bytes read")
_CLOCK = re.compile(r"(\d+):(\d{2}):(\d{2}(?:\.\d+)?)")


class UnsupportedFormatError(MediaError):
    code = "unsupported_format"


@dataclass(frozen=True)
class Probe:
    source: SourceDescription
    bytes_read: int


def probe_args(source: str, headers: Mapping[str, str] | None = None) -> list[str]:
    # HTTP headers (a presigned URL's signed If-Match) go with every request ffprobe makes for the input.
    http_headers = ["-headers", "".join(f"{name}: {value}\r\n" for name, value in headers.items())] if headers else []
    return [
        "ffprobe",
        "-v",
        "verbose",
        "-hide_banner",
        *input_args(source),
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        *http_headers,
        "-i",
        source,
    ]


def probe(
    source: str, size_bytes: int, timeout_s: float = PROBE_TIMEOUT_S, headers: Mapping[str, str] | None = None
) -> Probe:
    """Describe the media at `source` (a path or URL, read with `headers`). Raises MediaError: `unreadable` or
    `unsupported_format`."""
    try:
        completed = run(probe_args(source, headers), min(timeout_s, PROBE_TIMEOUT_S))
    except ToolFailedError as error:
        # ffmpeg's only signal that it recognised a format the allowlist refuses is this sentence.
        if "Format not on whitelist" in error.stderr:
            raise UnsupportedFormatError(
                "The file is not in an accepted video format (it may be a playlist, a script or an image); "
                "upload MP4, MOV, 3GP, MKV, WebM or AVI."
            ) from error
        raise MediaError("The file could not be read as a video; it may be damaged or not a video at all.") from error
    bytes_read = sum(int(count) for count in _BYTES_READ.findall(completed.stderr))
    return Probe(parse_probe(json.loads(completed.stdout or b"{}"), size_bytes), bytes_read)


def parse_probe(data: dict[str, Any], size_bytes: int) -> SourceDescription:
    fmt = data.get("format") or {}
    streams = data.get("streams") or []
    video_data = _pick_video(streams)
    audio_data = next((s for s in streams if s.get("codec_type") == "audio"), None)
    video = _video(video_data) if video_data else None
    container_duration = _positive_float(fmt.get("duration"))
    return SourceDescription(
        container=str(fmt.get("format_name", "")),
        size_bytes=size_bytes,
        duration_s=(video.duration_s if video else None) or container_duration,
        video=video,
        audio_codec=audio_data.get("codec_name", "unknown") if audio_data else None,
        audio_index=int(audio_data["index"]) if audio_data else None,
        bit_rate=_int_or_none(fmt.get("bit_rate")),
        container_duration_s=container_duration,
        audio_channels=_int_or_none(audio_data.get("channels")) if audio_data else None,
    )


def _pick_video(streams: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The default video stream, else the first; cover art (attached pictures) is never the film."""
    candidates = [
        s for s in streams if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    default = [s for s in candidates if (s.get("disposition") or {}).get("default")]
    chosen = default or candidates
    return chosen[0] if chosen else None


def _video(stream: dict[str, Any]) -> VideoStream:
    return VideoStream(
        index=int(stream["index"]),
        codec=str(stream.get("codec_name", "unknown")),
        width=int(stream.get("width") or 0),
        height=int(stream.get("height") or 0),
        frame_rate=_rate(stream.get("avg_frame_rate")) or _rate(stream.get("r_frame_rate")),
        pixel_format=stream.get("pix_fmt"),
        rotation=_rotation(stream),
        bit_rate=_int_or_none(stream.get("bit_rate")),
        profile=stream.get("profile"),
        sample_aspect_ratio=_aspect(stream.get("sample_aspect_ratio")),
        field_order=stream.get("field_order"),
        color_transfer=stream.get("color_transfer"),
        color_primaries=stream.get("color_primaries"),
        color_space=stream.get("color_space"),
        dolby_vision_base=_dolby_vision_base(stream),
        duration_s=_stream_duration(stream),
    )


def _stream_duration(stream: dict[str, Any]) -> float | None:
    """The stream's own duration; Matroska and WebM state it only in a `DURATION` tag (HH:MM:SS.fraction)."""
    stated = _positive_float(stream.get("duration"))
    if stated is not None:
        return stated
    tags = {str(name).upper(): value for name, value in (stream.get("tags") or {}).items()}
    match = _CLOCK.fullmatch(str(tags.get("DURATION", "")).strip())
    if match is None:
        return None
    hours, minutes, seconds = match.groups()
    return _positive_float(int(hours) * 3600 + int(minutes) * 60 + float(seconds))


def _aspect(value: Any) -> Fraction:
    """ffprobe writes `16:15`; `0:1` or nothing means unknown, taken as square."""
    try:
        numerator, denominator = (int(part) for part in str(value).split(":"))
    except ValueError:
        return Fraction(1)
    return Fraction(numerator, denominator) if numerator > 0 and denominator > 0 else Fraction(1)


def _dolby_vision_base(stream: dict[str, Any]) -> int | None:
    for side_data in stream.get("side_data_list") or []:
        if "dv_bl_signal_compatibility_id" in side_data:
            return _int_or_none(side_data["dv_bl_signal_compatibility_id"])
    return None


def _rotation(stream: dict[str, Any]) -> int:
    for side_data in stream.get("side_data_list") or []:
        if "rotation" in side_data:
            return int(side_data["rotation"]) % 360
    rotate = (stream.get("tags") or {}).get("rotate")
    return int(rotate) % 360 if rotate else 0


def _rate(value: Any) -> float | None:
    try:
        rate = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return None
    return float(rate) if rate > 0 else None


def _positive_float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
