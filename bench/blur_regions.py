"""What a film's blur regions cost the protected master: an earlier commit's mask against this one's.

    python -m bench.blur_regions [--before-ref abd1f1f] [--seconds 10] [--rounds 2]

The film is the protect function's worst case in miniature: 1920x1080 at 60 fps, a cut every 3 frames,
each shot with its own faces somewhere else, so that the regions number about 55 a second (the 62 s
worst case found 3,400; bench/protect_worst_case.py). The regions are made up, 150 px squares, four
per shot, each held over its shot. Each round encodes the same master picture as the protect function
does (`MASTER_PRESET`, CRF 14, Matroska) three ways, one after the other: with no region, with
`--before-ref`'s `blur_filter` (read from git) and with this tree's. Reported: CPU seconds of each ffmpeg
(its own rusage, whatever the load), wall seconds, and the ratios, side by side in one run.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from chalicelib.domain.faces import BlurRegion, Box
from chalicelib.media import faceblur
from chalicelib.media.protect import MASTER_PRESET

WIDTH, HEIGHT, FPS, SHOT_FRAMES, FACES_PER_SHOT, FACE_PX = 1920, 1080, 60, 3, 4, 150
BlurFilter = Callable[..., str]


def earlier_blur_filter(ref: str, folder: Path) -> BlurFilter:
    """`blur_filter` as commit `ref` wrote it: its media/faceblur.py loaded under a name of its own."""
    source = subprocess.run(
        ["git", "show", f"{ref}:chalicelib/media/faceblur.py"], check=True, capture_output=True, text=True
    ).stdout
    path = folder / "faceblur_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("faceblur_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.blur_filter  # type: ignore[no-any-return]


def film(seconds: int, folder: Path) -> Path:
    """A moving test picture with grain (no two frames alike), cut in the regions' rhythm by its motion."""
    path = folder / "film.mp4"
    source = f"testsrc2=s={WIDTH}x{HEIGHT}:r={FPS}:d={seconds},noise=alls=12:allf=t"
    subprocess.run(
        [
            *["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", source],
            *["-c:v", "libx264", "-preset", "superfast", "-b:v", "16M", "-pix_fmt", "yuv420p", str(path)],
        ],
        check=True,
    )
    return path


def shot_regions(seconds: int) -> list[BlurRegion]:
    """Four faces per shot, each shot's elsewhere, held from the shot's first frame to its last."""
    regions = []
    shots = seconds * FPS // SHOT_FRAMES
    for shot in range(shots):
        start, end = shot * SHOT_FRAMES / FPS, (shot * SHOT_FRAMES + SHOT_FRAMES - 1) / FPS
        for face in range(FACES_PER_SHOT):
            x = (shot * 397 + face * 463) % (WIDTH - FACE_PX)
            y = (shot * 211 + face * 277) % (HEIGHT - FACE_PX)
            regions.append(BlurRegion(start, end, Box(x, y, x + FACE_PX, y + FACE_PX)))
    return regions


def master(source: Path, graph: str, folder: Path) -> tuple[float, float]:
    """CPU and wall seconds of one master encode of the picture through `graph`."""
    script = faceblur.write_filter_script(graph, folder)
    args = [
        *faceblur.filtered_input_args(str(source), script),
        *["-map", "[picture]", "-c:v", "libx264", "-preset", MASTER_PRESET, "-crf", "14"],
        *["-f", "matroska", str(folder / "master.mkv")],
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(args, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before-ref", default="abd1f1f", help="the commit whose mask is measured as before")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="blur-regions-") as name:
        folder = Path(name)
        before = earlier_blur_filter(options.before_ref, folder)
        source = film(options.seconds, folder)
        regions = shot_regions(options.seconds)
        ways = {
            "no region": faceblur.blur_filter([], WIDTH, HEIGHT, "0:v:0", "picture"),
            f"before ({options.before_ref})": before(regions, WIDTH, HEIGHT, "0:v:0", "picture"),
            "now": faceblur.blur_filter(regions, WIDTH, HEIGHT, "0:v:0", "picture"),
        }
        print(
            f"# Blur regions in the master ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}): {options.seconds} s "
            f"{WIDTH}x{HEIGHT} {FPS} fps, {len(regions)} regions, boxes in the mask: "
            + ", ".join(f"{way} {graph.count('drawbox')}" for way, graph in ways.items())
        )
        print(f"load before: {os.getloadavg()[0]:.1f}")
        totals: dict[str, list[float]] = {way: [0.0, 0.0] for way in ways}
        for round_number in range(options.rounds):
            for way, graph in ways.items():
                cpu, wall = master(source, graph, folder)
                totals[way][0] += cpu
                totals[way][1] += wall
                print(f"round {round_number + 1}, {way}: {cpu:.1f} CPU s, {wall:.1f} s wall", flush=True)
        floor = totals["no region"][0]
        print("| mask | CPU s | wall s | CPU against no region | regions' own CPU s |")
        print("| --- | --- | --- | --- | --- |")
        for way, (cpu, wall) in totals.items():
            rounds = options.rounds
            own = (cpu - floor) / rounds
            print(f"| {way} | {cpu / rounds:.1f} | {wall / rounds:.1f} | {cpu / floor:.2f} | {own:.1f} |")
        print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
