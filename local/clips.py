"""Test and demo films, generated with ffmpeg itself (nothing is downloaded)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def generate(path: Path, *args: str) -> Path:
    """`path` made by ffmpeg from `args` (inputs, filters, codecs): quietly, never reading stdin, overwriting."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args, str(path)], check=True)
    return path


def make_clip(
    path: Path,
    duration_s: float,
    *,
    width: int = 320,
    height: int = 180,
    fps: int = 5,
    audio: bool = True,
    pattern: str = "testsrc",
    extra_args: tuple[str, ...] = (),
) -> Path:
    """An H.264 (+ AAC) clip of a moving test pattern (one of ffmpeg's sources that take a size and a rate:
    testsrc, testsrc2, gradients, life, cellauto..., with options of its own: `cellauto=random_seed=7`) with a
    tone; encoded fast, decoded fast."""
    joined = ":" if "=" in pattern else "="
    args = ["-f", "lavfi", "-t", str(duration_s), "-i", f"{pattern}{joined}size={width}x{height}:rate={fps}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=22050:duration={duration_s}"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if audio:
        args += ["-c:a", "aac", "-b:a", "48k"]
    return generate(path, *args, *extra_args)


# Footage as workshops bring it (issue 13), each standing for a kind of camera; small, made in seconds.
FOOTAGE = {
    # An old PAL camcorder: 720x576 interlaced, pixels 64:45 wide (16:9 seen), quiet 5.1 sound. Few pictures a
    # second (fields from 10), to keep `make run` and its tests quick.
    "camcorder": (
        "-f lavfi -i testsrc2=size=720x576:rate=10:duration={d}"
        " -f lavfi -i anoisesrc=color=pink:duration={d}:amplitude=0.02"
        " -vf tinterlace=mode=interleave_bottom,setfield=bff,setsar=64/45"
        " -af pan=5.1|FL=c0|FR=c0|FC=c0|LFE=c0|BL=c0|BR=c0"
        " -c:v libx264 -preset ultrafast -crf 30 -flags +ildct+ilme -x264-params bff=1 -pix_fmt yuv420p -c:a aac"
    ),
    # A phone filming upright in HLG: 10-bit HEVC BT.2020, portrait.
    "phone_hdr": (
        "-f lavfi -i gradients=size=360x640:rate=5:duration={d}:speed=0.05 -f lavfi -i sine=duration={d}"
        " -vf zscale=tin=bt709:pin=bt709:min=bt709:t=arib-std-b67:p=bt2020:m=2020_ncl:npl=203,format=yuv420p10le"
        " -c:v libx265 -preset ultrafast"
        " -x265-params log-level=error -tag:v hvc1 -color_primaries bt2020 -color_trc arib-std-b67"
        " -colorspace bt2020nc -c:a aac"
    ),
    # A picture that stops 15 s before its sound.
    "picture_shorter": (
        "-f lavfi -t {short} -i life=size=640x360:rate=10:mold=10:ratio=0.3 -f lavfi -i sine=duration={d}"
        " -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac"
    ),
}


def make_footage_clip(path: Path, kind: str, duration_s: float) -> Path:
    """A film of one of the FOOTAGE kinds, `duration_s` long (its sound, for `picture_shorter`)."""
    return generate(path, *FOOTAGE[kind].format(d=duration_s, short=duration_s - 15).split())
