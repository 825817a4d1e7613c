"""Duplicate films: is every copy found, and no distinct film taken for another? And what the fingerprint adds
to the transcode.

    python -m bench.duplicates            (make bench-duplicates; about 5 minutes on 2 busy cores)
    python -m bench.duplicates --no-cost  (the matching only; --cost-only: the cost only)
    python -m bench.duplicates --frames   (the matching again, on the frames the last run kept in build/)

Twenty distinct films of 12 s at 640x360, made here with ffmpeg, among them close neighbours:
- generated scenes (lavfi sources cut together), and the same scenes in another order or with other timings,
  or the same generator with another seed;
- pans over photographs (three real ones from scikit-image's sample data, one generated), three pans over
  each: left to right, right to left, a zoom into the middle.
Five copies of each: re-encoded (another encoder setting, lower quality), resized to 426x240, remuxed into
Matroska, trimmed by 1 s at the start, and protected (the real protection stage's master, media/protect.py,
blurring a face-sized box in the middle and one that moves across, for the whole film).
Every file's fingerprint is taken by the real transcode (media/transcode.py, its fingerprint branch) and hashed
by domain/fingerprint.py. Each copy is compared with its own original (it must match) and with every other
film's original (it must not), and every pair of originals must not match: the scores either side of the
threshold (`MIN_SHARE`) and the margins. Then the cost: the transcode of a 20 s 1280x720 film (720p and 360p
encoded) with and without the fingerprint, side by side, in CPU seconds of ffmpeg and the hashing after it.
"""

from __future__ import annotations

import dataclasses
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from chalicelib.domain.faces import BlurRegion, Box
from chalicelib.domain.fingerprint import (
    CLOSE_BITS,
    MAX_OFFSET_S,
    MIN_COMPARED,
    MIN_SHARE,
    Fingerprint,
    frame_hashes,
    likeness,
)
from chalicelib.domain.rules import ValidationLimits
from chalicelib.media.fingerprint import file_digest, fingerprint_of
from chalicelib.media.protect import make_protected_master
from chalicelib.media.transcode import transcode
from chalicelib.services.transcode import plan_transcode
from local.clips import generate

SECONDS = 12
WIDTH, HEIGHT, RATE = 640, 360, 15
FRAMES = Path("build/bench-duplicates")
LIMITS = ValidationLimits(min_duration_s=1, max_duration_s=62)
ENCODE = ("-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-an")

# Generated scenes: each a lavfi source at the film's size and rate (its own time runs from 0 in each cut).
SOURCES = {
    "testsrc2": "testsrc2=s={s}:r={r}",
    "mandelbrot": "mandelbrot=s={s}:r={r}:start_scale=3:end_scale=0.3",
    "sierpinski": "sierpinski=s={s}:r={r}:seed=3:jump=40",
    "life1": "life=s={s}:r={r}:seed=1:ratio=0.3:mold=10:life_color=#c0c0ff:death_color=#402020",
    "life2": "life=s={s}:r={r}:seed=2:ratio=0.3:mold=10:life_color=#c0c0ff:death_color=#402020",
    "cellauto": "cellauto=s={s}:r={r}:rule=30:seed=5:random_fill_ratio=0.5,scale={s}",
    "gradients1": "gradients=s={s}:r={r}:seed=1:speed=0.05:n=4",
    "gradients2": "gradients=s={s}:r={r}:seed=2:speed=0.05:n=4",
    "mptestsrc": "mptestsrc=r={r},scale={s}",
}
# Each scene film: its cuts (source, seconds). Neighbours share sources: another order, other timings.
SCENES = {
    "scenes-abc": [("testsrc2", 4), ("mandelbrot", 4), ("sierpinski", 4)],
    "scenes-cab (order)": [("sierpinski", 4), ("testsrc2", 4), ("mandelbrot", 4)],
    "scenes-abc (timing)": [("testsrc2", 2), ("mandelbrot", 6), ("sierpinski", 4)],
    "life-cells": [("life1", 6), ("cellauto", 6)],
    "cells-life (order)": [("cellauto", 6), ("life1", 6)],
    "life (other seed)": [("life2", 12)],
    "gradients-pattern": [("gradients1", 6), ("mptestsrc", 6)],
    "gradients (other seed)": [("gradients2", 12)],
}
PANS = {
    "left to right": "scale=1920:-2,crop={w}:{h}:x='(iw-{w})*t/{d}':y='(ih-{h})/2'",
    "right to left": "scale=1920:-2,crop={w}:{h}:x='(iw-{w})*(1-t/{d})':y='(ih-{h})/3'",
    "zoom in": "scale=1920:-2,zoompan=z='1+on/{frames}':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=1:s={w}x{h}:fps={r}",
}
COPIES = ("re-encoded", "resized", "remuxed", "trimmed 1 s", "protected")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="omjr-bench-duplicates-") as folder:
        base = Path(folder)
        if "--frames" in sys.argv[1:]:
            compare_kept()
        elif "--cost-only" not in sys.argv[1:]:
            matching(base)
        if "--no-cost" not in sys.argv[1:]:
            report_cost(base)


