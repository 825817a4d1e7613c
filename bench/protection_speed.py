"""Identity protection, speed and recall side by side in one run: `make bench-protection`.

    python -m bench.protection_speed [--seconds 60] [--code build/dev/deployment.zip] [--layer]

1. detection frames per second on 1 and 2 cores (taskset), at each detection width, the way the
   pipeline runs it (one frame per core at once, one thread each) and the way it ran before (one
   frame at a time over every core);
2. recall at each detection interval and width, on moving clips made from a real photograph at
   1280x720 30 fps (tests/functional/face_clips.py's layouts scaled up, plus faces filmed across a
   room: 16 and 20 px tall), every frame checked against the true face boxes;
3. a protected film (default 60 s 1280x720 30 fps, a panned photograph with film grain at a phone's
   8 Mbit/s, a face moving across and a 16 px face drifting) vs the same film unprotected:
   unprotected = the transcode of the source; protected = detection + the protected master + the
   transcode of the master; on 1 and 2 cores; peak memory of the protection step (the Python process
   and its largest ffmpeg), and whether every face of every frame of the film was covered;
4. the protection function's package: the detection layer (built here with --layer), an
   ffmpeg-only layer (the static ffmpeg) and the code package (--code, from `make package`).

The films are generated here and deleted afterwards; nothing is committed. The machine's load
average is printed beside every timing: on a shared machine read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from chalicelib.domain.faces import Box, Sample, blur_regions
from chalicelib.domain.protection import draw_voice_disguise
from chalicelib.domain.rules import ValidationLimits
from chalicelib.faces.centerface import CenterFaceDetector
from chalicelib.media import protect
from chalicelib.media.frames import PICK_TOLERANCE_S, SampledFrames
from chalicelib.media.protect import make_protected_master
from chalicelib.media.transcode import transcode
from chalicelib.services.face_regions import DETECTION_INTERVAL_S, MAX_DETECTION_WIDTH, detect_all, find_blur_regions
from chalicelib.services.transcode import plan_transcode
from tests.functional import face_clips
from tests.functional.face_clips import FACE_IN_PHOTO, PHOTO_SIZE, Placement

WIDTH, HEIGHT, FPS = 1280, 720, 30
WIDTHS = (1280, 960, 640)
INTERVALS_S = (0.1, 0.25, 0.33, 0.5)
CLIP_SECONDS = 3
K = WIDTH / face_clips.WIDTH  # the test clips' layouts, scaled from 480x270 to 1280x720
FACE_TALL = FACE_IN_PHOTO.y2 - FACE_IN_PHOTO.y1  # the face's height in the 512 px photograph


def photo_for_face(face_px: float) -> int:
    """The photograph's size that makes its face `face_px` tall."""
    return round(face_px * PHOTO_SIZE / FACE_TALL)


def scaled(layout: face_clips.Layout) -> face_clips.Layout:
    return lambda t: [Placement(p.x * K, p.y * K, round(p.size * K), p.mirrored) for p in layout(t)]


LAYOUTS_720P: dict[str, face_clips.Layout] = {
    **{name: scaled(layout) for name, layout in face_clips.LAYOUTS.items()},
    # Children filmed across a room at 720p: faces 16 and 20 px tall, one walking, one still.
    "across_room": lambda t: [
        Placement(300 + 40 * t, 400, photo_for_face(16)),
        Placement(900, 380 + 5 * t, photo_for_face(20), mirrored=True),
    ],
}


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


# --- 2. recall -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clip720:
    path: Path
    faces: list[list[Box]]


def make_clip_720p(name: str, folder: Path) -> Clip720:
    """face_clips' drawing and encoding at 1280x720 30 fps (its module constants swapped for the call)."""
    saved = (face_clips.WIDTH, face_clips.HEIGHT, face_clips.FPS, face_clips.SECONDS, face_clips.LAYOUTS)
    face_clips.WIDTH, face_clips.HEIGHT, face_clips.FPS, face_clips.SECONDS = WIDTH, HEIGHT, FPS, CLIP_SECONDS
    face_clips.LAYOUTS = LAYOUTS_720P
    try:
        clip = face_clips.make_face_clip(name, folder)
    finally:
        face_clips.WIDTH, face_clips.HEIGHT, face_clips.FPS, face_clips.SECONDS, face_clips.LAYOUTS = saved
    return Clip720(clip.path, clip.faces)


