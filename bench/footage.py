"""Footage benchmarks (issue 13): quality per rung, bytes per film, and what each correction costs.

`python -m bench.footage` prints the tables for docs/BENCHMARKS.md. Clips are made here, full size:
real photographs (scikit-image's sample photos) side by side, panned across at 1080p30 with film
grain (temporal noise), so the encoder has detail and motion to spend bits on.

1. VMAF (libvmaf, model vmaf_v0.6.1) of each rung against the source scaled to the rung, with the
   rung's bitrate and bytes, next to a fixed-bitrate ladder at Apple's HLS authoring bitrates;
2. pipeline processing vs a bare ffmpeg command making the same outputs, 1080p30 60 s;
3. the cost of tone mapping, deinterlacing and the loudness measurement, each as a ratio.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.media import LIMITS, ROUNDS, fresh_dir, pipeline, report, side_by_side
from chalicelib.domain.ladder import Rendition
from chalicelib.media.loudness import measure_loudness
from chalicelib.media.transcode import TranscodePlan, rendition_file, transcode, transcode_args
from chalicelib.services.transcode import plan_transcode

PHOTOS = ("astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg")
# Apple's HLS authoring specification, 16:9 at 30 fps: the bitrate for each of our rung sizes.
APPLE_FIXED_KBPS = {"1080p": 6000, "720p": 3000, "360p": 365}
VMAF_SUBSAMPLE = 5  # every 5th frame: the score of a 60 s film within a few tenths, at a fifth of the cost


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True)


def run(args: list[str]) -> None:
    subprocess.run(args, check=True)


def photo_pan(path: Path, seconds: int, size: str = "1920x1080") -> Path:
    """The photographs side by side at 1080 lines, panned across in `seconds`, with film grain; near-lossless."""
    spec = importlib.util.find_spec("skimage")
    assert spec is not None and spec.submodule_search_locations, "scikit-image (requirements-dev.txt) is needed"
    data = Path(spec.submodule_search_locations[0]) / "data"
    mosaic = path.with_name("photos.png")
    if not mosaic.exists():  # made once: decoding and scaling four photos per frame would be the slow part
        inputs = [arg for photo in PHOTOS for arg in ("-i", str(data / photo))]
        scaled = "".join(f"[{i}:v]scale=-2:1080,format=rgb24[p{i}];" for i in range(len(PHOTOS)))
        stacked = "".join(f"[p{i}]" for i in range(len(PHOTOS))) + f"hstack=inputs={len(PHOTOS)}"
        ffmpeg(*inputs, "-filter_complex", scaled + stacked, "-frames:v", "1", str(mosaic))
    width, height = size.split("x")
    pan = (
        f"loop=-1:1,fps=30,trim=duration={seconds},crop=1920:1080:x='(iw-1920)*t/{seconds}':y=0,"
        f"format=yuv420p,noise=alls=4:allf=t,scale={width}:{height}"
    )
    ffmpeg(
        "-i",
        str(mosaic),
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=300:duration={seconds}",
        "-vf",
        pan,
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        # About what a phone records at 1080p30: a source rich enough to measure against, not a 1 GB file.
        "-b:v",
        "20M",
        "-maxrate",
        "20M",
        "-bufsize",
        "40M",
        "-c:a",
        "aac",
        str(path),
    )
    return path


def hlg_version(sdr: Path, hlg: Path) -> Path:
    """`sdr` as an HDR phone would record it: HLG 10-bit HEVC, tagged BT.2020."""
    to_hlg = "zscale=tin=bt709:pin=bt709:min=170m:t=arib-std-b67:p=bt2020:m=2020_ncl:npl=203,format=yuv420p10le"
    hevc = "-c:v libx265 -preset ultrafast -x265-params log-level=error -crf 16 -c:a copy"
    tags = "-color_primaries bt2020 -color_trc arib-std-b67 -colorspace bt2020nc"
    ffmpeg("-i", str(sdr), "-vf", to_hlg, *hevc.split(), *tags.split(), str(hlg))
    return hlg


def vmaf(distorted: Path, source: Path, rendition: Rendition) -> float:
    graph = (
        f"[1:v]scale={rendition.width}:{rendition.height}:flags=bicubic,format=yuv420p,setpts=PTS-STARTPTS[ref];"
        f"[0:v]format=yuv420p,setpts=PTS-STARTPTS[dist];"
        f"[dist][ref]libvmaf=n_subsample={VMAF_SUBSAMPLE}:n_threads=2"
    )
    out = subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "info",
            "-i",
            str(distorted),
            "-i",
            str(source),
            "-lavfi",
            graph,
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(re.findall(r"VMAF score: ([\d.]+)", out.stderr)[-1])


def kbps(path: Path, seconds: float) -> float:
    return path.stat().st_size * 8 / seconds / 1000


def fixed_ladder(source: Path, out_dir: Path, plan: TranscodePlan) -> dict[str, Path]:
    """Apple's fixed bitrates for the same sizes, x264 at the same preset, constrained to the bitrate."""
    made = {}
    for rendition in plan.renditions:
        rate = APPLE_FIXED_KBPS[rendition.name]
        path = out_dir / f"fixed-{rendition.name}.mp4"
        ffmpeg(
            "-i",
            str(source),
            "-vf",
            f"scale={rendition.width}:{rendition.height}",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-b:v",
            f"{rate}k",
            "-maxrate",
            f"{rate}k",
            "-bufsize",
            f"{2 * rate}k",
            "-an",
            str(path),
        )
        made[rendition.name] = path
    return made