def matching(base: Path) -> None:
    """Every film and copy made, fingerprinted by the transcode, compared. The transcode's fingerprint frames
    are kept in FRAMES (with their files' digests), so that `--frames` compares them again in seconds."""
    started = time.perf_counter()
    originals = make_originals(base)
    copies = {(name, kind): make_copy(path, kind, base) for name, path in originals.items() for kind in COPIES}
    made = time.perf_counter() - started
    files = {(name, "original"): path for name, path in originals.items()} | copies
    FRAMES.mkdir(parents=True, exist_ok=True)
    manifest = []
    for n, (key, path) in enumerate(files.items()):
        frames = FRAMES / f"{n}.gray"
        shutil.copyfile(fingerprint_frames(path, base), frames)
        manifest.append({"film": key[0], "kind": key[1], "frames": frames.name, "content": file_digest(str(path))})
    (FRAMES / "manifest.json").write_text(json.dumps(manifest, indent=1))
    print(
        f"{len(originals)} films and {len(copies)} copies made in {made:.0f} s, fingerprinted in "
        f"{time.perf_counter() - started - made:.0f} s\n"
    )
    compare_kept()


def compare_kept() -> None:
    """The films' fingerprints from the frames kept in FRAMES, hashed as the pipeline hashes them, compared."""
    prints, copy_prints = {}, {}
    for entry in json.loads((FRAMES / "manifest.json").read_text()):
        fingerprint = Fingerprint.made(entry["content"], frame_hashes((FRAMES / entry["frames"]).read_bytes()))
        if entry["kind"] == "original":
            prints[entry["film"]] = fingerprint
        else:
            copy_prints[(entry["film"], entry["kind"])] = fingerprint
    report_matching(prints, copy_prints)


def make_originals(base: Path) -> dict[str, Path]:
    films = {name: make_scene(base / f"scene-{n}.mp4", cuts) for n, (name, cuts) in enumerate(SCENES.items())}
    for n, (photo, image) in enumerate(photographs(base).items()):
        for m, (pan, chain) in enumerate(PANS.items()):
            films[f"{photo}, {pan}"] = make_pan(base / f"pan-{n}-{m}.mp4", image, chain)
    return films


def make_scene(path: Path, cuts: list[tuple[str, int]]) -> Path:
    inputs: list[str] = []
    for source, seconds in cuts:
        graph = SOURCES[source].format(s=f"{WIDTH}x{HEIGHT}", r=RATE)
        inputs += ["-f", "lavfi", "-i", f"{graph},format=yuv420p,setsar=1,trim=duration={seconds},setpts=PTS-STARTPTS"]
    joined = "".join(f"[{n}:v]" for n in range(len(cuts))) + f"concat=n={len(cuts)}:v=1:a=0[v]"
    return generate(path, *inputs, "-filter_complex", joined, "-map", "[v]", "-r", str(RATE), *ENCODE)