def picked(times: list[float], interval_s: float) -> list[int]:
    """The frames media/frames.py's time-based pick takes (same rule, applied to known frame times)."""
    chosen = [0]
    for index in range(1, len(times)):
        if (times[index] - times[chosen[-1]]) + (times[index] - times[index - 1]) > interval_s + PICK_TOLERANCE_S:
            chosen.append(index)
    return chosen


def coverage(faces: list[list[Box]], times: list[float], regions: list[Any]) -> tuple[int, int]:
    covered = total = 0
    for time_s, frame_faces in zip(times, faces, strict=True):
        active = [r.box for r in regions if r.start_s - 1e-6 <= time_s <= r.end_s + 1e-6]
        total += len(frame_faces)
        covered += sum(any(box.contains(face) for box in active) for face in frame_faces)
    return covered, total


def lfw_rows() -> None:
    """Real faces (Labeled Faces in the Wild, tight crops) at each size in a 720p picture, found at each width."""
    from skimage.transform import resize

    from bench.face_detection import recall, small_faces_canvas

    detector = CenterFaceDetector()
    sizes = (16, 20, 25, 32, 48)
    print("\n## Recall: 100 real faces (LFW crops) of each size in a 1280-wide picture, by detection width\n")
    print("| detection width | " + " | ".join(f"{size} px" for size in sizes) + " |")
    print("| --- " * (len(sizes) + 1) + "|")
    for width in WIDTHS:
        cells = []
        for size in sizes:
            canvas, truth = small_faces_canvas(size)
            k = width / canvas.shape[1]
            if k < 1:
                canvas = (resize(canvas, (round(canvas.shape[0] * k), width), anti_aliasing=True) * 255).astype(
                    np.uint8
                )
            truth = [Box(b.x1 * k, b.y1 * k, b.x2 * k, b.y2 * k) for b in truth] if k < 1 else truth
            cells.append(f"{recall(detector.detect, canvas, truth):.0%}")
        print(f"| {width} | " + " | ".join(cells) + " |", flush=True)


