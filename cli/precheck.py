"""Each film's length, size and picture checked on this computer, with ffprobe, against the rules the
stage publishes (`GET /uploads/rules`), before a byte is sent: a five-minute film is refused in a second
instead of after an hour on a phone link. This is advice: the server checks every film again and decides.

The check reads the file as the validator does (chalicelib/media/probe.py) and applies the validator's
own rules (chalicelib/domain/rules.py) with the stage's numbers.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from chalicelib.domain.errors import MediaError
from chalicelib.domain.rules import ValidationLimits, check_source

INSTALL_FFPROBE = (
    "ffprobe (part of ffmpeg) is not installed, so the films' length is checked only after they are sent. "
    "To check it here first, install ffmpeg: Windows `winget install ffmpeg`, macOS `brew install ffmpeg`, "
    "Debian/Ubuntu `sudo apt install ffmpeg`."
)


def limits_from(rules: dict[str, Any]) -> ValidationLimits:
    """The stage's published rules (docs/FIELD_OFFICE_API.md) as the validator's limits."""
    resolution = rules["resolution"]
    return ValidationLimits(
        min_duration_s=float(rules["duration_s"]["min"]),
        max_duration_s=float(rules["duration_s"]["max"]),
        max_bytes=int(rules["max_bytes"]),
        min_short_side=int(resolution["min_short_side"]),
        max_short_side=int(resolution["max_short_side"]),
        max_long_side=int(resolution["max_long_side"]),
        max_frame_rate=float(rules["max_frame_rate"]),
    )


def ffprobe_available() -> bool:
    return shutil.which("ffprobe") is not None


def film_problem(path: Path, limits: ValidationLimits) -> str | None:
    """Why the stage would refuse this file, in the validator's own sentence; None when it looks right."""
    from chalicelib.media.probe import probe

    size = path.stat().st_size
    try:
        source = probe(str(path), size).source
    except MediaError as error:
        return error.message
    rejection = check_source(source, limits)
    return rejection.reason if rejection else None
