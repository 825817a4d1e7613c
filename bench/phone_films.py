"""The embedded stack on what phones make, on a busy machine (issue 23).

A 60 s 1080p HLG film, a 60 s 1080p PQ film (10-bit HEVC, as phones record by default) and a 60 s 720p film
whose faces are to be blurred are uploaded together with `omjr upload` to a running `make run`, while two
CPU-bound processes run beside it. Prints each film's outcome and the time it took, with the load average.

    SAMPLES=0 make run                   # in one terminal
    .venv/bin/python -m bench.phone_films  # in another: several minutes on two cores
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.footage import ffmpeg, photo_pan
from local.resources import ROOT
from local.toolchain import use_layer_ffmpeg
from tests.functional.face_clips import make_face_clip

SECONDS = 60
HDR = {
    "hlg": ("arib-std-b67", "zscale=tin=bt709:pin=bt709:min=170m:t=arib-std-b67:p=bt2020:m=2020_ncl:npl=203"),
    "pq": ("smpte2084", "zscale=tin=bt709:pin=bt709:min=170m:t=smpte2084:p=bt2020:m=2020_ncl:npl=203"),
}


def hdr_film(sdr: Path, kind: str) -> Path:
    """The SDR pan as a phone records HDR: 10-bit HEVC, BT.2020, tagged HLG or PQ."""
    transfer, to_hdr = HDR[kind]
    path = sdr.with_name(f"phone-1080p-{kind}.mov")
    ffmpeg(
        "-i",
        str(sdr),
        "-vf",
        f"{to_hdr},format=yuv420p10le",
        "-c:v",
        "libx265",
        "-preset",
        "ultrafast",
        "-x265-params",
        "log-level=error",
        "-b:v",
        "16M",
        "-color_primaries",
        "bt2020",
        "-color_trc",
        transfer,
        "-colorspace",
        "bt2020nc",
        "-c:a",
        "copy",
        str(path),
    )
    return path


def face_film(folder: Path) -> Path:
    """Two children's faces (a real photograph), 60 s at 30 fps, scaled to 720p as a phone's 720p film."""
    small = make_face_clip("two_faces", folder, seconds=SECONDS, fps=30, audio=True).path
    path = folder / "phone-720p-faces.mp4"
    ffmpeg(
        "-i", str(small), "-vf", "scale=1280:720", "-c:v", "libx264", "-preset", "veryfast", "-c:a", "copy", str(path)
    )
    return path


def upload(stack_file: Path, film: Path, *extra: str) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        "-m",
        "cli",
        "--stack-file",
        str(stack_file),
        "upload",
        str(film),
        "--title",
        film.stem,
        "--country",
        "AZ",
        "--topics",
        "violence",
        "--first-name",
        "Leyla",
        "--age",
        "14",
        "--wait-s",
        "1800",
        *extra,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # run from the films' folder, as a facilitator would
    return subprocess.Popen(
        command, cwd=film.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack-file", type=Path, default=ROOT / ".local" / "stack.json")
    parser.add_argument("--busy", type=int, default=2, help="CPU-bound processes to run beside the stack")
    parser.add_argument("--films", type=Path, help="a folder where an earlier run made the films (else made anew)")
    args = parser.parse_args()
    use_layer_ffmpeg()
    work = args.films or Path(tempfile.mkdtemp(prefix="phone-films-"))
    names = ("phone-1080p-hlg.mov", "phone-1080p-pq.mov", "phone-720p-faces.mp4")
    if not all((work / name).exists() for name in names):
        print(f"making the films in {work} ...", flush=True)
        sdr = photo_pan(work / "pan-1080p.mp4", SECONDS)
        hdr_film(sdr, "hlg")
        hdr_film(sdr, "pq")
        face_film(work)
    films = [(work / names[0], ()), (work / names[1], ()), (work / names[2], ("--blur-faces",))]
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy)]
    try:
        started = time.monotonic()
        running = [(film, upload(args.stack_file, film, *extra)) for film, extra in films]
        for film, process in running:
            output, _ = process.communicate()
            outcome = [line for line in output.splitlines() if f"{film.name}: " in line][-1:]
            print(
                f"{film.name}: {' '.join(outcome) or output[-300:]!r} after {time.monotonic() - started:.0f} s "
                f"(load average {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    finally:
        for process in busy:
            process.kill()


if __name__ == "__main__":
    main()
