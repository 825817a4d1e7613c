"""Faces between two samples: what sampling at scene changes and looking at turned frames buys, and costs.

    python -m bench.face_sampling [--skip flashes,pan,lying,cost,worst] [--seconds 60] [--worst-seconds 62]
        [--worst-today] [--worst-counts-only] [--work FOLDER]

Each section compares today's detection (one frame every 0.25 s, upright only: `scene_change=None,
quarter_turns=()`) with the new one (the defaults of services/face_regions.py), on 1280x720 clips drawn
frame by frame from real photographs, so every frame's true face boxes are known:

1. flashes: a face after a cut shown for 1, 3, 6 and 15 frames at 30 fps, faces lying on their side
   likewise, and the same flashes inside a shot (the face appears over the shot's picture, no cut):
   share of the flash frames whose faces are inside a blur region;
2. pan: a whip pan over a wide picture that carries a face across the whole frame in 0.2 s (30 and 60 fps);
3. lying: real faces (LFW crops, 25-64 px) and the astronaut (90 px) lying on their side, half each way,
   drifting, with upright LFW faces as the control: recall on every frame;
4. cost: bench/protection_speed.py's 60 s film (a panned photograph with film grain, two faces): frames
   detected, model runs and detection seconds, today against scene changes alone and against both;
5. worst: a 62 s 60 fps film cut every 3 frames between a face and a photograph with no face, with film
   grain: detection and the protected master, wall and CPU seconds against the protect function's 900 s,
   and the model runs every frame after a cut would cost with no budget (counted without the model).

Run it under `nice -n 10` on a shared machine. The machine's load is printed beside every timing.
"""

from __future__ import annotations

import argparse
import math
import resource
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from skimage.data import astronaut, lfw_subset, rocket
from skimage.io import imsave
from skimage.transform import resize

from bench.protection_speed import coverage, cpu_seconds, film_faces, load, make_film, photo_for_face
from chalicelib.domain.faces import Box, unturned
from chalicelib.faces.centerface import CenterFaceDetector
from chalicelib.media.protect import make_protected_master
from chalicelib.services.face_regions import QUARTER_TURNS, SCENE_CHANGE, find_blur_regions
from tests.functional.face_clips import FACE_IN_PHOTO, PHOTO_SIZE, encode

WIDTH, HEIGHT = 1280, 720
TODAY: dict[str, Any] = {"scene_change": None, "quarter_turns": ()}
SCENES_ONLY: dict[str, Any] = {"scene_change": SCENE_CHANGE, "quarter_turns": ()}
NOW: dict[str, Any] = {"scene_change": SCENE_CHANGE, "quarter_turns": QUARTER_TURNS}
Picture = np.ndarray[Any, np.dtype[np.uint8]]


class Counting:
    """The detector, counting its runs (one per look: upright, and each quarter turn); with no detector,
    finding nothing: what a setting costs in model runs, without running the model."""

    def __init__(self, detector: CenterFaceDetector | None) -> None:
        self._detector = detector
        self._lock = threading.Lock()
        self.runs = 0

    def detect(self, frame: Picture) -> list[Box]:
        with self._lock:
            self.runs += 1
        return self._detector.detect(frame) if self._detector else []


def photo(size: int, turns: int = 0) -> tuple[Picture, Box]:
    """The astronaut at `size`, turned `turns` quarter turns anticlockwise, and her face's box on it."""
    image = np.rot90((resize(astronaut(), (size, size), anti_aliasing=True) * 255).astype(np.uint8), turns)
    k = size / PHOTO_SIZE
    face = Box(FACE_IN_PHOTO.x1 * k, FACE_IN_PHOTO.y1 * k, FACE_IN_PHOTO.x2 * k, FACE_IN_PHOTO.y2 * k)
    return np.ascontiguousarray(image), unturned(face, -turns, size, size)


def paste(frame: Picture, picture: Picture, x: int, y: int) -> Box | None:
    """`picture` on `frame` with its top-left corner at (x, y), clipped; the part in view, or None."""
    h, w = picture.shape[:2]
    left, top, right, bottom = max(0, x), max(0, y), min(WIDTH, x + w), min(HEIGHT, y + h)
    if right <= left or bottom <= top:
        return None
    frame[top:bottom, left:right] = picture[top - y : bottom - y, left - x : right - x]
    return Box(left, top, right, bottom)


