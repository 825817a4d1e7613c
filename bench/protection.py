"""Identity protection: recall of the held blur regions at each detection interval, and what it costs.

    python -m bench.protection

On the five moving test clips made from a real photograph (tests/functional/face_clips.py: pan,
zoom, two faces, a small face, a face walking in and out), each with its true face boxes on every
frame: detection runs on every Nth frame, the regions are held between samples (domain/faces.py),
and a face on a frame counts as covered when a region active on that frame contains its whole true
box. Also: detection seconds per clip, and the area blurred (the price of long holds and margins).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from chalicelib.faces.centerface import CenterFaceDetector
from chalicelib.services.face_regions import find_blur_regions
from tests.functional.face_clips import HEIGHT, LAYOUTS, SECONDS, WIDTH, make_face_clip

INTERVALS = (1, 2, 3, 4, 6, 8)


def main() -> None:
    detector = CenterFaceDetector(threads=2)
    with tempfile.TemporaryDirectory() as folder:
        clips = [make_face_clip(name, Path(folder)) for name in sorted(LAYOUTS)]
        print("| every Nth frame | faces covered (all clips) | worst clip | detection s per 3 s clip | frame blurred |")
        print("| --- | --- | --- | --- | --- |")
        for every in INTERVALS:
            covered = total = 0
            worst, seconds, blurred = 1.0, 0.0, 0.0
            for clip in clips:
                started = time.perf_counter()
                regions = find_blur_regions(
                    str(clip.path),
                    detector,
                    width=WIDTH,
                    height=HEIGHT,
                    duration_s=SECONDS,
                    timeout_s=600,
                    every_n_frames=every,
                )
                seconds += time.perf_counter() - started
                clip_covered = clip_total = 0
                for time_s, faces in zip(clip.frame_times, clip.faces, strict=True):
                    active = [r.box for r in regions if r.start_s - 1e-6 <= time_s <= r.end_s + 1e-6]
                    clip_total += len(faces)
                    clip_covered += sum(any(box.contains(face) for box in active) for face in faces)
                    blurred += sum(box.width * box.height for box in active) / (WIDTH * HEIGHT) / len(clip.faces)
                covered, total = covered + clip_covered, total + clip_total
                worst = min(worst, clip_covered / clip_total if clip_total else 1.0)
            print(
                f"| {every} | {covered / total:.1%} | {worst:.1%} | {seconds / len(clips):.2f} | "
                f"{blurred / len(clips):.1%} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
