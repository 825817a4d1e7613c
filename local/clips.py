"""Test and demo films, generated with ffmpeg itself (nothing is downloaded)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def make_clip(
    path: Path,
    duration_s: float,
    *,
    width: int = 320,
    height: int = 180,
    fps: int = 5,
    audio: bool = True,
    extra_args: tuple[str, ...] = (),
) -> Path:
    """An H.264 (+ AAC) clip of a moving test pattern with a tone; encoded fast, decoded fast."""
    args = ["ffmpeg", "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc=size={width}x{height}:rate={fps}:duration={duration_s}"]  # fmt: skip
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=22050:duration={duration_s}"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if audio:
        args += ["-c:a", "aac", "-b:a", "48k"]
    args += [*extra_args, str(path)]
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(args, check=True)
    return path