def photographs(base: Path) -> dict[str, Path]:
    """Three real photographs (scikit-image's sample data, an astronaut's portrait among them) and a generated one."""
    from skimage import data, io  # a benchmark tool, not a dependency of the functions

    photos = {}
    for name in ("astronaut", "coffee", "chelsea"):
        photos[f"photo {name}"] = base / f"{name}.png"
        io.imsave(photos[f"photo {name}"], getattr(data, name)(), check_contrast=False)
    photos["generated photo"] = generate(
        base / "generated.png",
        *("-f", "lavfi", "-i", "mandelbrot=s=1920x1280:start_scale=0.4:end_pts=1"),
        *("-vf", "noise=alls=12,gblur=sigma=1.5", "-frames:v", "1"),
    )
    return photos


def make_pan(path: Path, image: Path, chain: str) -> Path:
    graph = chain.format(w=WIDTH, h=HEIGHT, d=SECONDS, r=RATE, frames=SECONDS * RATE / 1.5)
    return generate(
        path,
        *("-loop", "1", "-framerate", str(RATE), "-t", str(SECONDS), "-i", str(image)),
        *("-vf", f"{graph},format=yuv420p", "-frames:v", str(SECONDS * RATE), *ENCODE),
    )


def make_copy(original: Path, kind: str, base: Path) -> Path:
    stem = base / f"{original.stem}-{kind.split(maxsplit=1)[0]}"
    if kind == "re-encoded":
        return generate(
            stem.with_suffix(".mp4"),
            "-i",
            str(original),
            "-c:v",
            "libx264",
            "-preset",
            "faster",
            "-crf",
            "32",
            "-g",
            "30",
            "-pix_fmt",
            "yuv420p",
        )
    if kind == "resized":
        return generate(stem.with_suffix(".mp4"), "-i", str(original), "-vf", "scale=426:240", *ENCODE)
    if kind == "remuxed":
        return generate(stem.with_suffix(".mkv"), "-i", str(original), "-c", "copy")
    if kind == "trimmed 1 s":
        return generate(stem.with_suffix(".mp4"), "-ss", "1", "-i", str(original), *ENCODE)
    assert kind == "protected"
    return protected(original, stem.with_suffix(".mkv"))


def protected(original: Path, output: Path) -> Path:
    """The protection stage's master: a face-sized box in the middle, and one walking across, blurred throughout."""
    middle = BlurRegion(0.0, SECONDS, Box(WIDTH * 0.38, HEIGHT * 0.2, WIDTH * 0.62, HEIGHT * 0.7))
    walking = [
        BlurRegion(step, step + 1.0, Box(x, HEIGHT * 0.1, x + WIDTH * 0.15, HEIGHT * 0.45))
        for step, x in enumerate(WIDTH * 0.05 * n for n in range(SECONDS))
    ]
    return make_protected_master(
        str(original),
        output,
        [middle, *walking],
        width=WIDTH,
        height=HEIGHT,
        voice=None,
        audio=False,
        duration_s=SECONDS,
        timeout_s=300,
    )


def fingerprint_frames(path: Path, base: Path) -> str:
    """What the transcode stage takes: the frames of the fingerprint branch of its own graph."""
    out = Path(tempfile.mkdtemp(dir=base))
    plan = dataclasses.replace(plan_transcode(str(path), LIMITS), fingerprint=True)
    frames = transcode(str(path), str(out), plan, timeout_s=300).fingerprint_frames
    assert frames is not None
    return frames