def in_view(face: Box) -> Box | None:
    """The face clipped to the frame when at least half of it is in view (as face_clips counts faces)."""
    clipped = face.clipped(WIDTH, HEIGHT)
    area = max(0.0, clipped.width) * max(0.0, clipped.height)
    return clipped if area >= 0.5 * face.width * face.height else None


def background(width: int = WIDTH) -> Picture:
    """The rocket on its launch pad (a real photograph with no face), `width` wide and HEIGHT tall."""
    image = (resize(rocket(), (HEIGHT, width), anti_aliasing=True) * 255).astype(np.uint8)
    return np.ascontiguousarray(image)


def regions_for(path: Path, detector: Counting, duration_s: float, settings: dict[str, Any]) -> tuple[list[Any], int]:
    runs = detector.runs
    regions = find_blur_regions(
        str(path), detector, width=WIDTH, height=HEIGHT, duration_s=duration_s, timeout_s=3600, **settings
    )
    return regions, detector.runs - runs


def share(faces: list[list[Box]], fps: int, regions: list[Any], frames: range | None = None) -> str:
    chosen = frames if frames is not None else range(len(faces))
    covered, total = coverage([faces[i] for i in chosen], [i / fps for i in chosen], regions)
    return f"{covered}/{total}" if total else "-"


# --- 1. flashes ------------------------------------------------------------------------------------

FLASH_FRAMES = (1, 3, 6, 15)
FLASH_FPS, FLASH_SECONDS = 30, 15
# Today's samples (every 0.25 s) fall on frames 0, 7, 15, 22, 30... at 30 fps (15 frames a period): the 1, 3
# and 6 frame flashes sit between two of them, the 15 frame one starts on the frame after one. 3 s or more
# apart, so that no flash's boxes are held along its face's track over another.
FLASH_STARTS = (33, 152, 286, 391)


def lying_faces(frame: Picture, x: int, y: int) -> list[Box]:
    """Eight real faces (LFW crops, 32 to 64 px) lying on their side, half each way, in a row from (x, y)."""
    boxes = []
    for i, (crop, size) in enumerate(zip(lfw_subset()[:8], (32, 48, 64, 48) * 2, strict=True)):
        face = np.rot90((resize(crop, (size, size), anti_aliasing=True) * 255).astype(np.uint8), 1 + 2 * (i % 2))
        left = x + 90 * i
        paste(frame, np.ascontiguousarray(np.repeat(face[..., None], 3, axis=2)), left, y)
        inset = size / 12  # the crops' edge is background, hair and ears
        boxes.append(Box(left + inset, y + inset, left + size - inset, y + size - inset))
    return boxes


def flash_clip(folder: Path, cut: bool, lying: bool = False) -> tuple[Path, list[list[Box]], dict[int, range]]:
    """The rocket, slowly panned, and the astronaut's face (80 px) for each of FLASH_FRAMES: after a cut
    (the whole picture changes) or inside the shot (the photograph appears over the rocket); when
    `lying`, eight real faces lying on their side after a cut instead."""
    wide = background(WIDTH + 60)
    face_photo, face = photo(photo_for_face(80))
    shown = {frames: range(start, start + frames) for frames, start in zip(FLASH_FRAMES, FLASH_STARTS, strict=True)}
    pictures, faces = [], []
    for index in range(FLASH_FPS * FLASH_SECONDS):
        left = round(60 * index / (FLASH_FPS * FLASH_SECONDS))
        frame = np.ascontiguousarray(wide[:, left : left + WIDTH])
        boxes = []
        if any(index in frames for frames in shown.values()):
            if cut:
                frame[:] = (70, 90, 110)
            if lying:
                boxes += lying_faces(frame, 300, 300)
            else:
                x, y = 500, 40
                paste(frame, face_photo, x, y)
                boxes.append(Box(face.x1 + x, face.y1 + y, face.x2 + x, face.y2 + y))
        pictures.append(frame)
        faces.append(boxes)
    name = f"flashes-{'cut' if cut else 'shot'}{'-lying' if lying else ''}.mp4"
    return encode(pictures, folder / name, FLASH_FPS), faces, shown