def quality_rows(work: Path, source: Path, seconds: int) -> None:
    plan = plan_transcode(str(source), LIMITS)
    ours = work / "ladder"
    ours.mkdir()
    transcode(str(source), str(ours), plan, timeout_s=3600)
    fixed = fixed_ladder(source, work, plan)
    print("\n| rung | ours: cap, bitrate, VMAF | Apple fixed: bitrate, VMAF |\n| --- | --- | --- |")
    ours_bytes = fixed_bytes = 0
    for rendition in plan.renditions:
        mine = ours / rendition_file(rendition)
        theirs = fixed[rendition.name]
        ours_bytes += mine.stat().st_size
        fixed_bytes += theirs.stat().st_size
        print(
            f"| {rendition.name} {rendition.width}x{rendition.height} | {rendition.video_kbps} kb/s cap, "
            f"{kbps(mine, seconds):.0f} kb/s (with sound), VMAF {vmaf(mine, source, rendition):.1f} | "
            f"{APPLE_FIXED_KBPS[rendition.name]} kb/s, {kbps(theirs, seconds):.0f} kb/s, "
            f"VMAF {vmaf(theirs, source, rendition):.1f} |",
            flush=True,
        )
    print(f"| whole ladder, bytes per film | {ours_bytes / 1e6:.1f} MB | {fixed_bytes / 1e6:.1f} MB (no sound) |\n")


def cost_rows(work: Path, seconds: int, rounds: int) -> None:
    """Each correction on against off, on the same `seconds` long 1080p30 photographic clip."""
    sdr = photo_pan(work / f"pan-{seconds}s.mp4", seconds)
    hlg = hlg_version(sdr, work / f"pan-{seconds}s-hlg.mov")
    interlaced = work / f"pan-{seconds}s-1080i.mp4"
    fields = "-vf tinterlace=mode=interleave_top,setfield=tff -flags +ildct+ilme"
    h264 = "-c:v libx264 -preset ultrafast -crf 14 -c:a copy"
    ffmpeg("-i", str(sdr), *fields.split(), *h264.split(), str(interlaced))
    untagged = {"color_transfer": None, "color_primaries": None, "color_space": None}
    cases = (
        ("tone mapping (HLG 10-bit HEVC source)", hlg, untagged),
        ("deinterlacing (1080i source, bwdif)", interlaced, {"field_order": "progressive"}),
    )
    for label, source, off in cases:
        plan = plan_transcode(str(source), LIMITS)
        assert plan.source.video is not None
        video = dataclasses.replace(plan.source.video, **off)
        plain = dataclasses.replace(plan, source=dataclasses.replace(plan.source, video=video))
        results = side_by_side(
            {
                "with": lambda p=plan, s=source: run(transcode_args(str(s), fresh_dir(work, "with"), p)),
                "without": lambda p=plain, s=source: run(transcode_args(str(s), fresh_dir(work, "without"), p)),
            },
            rounds,
        )
        ratio = f"{results['with']:.2f} s / {results['without']:.2f} s = {results['with'] / results['without']:.2f}"
        report((f"transcode with / without {label}, {seconds} s 1080p30", ratio, "(cost)"))


def speed_rows(work: Path, source: Path, rounds: int) -> None:
    print("| measure | result | target |\n| --- | --- | --- |", flush=True)
    plan = plan_transcode(str(source), LIMITS)
    results = side_by_side(
        {
            "pipeline": lambda: pipeline(source, fresh_dir(work, "pipeline")),
            "bare": lambda: run(transcode_args(str(source), fresh_dir(work, "bare"), plan)),
        },
        rounds,
    )
    ratio = f"{results['pipeline']:.2f} s / {results['bare']:.2f} s = {results['pipeline'] / results['bare']:.3g}"
    report(("pipeline processing / bare ffmpeg command (60 s 1080p30 photographs + audio, 3 rungs)", ratio, "<= 1.10"))
    assert plan.source.audio_index is not None
    started = time.perf_counter()
    measure_loudness(str(source), plan.source.audio_index, plan.max_duration_s, 600)
    measured = time.perf_counter() - started
    share = f"{measured:.2f} s / {results['bare']:.2f} s = {measured / results['bare']:.3f}"
    report(("loudness measurement pass / bare transcode (60 s 1080p30)", share, "(cost)"))


def main() -> None:
    """`python -m bench.footage [quality|speed|cost] [ROUNDS] [seconds=N]`: all three by default, ROUNDS as in
    bench.media, N seconds of source for the quality rows (60 by default; the speed rows always take 60)."""
    words = sys.argv[1:]
    parts = [word for word in words if word.isalpha()] or ["quality", "speed", "cost"]
    rounds = next((int(word) for word in words if word.isdigit()), ROUNDS)
    seconds = next((int(word.split("=")[1]) for word in words if word.startswith("seconds=")), 60)
    work = Path(tempfile.mkdtemp(prefix="omjr-footage-"))
    print(f"clips and outputs in {work}", flush=True)
    if "quality" in parts:
        quality_rows(work, photo_pan(work / f"pan-{seconds}s-1080p30.mp4", seconds), seconds)
    if "speed" in parts:
        speed_rows(work, photo_pan(work / "pan-60s-1080p30.mp4", 60), rounds)
    if "cost" in parts:
        cost_rows(work, 10, rounds)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