def report_matching(prints: dict[str, Fingerprint], copy_prints: dict[tuple[str, str], Fingerprint]) -> None:
    names = list(prints)
    own = {key: likeness(print_.hashes, prints[key[0]].hashes) for key, print_ in copy_prints.items()}
    others = {(a, b): likeness(prints[a].hashes, prints[b].hashes) for i, a in enumerate(names) for b in names[i + 1 :]}
    crossed = {
        (key, other): likeness(print_.hashes, prints[other].hashes)
        for key, print_ in copy_prints.items()
        for other in names
        if other != key[0]
    }
    print(
        f"Threshold: a frame pair is close within {CLOSE_BITS} of 63 bits; films match when at least "
        f"{MIN_SHARE:.0%} of at least {MIN_COMPARED} compared frames are close, at the best offset within "
        f"+-{MAX_OFFSET_S:.0f} s.\n"
    )
    print("| copy | matched | lowest score | mean score |")
    print("| --- | --- | --- | --- |")
    for kind in COPIES:
        scores = [score for (_, k), score in own.items() if k == kind]
        matched = sum(score >= MIN_SHARE for score in scores)
        print(f"| {kind} | {matched} of {len(scores)} | {min(scores):.2f} | {statistics.mean(scores):.2f} |")
    worst_copy = min(own, key=own.__getitem__)
    print(
        f"\nEvery copy matched: {all(s >= MIN_SHARE for s in own.values())}; lowest {own[worst_copy]:.2f} "
        f"({worst_copy[0]}, {worst_copy[1]})."
    )
    false_pairs = sum(s >= MIN_SHARE for s in others.values())
    false_crossed = sum(s >= MIN_SHARE for s in crossed.values())
    closest = max(others, key=others.__getitem__)
    closest_crossed = max(crossed, key=crossed.__getitem__)
    print(
        f"False matches between the {len(names)} distinct films ({len(others)} pairs): {false_pairs}; highest "
        f"score {others[closest]:.2f} ({closest[0]} / {closest[1]})."
    )
    print(
        f"False matches of a copy with another film ({len(crossed)} pairs): {false_crossed}; highest score "
        f"{crossed[closest_crossed]:.2f} ({closest_crossed[0][0]}, {closest_crossed[0][1]} / "
        f"{closest_crossed[1]})."
    )
    highest = max(*others.values(), *crossed.values())
    print(
        f"Margins: the lowest copy {own[worst_copy] - MIN_SHARE:.2f} above the threshold {MIN_SHARE:.2f}, "
        f"the highest distinct {MIN_SHARE - highest:.2f} below it.\n"
    )
    print("Closest distinct pairs:")
    for pair in sorted(others, key=others.__getitem__, reverse=True)[:5]:
        print(f"  {others[pair]:.2f}  {pair[0]} / {pair[1]}")
    print()


def report_cost(base: Path) -> None:
    """The transcode of a 20 s 720p film with and without the fingerprint, interleaved, ffmpeg's CPU seconds."""
    films = {
        "testsrc2": make_hd(base / "hd-testsrc2.mp4", "testsrc2=s=1280x720:r=30"),
        "mandelbrot": make_hd(base / "hd-mandelbrot.mp4", "mandelbrot=s=1280x720:r=30:start_scale=3:end_scale=0.3"),
    }
    print(
        "| 20 s 1280x720 30 fps film | transcode, ffmpeg CPU s | with the fingerprint | + hashing (Python) | "
        "ratio | wall s without / with |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for name, path in films.items():
        plan = plan_transcode(str(path), LIMITS)
        cpu: dict[bool, list[float]] = {False: [], True: []}
        wall: dict[bool, list[float]] = {False: [], True: []}
        hashing: list[float] = []
        for _ in range(3):
            for with_print in (False, True):
                out = Path(tempfile.mkdtemp(dir=base))
                run = dataclasses.replace(plan, fingerprint=with_print)
                seconds, wall_s = children_cpu(lambda: transcode(str(path), str(out), run, timeout_s=600))  # noqa: B023
                cpu[with_print].append(seconds)
                wall[with_print].append(wall_s)
                if with_print:
                    started = time.process_time()
                    fingerprint_of(str(path), str(out / "fingerprint.gray"))
                    hashing.append(time.process_time() - started)
        without, with_ = statistics.median(cpu[False]), statistics.median(cpu[True])
        hashed = statistics.median(hashing)
        print(
            f"| {name} | {without:.1f} | {with_:.1f} | {hashed:.2f} | {(with_ + hashed) / without:.3f} | "
            f"{statistics.median(wall[False]):.1f} / {statistics.median(wall[True]):.1f} |"
        )


def make_hd(path: Path, source: str) -> Path:
    return generate(
        path,
        "-f",
        "lavfi",
        "-i",
        f"{source},trim=duration=20",
        "-f",
        "lavfi",
        "-i",
        "sine=duration=20",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
    )


def children_cpu(action: Callable[[], object]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    action()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall


if __name__ == "__main__":
    main()
