"""What HLS needs to know of the files: a source's keyframe times, and a fragmented rung's layout.

ffprobe lists the video packets (time, byte position, keyframe flag) without decoding; the MP4's
top-level boxes (`ftyp`, `moov`, `sidx`, `moof`/`mdat` pairs, `mfra`) are read from their 8- or 16-byte
headers, and the H.264 profile and level from the `avcC` record in the `moov`.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import struct
from dataclasses import dataclass

from chalicelib.domain.errors import MediaError
from chalicelib.domain.hls import Fragment, RungMedia, avc_codec
from chalicelib.media.runner import input_args, run

PROBE_TIMEOUT_S = 60.0
_AVCC = b"avcC"


@dataclass(frozen=True)
class Box:
    kind: str
    offset: int
    size: int


@dataclass(frozen=True)
class Keyframes:
    """A source's video keyframes: when each shows, in seconds after its first frame, and when that first frame
    comes in ffmpeg's output timeline (which starts at the earliest stream's first timestamp)."""

    times_s: list[float]
    first_frame_s: float


def source_keyframes(
    path: str, stream_index: int, timeout_s: float = PROBE_TIMEOUT_S, *, every: bool = True
) -> Keyframes:
    """Every keyframe (a remuxed rung's segments start on them), or, with `every` false, only the first frame's
    time from the first packets (a whole upload's packets are not read for nothing)."""
    fmt = json.loads(_ffprobe(path, ["-show_entries", "format=start_time", "-of", "json"], timeout_s) or b"{}")
    start = float((fmt.get("format") or {}).get("start_time") or 0.0)
    packets = _packets(path, f"{stream_index}", timeout_s, [] if every else ["-read_intervals", "%+#16"])
    if not packets:
        raise MediaError("The file changed after it was validated and can no longer be read.")
    first = min(time for time, _, _ in packets)
    return Keyframes(sorted(time - first for time, _, key in packets if key), max(first - start, 0.0))


def read_rung(path: str, name: str, file_name: str, timeout_s: float = PROBE_TIMEOUT_S) -> RungMedia:
    """A fragmented MP4 rung as HLS addresses it: its init section, and each fragment's offset and the time
    of the keyframe it starts with (after the rung's first frame)."""
    boxes = top_level_boxes(path)
    moov = next((box for box in boxes if box.kind == "moov"), None)
    moofs = [box.offset for box in boxes if box.kind == "moof"]
    if moov is None or not moofs:
        raise MediaError(f"{file_name} is not a fragmented MP4")
    last_mdat = max(box.offset + box.size for box in boxes if box.kind == "mdat")
    stream = json.loads(
        _ffprobe(
            path,
            ["-show_entries", "stream=codec_type,width,height", "-of", "json"],
            timeout_s,
        )
    )["streams"]
    video = next(s for s in stream if s["codec_type"] == "video")
    with_audio = any(s["codec_type"] == "audio" for s in stream)
    starts: dict[int, float] = {}
    packets = _packets(path, "v:0", timeout_s)
    # Times from the rung's first frame: a muxer shifts a stream by its decoder delay, which differs
    # between a remuxed rung and an encoded one.
    first = min((time for time, _, _ in packets), default=0.0)
    for time, position, key in packets:
        fragment = moofs[bisect.bisect_right(moofs, position) - 1]
        if key and fragment not in starts:
            starts[fragment] = time - first
    return RungMedia(
        name=name,
        file_name=file_name,
        width=int(video["width"]),
        height=int(video["height"]),
        frame_rate=_frame_rate([time for time, _, _ in packets]),
        codecs=avc_codec(*_avc_profile(path, moov), with_audio=with_audio),
        init_bytes=moov.offset + moov.size,
        # A fragment that begins with no keyframe of its own joins the one before it.
        fragments=tuple(Fragment(offset, starts[offset]) for offset in moofs if offset in starts),
        end_offset=last_mdat,
    )


def _frame_rate(times: list[float]) -> float:
    """Frames a second on average (the header of a fragmented MP4 says nothing reliable; phones vary it)."""
    if len(times) < 2:
        return 0.0
    return (len(times) - 1) / (max(times) - min(times))


def top_level_boxes(path: str) -> list[Box]:
    boxes = []
    with open(path, "rb") as file:
        offset = 0
        while header := file.read(8):
            if len(header) < 8:
                break
            size, kind = struct.unpack(">I4s", header)
            if size == 1:
                (size,) = struct.unpack(">Q", file.read(8))
            elif size == 0:  # to the end of the file
                size = file.seek(0, io.SEEK_END) - offset
            if size < 8:
                raise MediaError(f"{path} has a broken MP4 box at {offset}")
            boxes.append(Box(kind.decode("latin-1"), offset, size))
            offset += size
            file.seek(offset)
    return boxes


def _avc_profile(path: str, moov: Box) -> tuple[int, int, int]:
    """Profile, constraint flags and level from the AVCDecoderConfigurationRecord (ISO 14496-15)."""
    with open(path, "rb") as file:
        file.seek(moov.offset)
        data = file.read(moov.size)
    at = data.find(_AVCC)
    if at < 0:
        raise MediaError(f"{path} holds no H.264 configuration")
    _version, profile, constraints, level = data[at + 4 : at + 8]
    return profile, constraints, level


def _packets(path: str, stream: str, timeout_s: float, limit: list[str] | None = None) -> list[tuple[float, int, bool]]:
    """(time, byte position, keyframe) of each packet of `stream` (within `limit`), in file order."""
    what = ["-select_streams", stream, "-show_entries", "packet=pts_time,pos,flags", "-of", "csv=p=0"]
    out = _ffprobe(path, [*what, *(limit or [])], timeout_s)
    packets = []
    for row in csv.reader(io.StringIO(out.decode())):
        if len(row) >= 3 and row[0] not in ("", "N/A") and row[1] not in ("", "N/A"):
            packets.append((float(row[0]), int(row[1]), row[2].startswith("K")))
    return packets


def _ffprobe(path: str, what: list[str], timeout_s: float) -> bytes:
    return run(["ffprobe", "-v", "error", *input_args(path), *what, "-i", path], timeout_s).stdout