def flash_rows(work: Path, detector: Counting) -> None:
    print(f"\n## A face shown for a few frames, 1280x720 30 fps, {FLASH_SECONDS} s (frames covered / showing it)\n")
    print("| flash | " + " | ".join(f"{n} frame{'s' if n > 1 else ''}" for n in FLASH_FRAMES) + " | model runs |")
    print("| --- " * (len(FLASH_FRAMES) + 2) + "|")
    for cut, lying, where in (
        (True, False, "after a cut"),
        (True, True, "lying, after a cut"),
        (False, False, "inside a shot"),
    ):
        path, faces, shown = flash_clip(work, cut, lying)
        for label, settings in (("today", TODAY), ("now", NOW)):
            regions, runs = regions_for(path, detector, len(faces) / FLASH_FPS, settings)
            cells = [share(faces, FLASH_FPS, regions, shown[n]) for n in FLASH_FRAMES]
            print(f"| {where}, {label} | " + " | ".join(cells) + f" | {runs} |", flush=True)


# --- 2. whip pan -----------------------------------------------------------------------------------


def pan_clip(folder: Path, fps: int, crossing_s: float) -> tuple[Path, list[list[Box]]]:
    """A still shot of the rocket, then a whip pan over a wide picture with a face (120 px) in it, fast
    enough that the face crosses the whole frame in `crossing_s`, then still again. 2 s."""
    wide = background(WIDTH * 4)
    face_photo, face = photo(photo_for_face(120))
    spot_x, spot_y = WIDTH * 2 - face_photo.shape[1] // 2, 200
    paste_wide = wide.copy()
    paste_wide[spot_y : spot_y + face_photo.shape[0], spot_x : spot_x + face_photo.shape[1]] = face_photo
    speed = (WIDTH + face.width) / crossing_s  # px of the wide picture per second
    pictures, faces = [], []
    for index in range(fps * 2):
        t = index / fps
        # Still until 0.8 s, then the pan at `speed`, stopping 2.5 frame widths on.
        left = round(min(max(0.0, t - 0.8) * speed, WIDTH * 2.5))
        frame = np.ascontiguousarray(paste_wide[:, left : left + WIDTH])
        box = Box(face.x1 + spot_x - left, face.y1 + spot_y, face.x2 + spot_x - left, face.y2 + spot_y)
        seen = in_view(box)
        pictures.append(frame)
        faces.append([seen] if seen else [])
    return encode(pictures, folder / f"pan-{fps}.mp4", fps), faces


def pan_rows(work: Path, detector: Counting) -> None:
    print("\n## A face crossing the frame in 0.2 s during a whip pan, 1280x720 (frames covered / in view)\n")
    print("| fps | today | now | model runs today / now |")
    print("| --- | --- | --- | --- |")
    for fps in (30, 60):
        path, faces = pan_clip(work, fps, 0.2)
        cells, runs = [], []
        for settings in (TODAY, NOW):
            regions, count = regions_for(path, detector, len(faces) / fps, settings)
            cells.append(share(faces, fps, regions))
            runs.append(str(count))
        print(f"| {fps} | {cells[0]} | {cells[1]} | {' / '.join(runs)} |", flush=True)


# --- 3. lying down ---------------------------------------------------------------------------------

LYING_FPS, LYING_SECONDS = 30, 3