def recall_rows(work: Path) -> None:
    lfw_rows()
    detector = CenterFaceDetector()
    clips = {name: make_clip_720p(name, work) for name in sorted(LAYOUTS_720P)}
    print("\n## Recall: faces covered on every frame, 1280x720 30 fps clips (3 s each)\n")
    print("| detection width | every (s) | frames detected | all clips | worst clip | across the room (16/20 px) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for width in WIDTHS:
        # Detect once at this width every frame that some interval's pick takes; each interval then uses its own.
        found: dict[str, tuple[list[float], dict[int, tuple[Box, ...]]]] = {}
        times = [i / FPS for i in range(FPS * CLIP_SECONDS)]
        wanted = sorted({i for interval in INTERVALS_S for i in picked(times, interval)})
        for name, clip in clips.items():
            frames = SampledFrames(
                str(clip.path), width=WIDTH, height=HEIGHT, max_width=width, timeout_s=600, every_n_frames=1
            )
            k = frames.scale
            chosen_frames = (frame for index, frame in enumerate(frames) if index in wanted)
            boxes = [
                tuple(Box(b.x1 * k, b.y1 * k, b.x2 * k, b.y2 * k) for b in faces)
                for faces in detect_all(detector.detect, chosen_frames, workers=2)
            ]
            found[name] = (frames.times_s, dict(zip(wanted, boxes, strict=True)))
        for interval in INTERVALS_S:
            covered = total = detected = 0
            worst = 1.0
            room = ""
            for name, clip in clips.items():
                times, boxes = found[name]
                chosen = picked(times, interval)
                detected += len(chosen)
                samples = [Sample(times[i], boxes[i]) for i in chosen]
                regions = blur_regions(samples, CLIP_SECONDS, WIDTH, HEIGHT)
                c, t = coverage(clip.faces, times, regions)
                covered, total = covered + c, total + t
                worst = min(worst, c / t if t else 1.0)
                if name == "across_room":
                    room = f"{c / t:.1%}"
            print(f"| {width} | {interval} | {detected} | {covered / total:.1%} | {worst:.1%} | {room} |", flush=True)


# --- 1 and 3: speed and cost (run in a child pinned to the cores measured) ---------------------------


def photo_path(name: str) -> Path:
    spec = importlib.util.find_spec("skimage")
    assert spec is not None and spec.submodule_search_locations
    return Path(spec.submodule_search_locations[0]) / "data" / name


BIG_FACE = 90  # px tall: a child in the middle of the picture
SMALL_FACE = 16  # px tall: one across the room


def big_at(t: float, seconds: float) -> Placement:
    return Placement(60 + 800 * t / seconds, 120 + 60 * np.sin(t / 3), photo_for_face(BIG_FACE))


def small_at(t: float, seconds: float) -> Placement:
    return Placement(1000 - 300 * t / seconds, 520, photo_for_face(SMALL_FACE), mirrored=True)


def make_film(path: Path, seconds: int) -> Path:
    """A panned photograph (no face in it) with film grain, two astronauts over it, a tone; 8 Mbit/s."""
    background = path.with_name("background.png")
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-i",
            str(photo_path("coffee.png")),
            "-i",
            str(photo_path("rocket.jpg")),
            "-filter_complex",
            "[0:v]scale=-2:900,format=rgb24[a];[1:v]scale=-2:900,format=rgb24[b];[a][b]hstack",
            "-frames:v",
            "1",
            str(background),
        ],
        check=True,
    )
    big, small = photo_for_face(BIG_FACE), photo_for_face(SMALL_FACE)
    pan = f"loop=-1:1,fps={FPS},trim=duration={seconds},crop={WIDTH}:{HEIGHT}:x='(iw-{WIDTH})*t/{seconds}':y=90"
    graph = ";".join(
        [
            f"[0:v]{pan},format=yuv420p[bg]",
            f"[1:v]scale={big}:{big},loop=-1:1,fps={FPS}[big]",
            f"[1:v]scale={small}:{small},hflip,loop=-1:1,fps={FPS}[small]",
            f"[bg][big]overlay=x='60+800*t/{seconds}':y='120+60*sin(t/3)':shortest=1[one]",
            f"[one][small]overlay=x='1000-300*t/{seconds}':y=520:shortest=1,noise=alls=4:allf=t[film]",
        ]
    )
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-i",
            str(background),
            "-i",
            str(photo_path("astronaut.png")),
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=220:duration={seconds}",
            "-filter_complex",
            graph,
            "-map",
            "[film]",
            "-map",
            "2:a",
            "-t",
            str(seconds),
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            # About what a phone records at 720p30.
            "-b:v",
            "8M",
            "-maxrate",
            "8M",
            "-bufsize",
            "16M",
            "-c:a",
            "aac",
            str(path),
        ],
        check=True,
    )
    return path


def film_faces(seconds: int) -> tuple[list[float], list[list[Box]]]:
    times = [i / FPS for i in range(seconds * FPS)]
    faces = []
    for t in times:
        boxes = [p.face().clipped(WIDTH, HEIGHT) for p in (big_at(t, seconds), small_at(t, seconds))]
        faces.append(boxes)
    return times, faces


