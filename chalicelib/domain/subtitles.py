"""Subtitles an editor uploads (SRT or WebVTT), checked and normalised to WebVTT for the website.

Cues carry text only: styling, positioning, notes and metadata blocks are dropped, and markup is
reduced to plain text, so nothing but the translation reaches the player. Each cue's text is public
text, checked as every other (`domain/public_text.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.public_text import check_public_text, venue_warnings

MAX_BYTES = 256 * 1024
MAX_CUES = 2000
# A cue may end a little after the last frame (players clamp it); anything later is a timing mistake.
END_TOLERANCE_S = 0.5
_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
_TAG = re.compile(r"<[^>]*>")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Cue:
    start_s: float
    end_s: float
    text: str


def parse_language(value: str) -> str:
    if not _LANGUAGE.fullmatch(value):
        raise InvalidRequestError(
            f"subtitle language must be a BCP 47 tag such as 'en' or 'az-Latn'; got {value!r}.", "invalid_language"
        )
    return value


def parse_subtitles(data: bytes, duration_s: float) -> list[Cue]:
    """Cues from an SRT or WebVTT file; raise InvalidRequestError saying what to fix."""
    if len(data) > MAX_BYTES:
        raise InvalidRequestError(
            f"the subtitle file is {len(data)} bytes; at most {MAX_BYTES // 1024} KB are accepted.",
            "subtitles_too_large",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidRequestError(
            "the subtitle file must be UTF-8 text; save it as UTF-8 and upload again.", "invalid_subtitles"
        ) from None
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks = re.split(r"\n\s*\n", normalised) if normalised else []
    if blocks and blocks[0].startswith("WEBVTT"):
        blocks = blocks[1:]
    cues = [cue for cue in (_cue(block, number) for number, block in enumerate(blocks, 1)) if cue is not None]
    if not cues:
        raise InvalidRequestError("the file holds no subtitle cues; upload an SRT or WebVTT file.", "invalid_subtitles")
    if len(cues) > MAX_CUES:
        raise InvalidRequestError(f"at most {MAX_CUES} cues are accepted; got {len(cues)}.", "invalid_subtitles")
    for number, cue in enumerate(cues, 1):
        check_public_text(f"text of cue {number} ({webvtt_time(cue.start_s)})", cue.text)
        if cue.end_s > duration_s + END_TOLERANCE_S:
            raise InvalidRequestError(
                f"a cue ends at {webvtt_time(cue.end_s)}, after the film's end at {webvtt_time(duration_s)}: "
                "check the timing (is this the right film?).",
                "invalid_subtitles",
            )
    # An address or a phone number split over two cues is read by the viewer as one, in the order the cues are
    # shown (a file may list them in another).
    shown = sorted(cues, key=lambda cue: (cue.start_s, cue.end_s))
    check_public_text("text of the subtitles read from cue to cue", " ".join(cue.text for cue in shown))
    return cues


def subtitle_warnings(cues: list[Cue]) -> list[dict[str, str]]:
    """The editor's warnings about the cues' text (a school or a centre named)."""
    return venue_warnings([(f"cue {number}", cue.text) for number, cue in enumerate(cues, 1)])


def to_webvtt(cues: list[Cue]) -> str:
    lines = ["WEBVTT", ""]
    for cue in cues:
        lines += [f"{webvtt_time(cue.start_s)} --> {webvtt_time(cue.end_s)}", cue.text, ""]
    return "\n".join(lines)


def _cue(block: str, number: int) -> Cue | None:
    lines = block.split("\n")
    if lines[0].startswith(("NOTE", "STYLE", "REGION")):
        return None
    timing_line = next((i for i, line in enumerate(lines[:2]) if "-->" in line), None)
    if timing_line is None:
        raise InvalidRequestError(f"cue {number} has no 'start --> end' timing line.", "invalid_subtitles")
    match = _TIMING.match(lines[timing_line])
    if match is None:
        raise InvalidRequestError(
            f"cue {number}: cannot read the timing {lines[timing_line].strip()!r}; use 00:00:01,000 --> 00:00:04,000.",
            "invalid_subtitles",
        )
    start, end = _seconds(match["start"]), _seconds(match["end"])
    if end <= start:
        raise InvalidRequestError(
            f"cue {number} ends before it starts ({match['start']} --> {match['end']}).", "invalid_subtitles"
        )
    text = "\n".join(_TAG.sub("", line).strip() for line in lines[timing_line + 1 :] if line.strip())
    if not text:
        raise InvalidRequestError(f"cue {number} has no text.", "invalid_subtitles")
    return Cue(start, end, text.replace("-->", "->"))


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    hours = int(parts[0]) if len(parts) == 3 else 0
    minutes, seconds = int(parts[-2]), float(parts[-1])
    return hours * 3600 + minutes * 60 + seconds


def webvtt_time(seconds: float) -> str:
    """A WebVTT timestamp: hh:mm:ss.ttt."""
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"