def lying_clip(folder: Path, turned: bool) -> tuple[Path, list[list[Box]]]:
    """16 real faces (LFW, 25 to 64 px) and two astronauts (90 px faces), drifting; lying on their side,
    half each way (`turned`), or upright (the control)."""
    crops = lfw_subset()[:16]
    sizes = (25, 32, 48, 64) * 4
    astro = [photo(photo_for_face(90), (1 + 2 * i) if turned else 0) for i in range(2)]
    pictures, faces = [], []
    for index in range(LYING_FPS * LYING_SECONDS):
        drift = round(20 * index / LYING_FPS)
        frame = np.full((HEIGHT, WIDTH, 3), (70, 90, 110), np.uint8)
        boxes = []
        for i, (crop, size) in enumerate(zip(crops, sizes, strict=True)):
            turns = (1 + 2 * (i % 2)) if turned else 0
            face = np.rot90((resize(crop, (size, size), anti_aliasing=True) * 255).astype(np.uint8), turns)
            x, y = 40 + 140 * (i % 8) + drift, 60 + 130 * (i // 8)
            paste(frame, np.ascontiguousarray(np.repeat(face[..., None], 3, axis=2)), x, y)
            inset = size / 12  # the crops' edge is background, hair and ears
            boxes.append(Box(x + inset, y + inset, x + size - inset, y + size - inset))
        for i, (picture, face_box) in enumerate(astro):
            x, y = 100 + 600 * i + drift, 330
            paste(frame, picture, x, y)
            boxes.append(Box(face_box.x1 + x, face_box.y1 + y, face_box.x2 + x, face_box.y2 + y))
        pictures.append(frame)
        faces.append(boxes)
    return encode(pictures, folder / f"lying-{turned}.mp4", LYING_FPS), faces


def lying_rows(work: Path, detector: Counting) -> None:
    print("\n## Faces lying on their side, 1280x720 30 fps, 3 s: faces covered on every frame\n")
    print("| faces | today | now | model runs today / now | detection s today / now |")
    print("| --- | --- | --- | --- | --- |")
    for turned in (True, False):
        path, faces = lying_clip(work, turned)
        cells, runs, seconds = [], [], []
        for settings in (TODAY, NOW):
            started = time.perf_counter()
            regions, count = regions_for(path, detector, LYING_SECONDS, settings)
            seconds.append(f"{time.perf_counter() - started:.1f}")
            covered, total = coverage(faces, [i / LYING_FPS for i in range(len(faces))], regions)
            cells.append(f"{covered / total:.4f}")
            runs.append(str(count))
        label = "lying, half each way (16 LFW 25-64 px, 2 astronauts)" if turned else "upright (control)"
        print(f"| {label} | {cells[0]} | {cells[1]} | {' / '.join(runs)} | {' / '.join(seconds)} |", flush=True)


# --- 4. cost on an ordinary film -------------------------------------------------------------------


def cost_rows(work: Path, detector: Counting, seconds: int) -> None:
    film = make_film(work / "film.mp4", seconds)
    print(f"\n## Detection on protection_speed's {seconds} s 1280x720 30 fps film ({load()})\n")
    print("| detection | model runs | wall s | CPU s | faces covered |")
    print("| --- | --- | --- | --- | --- |")
    times, faces = film_faces(seconds)
    for label, settings in (("today", TODAY), ("+ scene changes", SCENES_ONLY), ("+ scene changes + turned", NOW)):
        started, cpu = time.perf_counter(), cpu_seconds()
        regions, runs = regions_for(film, detector, seconds, settings)
        wall, used = time.perf_counter() - started, cpu_seconds() - cpu
        covered, total = coverage(faces, times, regions)
        print(f"| {label} | {runs} | {wall:.1f} | {used:.0f} | {covered / total:.4f} |", flush=True)


# --- 5. the worst case -----------------------------------------------------------------------------


WORST_FPS = 60


def worst_film(folder: Path, seconds: int) -> tuple[Path, list[list[Box]]]:
    """Cut every 3 frames at 60 fps between the astronaut (a 150 px face) and the rocket, with film grain
    (so no two frames are the same), H.264 at a phone's 8 Mbit/s; and the face's box on each frame."""
    face_photo, face = photo(photo_for_face(150))
    face_shot = np.full((HEIGHT, WIDTH, 3), (70, 90, 110), np.uint8)
    x, y = 500, 40
    paste(face_shot, face_photo, x, y)
    shots = [folder / "face.png", folder / "rocket.png"]
    imsave(shots[0], face_shot)
    imsave(shots[1], background())
    graph = (
        "[0:v]loop=-1:1,fps=60,format=yuv420p[a];[1:v]loop=-1:1,fps=60,format=yuv420p[b];"
        "[a][b]overlay=enable='gte(mod(n\\,6)\\,3)',noise=alls=4:allf=t[film]"
    )
    path = folder / "worst.mp4"
    if not path.exists():
        subprocess.run(
            [
                *("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(shots[0]), "-i", str(shots[1])),
                *("-filter_complex", graph, "-map", "[film]", "-t", str(seconds), "-r", "60", "-c:v", "libx264"),
                *("-preset", "veryfast", "-b:v", "8M", "-maxrate", "8M", "-bufsize", "16M", str(path)),
            ],
            check=True,
        )
    box = Box(face.x1 + x, face.y1 + y, face.x2 + x, face.y2 + y)
    return path, [[box] if index % 6 < 3 else [] for index in range(seconds * WORST_FPS)]


def worst_rows(work: Path, seconds: int, with_today: bool, counts_only: bool) -> None:
    film, faces = worst_film(work, seconds)
    print(f"\n## Worst case: {seconds} s at 60 fps, 1280x720, a cut every 3 frames ({load()})\n")
    counted = []
    for settings in ({**NOW, "extra_runs": (math.inf, math.inf)}, NOW):
        blind = Counting(None)
        find_blur_regions(str(film), blind, width=WIDTH, height=HEIGHT, duration_s=seconds, timeout_s=7200, **settings)
        counted.append(blind.runs)
    print(f"Model runs counted without the model: every frame after a cut, no budget {counted[0]}; now {counted[1]}.\n")
    if counts_only:
        return
    print(
        "| detection | model runs | detection wall s | master wall s | total wall s | CPU s | peak MiB | faces covered "
        "| load after |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, settings in (("today", TODAY), ("now", NOW)):
        if label == "today" and not with_today:
            continue
        detector = Counting(CenterFaceDetector())
        started, cpu = time.perf_counter(), cpu_seconds()
        regions, runs = regions_for(film, detector, seconds, settings)
        detected = time.perf_counter() - started
        make_protected_master(
            str(film),
            work / "master.mkv",
            regions,
            width=WIDTH,
            height=HEIGHT,
            voice=None,
            audio=False,
            duration_s=seconds,
            timeout_s=3600,
        )
        total = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        covered, shown = coverage(faces, [i / WORST_FPS for i in range(len(faces))], regions)
        print(
            f"| {label} | {runs} | {detected:.0f} | {total - detected:.0f} | {total:.0f} | "
            f"{cpu_seconds() - cpu:.0f} | {peak:.0f} | {covered}/{shown} ({len(regions)} regions) | {load()} |",
            flush=True,
        )


Step = Callable[[], None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip", default="", help="sections to skip: flashes,pan,lying,cost,worst")
    parser.add_argument("--seconds", type=int, default=60, help="the ordinary film's length (cost)")
    parser.add_argument("--worst-seconds", type=int, default=62, help="the worst case's length")
    parser.add_argument("--worst-today", action="store_true", help="measure today's detection on the worst case too")
    parser.add_argument("--worst-counts-only", action="store_true", help="only count the worst case's model runs")
    parser.add_argument("--work", type=Path, help="a folder to keep the films in (the worst case's is reused)")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    print(f"# Faces between samples ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {load()})")
    print(f"Scene change from a score of {SCENE_CHANGE}; turned looks: {QUARTER_TURNS} quarter turns.")
    detector = Counting(CenterFaceDetector())
    with tempfile.TemporaryDirectory() as folder:
        work = args.work or Path(folder)
        steps: dict[str, Step] = {
            "flashes": lambda: flash_rows(work, detector),
            "pan": lambda: pan_rows(work, detector),
            "lying": lambda: lying_rows(work, detector),
            "cost": lambda: cost_rows(work, detector, args.seconds),
            "worst": lambda: worst_rows(work, args.worst_seconds, args.worst_today, args.worst_counts_only),
        }
        for name, step in steps.items():
            if name not in skip:
                step()
    print(f"\n(done, {load()})")


if __name__ == "__main__":
    main()