def detection_fps(film: Path, cores: int) -> dict[str, float]:
    """Frames per second of detection at each width: one frame per core (now) vs one frame over all cores."""
    rates: dict[str, float] = {}
    for width in WIDTHS:
        frames = list(
            SampledFrames(str(film), width=WIDTH, height=HEIGHT, max_width=width, timeout_s=600, every_n_frames=45)
        )[:20]
        now, before = CenterFaceDetector(threads=1), CenterFaceDetector(threads=cores)
        now.detect(frames[0])
        before.detect(frames[0])
        started = time.perf_counter()
        list(detect_all(now.detect, frames, workers=cores))
        rates[f"{width} now"] = len(frames) / (time.perf_counter() - started)
        started = time.perf_counter()
        list(detect_all(before.detect, frames, workers=1))
        rates[f"{width} before"] = len(frames) / (time.perf_counter() - started)
    return rates


def cpu_seconds() -> float:
    """CPU time of this process and of the ffmpeg runs it has waited for: the work, whatever the load."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def cost(film: Path, seconds: int, work: Path, preset: str) -> dict[str, Any]:
    """Times (wall and CPU) of the unprotected and protected paths on the cores this process may use."""
    limits = ValidationLimits(min_duration_s=0.5, max_duration_s=seconds + 2.0)
    result: dict[str, Any] = {"load_before": os.getloadavg()[0]}
    (work / "plain").mkdir()
    started, cpu = time.perf_counter(), cpu_seconds()
    transcode(str(film), str(work / "plain"), plan_transcode(str(film), limits), timeout_s=7200)
    result["unprotected"] = time.perf_counter() - started
    result["unprotected_cpu"] = cpu_seconds() - cpu
    cpu = cpu_seconds()

    started = time.perf_counter()
    regions = find_blur_regions(
        str(film), CenterFaceDetector(), width=WIDTH, height=HEIGHT, duration_s=seconds, timeout_s=7200
    )
    result["detection"] = time.perf_counter() - started
    result["detection_peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    master = work / "protected.mkv"
    protect.MASTER_PRESET = preset
    make_protected_master(
        str(film),
        master,
        regions,
        width=WIDTH,
        height=HEIGHT,
        voice=draw_voice_disguise(),
        audio=True,
        duration_s=seconds,
        timeout_s=7200,
    )
    result["master"] = time.perf_counter() - started
    result["master_mib"] = master.stat().st_size / 2**20
    (work / "protected").mkdir()
    started = time.perf_counter()
    transcode(str(master), str(work / "protected"), plan_transcode(str(master), limits), timeout_s=7200)
    result["transcode_of_master"] = time.perf_counter() - started
    result["protected_cpu"] = cpu_seconds() - cpu
    result["largest_ffmpeg_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result["load_after"] = os.getloadavg()[0]
    times, faces = film_faces(seconds)
    covered, total = coverage(faces, times, regions)
    result["faces_covered"] = covered / total
    result["regions"] = len(regions)
    return result


def child(args: argparse.Namespace) -> None:
    """One measurement on the cores this process was pinned to; prints one JSON line."""
    film = Path(args.film)
    with tempfile.TemporaryDirectory() as folder:
        out: dict[str, Any] = {"cores": len(os.sched_getaffinity(0))}
        if args.child == "fps":
            out["fps"] = detection_fps(film, out["cores"])
            out["load"] = os.getloadavg()[0]
        else:
            out.update(cost(film, args.seconds, Path(folder), args.preset))
    print(json.dumps(out))


def pinned(film: Path, seconds: int, cores: int, what: str, preset: str = "") -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.protection_speed", "--child", what, "--film", str(film)]
    command += ["--seconds", str(seconds), "--preset", preset or "veryfast"]
    cpus = ",".join(str(c) for c in sorted(os.sched_getaffinity(0))[:cores])
    done = subprocess.run(["taskset", "-c", cpus, *command], check=True, stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def speed_rows(film: Path) -> None:
    print("\n## Detection frames per second (1280x720 film frames; 20 per width)\n")
    print("| cores | " + " | ".join(f"{w} wide: now / before" for w in WIDTHS) + " | load |")
    print("| --- " * (len(WIDTHS) + 2) + "|")
    for cores in (1, 2):
        fps = pinned(film, 0, cores, "fps")
        cells = [f"{fps['fps'][f'{w} now']:.1f} / {fps['fps'][f'{w} before']:.1f}" for w in WIDTHS]
        print(f"| {cores} | " + " | ".join(cells) + f" | {fps['load']:.1f} |", flush=True)


def cost_rows(film: Path, seconds: int, presets: list[str], core_counts: list[int]) -> None:
    print(f"\n## A {seconds} s 1280x720 30 fps film, protected vs unprotected\n")
    print(
        "| cores | master preset | unprotected s | detection s | master s | transcode of master s | ratio | "
        "CPU s unprotected / protected | peak MiB (python / largest ffmpeg) | master MiB | faces covered | "
        "load before / after |"
    )
    print("| --- " * 12 + "|")
    for cores in core_counts:
        for preset in presets if cores == core_counts[0] else presets[:1]:
            r = pinned(film, seconds, cores, "cost", preset)
            protected = r["detection"] + r["master"] + r["transcode_of_master"]
            print(
                f"| {cores} | {preset} | {r['unprotected']:.1f} | {r['detection']:.1f} | {r['master']:.1f} | "
                f"{r['transcode_of_master']:.1f} | {protected / r['unprotected']:.2f} | "
                f"{r['unprotected_cpu']:.0f} / {r['protected_cpu']:.0f} "
                f"({r['protected_cpu'] / r['unprotected_cpu']:.2f}) | "
                f"{r['detection_peak_mib']:.0f} / {r['largest_ffmpeg_mib']:.0f} | {r['master_mib']:.0f} | "
                f"{r['faces_covered']:.2%} | {r['load_before']:.1f} / {r['load_after']:.1f} |",
                flush=True,
            )


def unzipped_mib(path: Path) -> float:
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist()) / 2**20


def package_rows(code: Path | None, build_layer: bool, work: Path) -> None:
    print("\n## The protection function's package (unzipped MiB; Lambda allows 250)\n")
    ffmpeg = shutil.which("ffmpeg")
    parts: dict[str, float] = {}
    if code and code.exists():
        parts["code package"] = unzipped_mib(code)
    if ffmpeg:
        parts["ffmpeg-only layer"] = Path(ffmpeg).stat().st_size / 2**20
    if build_layer:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "layers" / "protect"))
        from build import build_layer as build

        layer = work / "protect-layer.zip"
        build(layer)
        parts["detection layer"] = unzipped_mib(layer)
    for name, size in parts.items():
        print(f"| {name} | {size:.1f} |")
    print(f"| total | {sum(parts.values()):.1f} |")


Step = Callable[[], None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--code", type=Path, default=Path("build/dev/deployment.zip"))
    parser.add_argument("--layer", action="store_true", help="build the detection layer (pip downloads) to size it")
    parser.add_argument("--presets", default=protect.MASTER_PRESET, help="master presets to compare, comma-separated")
    parser.add_argument("--cores", default="2,1", help="core counts for the film's cost, comma-separated")
    parser.add_argument(
        "--skip",
        default="",
        help="sections to skip: fps,recall (lfw runs on its own when recall is skipped),cost,package",
    )
    parser.add_argument("--child", choices=["fps", "cost"], help=argparse.SUPPRESS)
    parser.add_argument("--film", help=argparse.SUPPRESS)
    parser.add_argument("--preset", default="veryfast", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    skip = set(args.skip.split(","))
    print(f"# Identity protection benchmark ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {load()})")
    print(f"Chosen: one frame every {DETECTION_INTERVAL_S} s at most, at most {MAX_DETECTION_WIDTH} px wide.")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        film = make_film(work / "film.mp4", args.seconds)
        if "fps" not in skip:
            speed_rows(film)
        if "recall" not in skip:
            recall_rows(work)
        elif "lfw" not in skip:
            lfw_rows()
        if "cost" not in skip:
            cost_rows(film, args.seconds, args.presets.split(","), [int(c) for c in args.cores.split(",")])
        if "package" not in skip:
            package_rows(args.code, args.layer, work)
    print(f"\n(done, {load()})")


if __name__ == "__main__":
    main()
