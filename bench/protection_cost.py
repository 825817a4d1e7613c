"""What identity protection costs: a film's processing time protected vs unprotected, and peak memory.

    python -m bench.protection_cost [SECONDS]      # default 60: a 60 s 1280x720 30 fps film

Unprotected: the transcode of the source (renditions, poster, sprite), as the pipeline runs it.
Protected: face detection on every 3rd frame, the protected master (media/protect.py, voice
disguised too), then the same transcode of the master. The film: the astronaut photograph drifting
across a 1280x720 picture with a tone for sound. Peak memory: this process's (detection happens
here; ffmpeg's own is in its child processes, reported separately).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from chalicelib.domain.protection import draw_voice_disguise
from chalicelib.domain.rules import ValidationLimits
from chalicelib.faces.centerface import CenterFaceDetector
from chalicelib.media.protect import make_protected_master
from chalicelib.media.transcode import transcode
from chalicelib.services.face_regions import find_blur_regions
from chalicelib.services.transcode import plan_transcode
from local.clips import generate

WIDTH, HEIGHT, FPS = 1280, 720, 30


def make_film(path: Path, seconds: int) -> Path:
    from skimage.data import astronaut
    from skimage.io import imsave

    photo = path.with_name("astronaut.png")
    imsave(photo, astronaut())
    overlay = f"[1:v]scale=300:300[p];[0:v][p]overlay=x='100+t*{800 / seconds:.4f}':y=150:shortest=1"
    generate(
        path,
        *("-f", "lavfi", "-i", f"color=c=0x405060:s={WIDTH}x{HEIGHT}:r={FPS}:d={seconds}"),
        *("-loop", "1", "-framerate", str(FPS), "-i", str(photo)),
        *("-f", "lavfi", "-i", f"sine=frequency=220:duration={seconds}"),
        *("-filter_complex", overlay, "-map", "2:a"),
        *("-c:v", "libx264", "-preset", "veryfast", "-b:v", "4M", "-c:a", "aac", "-t", str(seconds)),
    )
    return path


def children_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    limits = ValidationLimits(min_duration_s=0.5, max_duration_s=seconds + 2.0)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        film = make_film(work / "film.mp4", seconds)
        (work / "plain").mkdir()
        started = time.perf_counter()
        transcode(str(film), str(work / "plain"), plan_transcode(str(film), limits), timeout_s=3600)
        plain = time.perf_counter() - started

        (work / "protected").mkdir()
        started = time.perf_counter()
        detector = CenterFaceDetector()
        regions = find_blur_regions(str(film), detector, width=WIDTH, height=HEIGHT, duration_s=seconds, timeout_s=3600)
        detected = time.perf_counter() - started
        master = make_protected_master(
            str(film),
            work / "protected.mkv",
            regions,
            width=WIDTH,
            height=HEIGHT,
            voice=draw_voice_disguise(),
            audio=True,
            duration_s=seconds,
            timeout_s=3600,
        )
        mastered = time.perf_counter() - started
        transcode(str(master), str(work / "protected"), plan_transcode(str(master), limits), timeout_s=3600)
        protected = time.perf_counter() - started
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"| {seconds} s 1280x720 {FPS} fps | unprotected {plain:.1f} s | protected {protected:.1f} s "
        f"(detection {detected:.1f}, master {mastered - detected:.1f}, transcode {protected - mastered:.1f}) | "
        f"ratio {protected / plain:.2f} | {len(regions)} regions | peak memory: this process {own_peak:.0f} MiB, "
        f"largest ffmpeg {children_peak_mib():.0f} MiB |"
    )


if __name__ == "__main__":
    main()
