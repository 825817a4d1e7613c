"""Media benchmarks, measured side by side in one run. `make bench` prints the table for docs/BENCHMARKS.md.

1. pipeline processing (validate + transcode + images, no S3) vs the bare ffmpeg command it runs;
2. one decode feeding every output vs one ffmpeg command per output;
3. a web-ready source: passthrough (remux) vs re-encode, for the top rendition and for the whole transcode;
4. validation of a ~500 MB upload through a presigned URL on moto's server: time and bytes read;
5. peak memory of the handler process (not ffmpeg) validating and transcoding a ~1 GB upload.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.storage import large_upload_rows
from chalicelib.domain.rules import ValidationLimits, check_source
from chalicelib.media.probe import probe
from chalicelib.media.transcode import TranscodePlan, images_args, rendition_args, transcode, transcode_args
from chalicelib.services.transcode import plan_transcode
from local.clips import generate

LIMITS = ValidationLimits()
ROUNDS = 3


def make_clip(path: Path, video_bitrate: str, noise: bool = False, preset: str = "ultrafast") -> Path:
    """60 s of 1280x720 30 fps video with audio; `noise` makes it incompressible (large uploads). Only a
    preset that uses CABAC and 8x8 transforms (veryfast, not ultrafast) makes H.264 High, which a remux needs."""
    filters = ["-vf", "noise=alls=40:allf=t"] if noise else []
    rate = ["-b:v", video_bitrate, "-maxrate", video_bitrate, "-bufsize", video_bitrate]
    return generate(
        path,
        *("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=60"),
        *("-f", "lavfi", "-i", "sine=frequency=440:duration=60"),
        *filters,
        *("-c:v", "libx264", "-preset", preset, *rate, "-pix_fmt", "yuv420p", "-c:a", "aac"),
    )


def side_by_side(actions: dict[str, Callable[[], object]], rounds: int = ROUNDS) -> dict[str, float]:
    """Median wall time of each action over `rounds`, interleaved so a noisy neighbour hurts all alike."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(rounds):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def fresh_dir(base: Path, name: str) -> str:
    folder = base / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return str(folder)


def ffmpeg(args: list[str]) -> None:
    subprocess.run(args, check=True)


def pipeline(source: Path, out_dir: str) -> None:
    """What the two handlers do between S3 transfers: probe, rules, plan, transcode, confirm the length."""
    probed = probe(str(source), source.stat().st_size)
    assert check_source(probed.source, LIMITS) is None
    plan = plan_transcode(str(source), LIMITS)
    outputs = transcode(str(source), out_dir, plan, timeout_s=600)
    top = next(iter(outputs.renditions.values()))
    assert probe(top, os.path.getsize(top)).source.duration_s


def per_output_commands(source: Path, out_dir: str, plan: TranscodePlan) -> None:
    """The same outputs with one ffmpeg command, and so one decode, each."""
    for rendition in plan.renditions:
        ffmpeg(rendition_args(str(source), out_dir, plan, rendition))
    ffmpeg(images_args(str(source), out_dir, plan))


def ratio_row(measure: str, slow: float, fast: float, target: str) -> tuple[str, str, str]:
    return report((measure, f"{slow:.2f} s / {fast:.2f} s = {slow / fast:.3g}", target))


def report(row: tuple[str, str, str]) -> tuple[str, str, str]:
    print(f"| {' | '.join(row)} |", flush=True)
    return row


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="omjr-bench-"))
    print(f"clips and outputs in {work}", flush=True)
    print("| measure | result | target |\n| --- | --- | --- |", flush=True)
    if sys.argv[1:] == ["storage"]:  # only the large-upload measures
        for row in large_upload_rows(work, make_clip):
            report(row)
        return
    heavy = make_clip(work / "hd-6mbps.mp4", "6M")  # not web-ready (bitrate): the full re-encode path
    web_ready = make_clip(work / "hd-2mbps.mp4", "2M", preset="veryfast")

    plan = plan_transcode(str(heavy), LIMITS)
    assert not plan.renditions[0].passthrough
    results = side_by_side(
        {
            "pipeline": lambda: pipeline(heavy, fresh_dir(work, "pipeline")),
            "bare": lambda: ffmpeg(transcode_args(str(heavy), fresh_dir(work, "bare"), plan)),
            "per_output": lambda: per_output_commands(heavy, fresh_dir(work, "per-output"), plan),
        }
    )
    ratio_row(
        "pipeline processing / bare ffmpeg command (60 s 720p30 + audio, re-encode)",
        results["pipeline"],
        results["bare"],
        "<= 1.10",
    )
    ratio_row(
        "one command per output / one decode for all outputs",
        results["per_output"],
        results["bare"],
        "> 1 keeps the single decode",
    )

    ready = plan_transcode(str(web_ready), LIMITS)
    assert ready.renditions[0].passthrough, "the 2 Mb/s clip should be web-ready"
    top = ready.renditions[0]
    encoded_top = dataclasses.replace(top, passthrough=False)
    encoded_plan = dataclasses.replace(ready, renditions=[encoded_top, *ready.renditions[1:]])
    results = side_by_side(
        {
            "remux": lambda: ffmpeg(rendition_args(str(web_ready), fresh_dir(work, "remux"), ready, top)),
            "encode": lambda: ffmpeg(rendition_args(str(web_ready), fresh_dir(work, "encode"), ready, encoded_top)),
            "whole_passthrough": lambda: transcode(str(web_ready), fresh_dir(work, "wp"), ready, timeout_s=600),
            "whole_encode": lambda: transcode(str(web_ready), fresh_dir(work, "we"), encoded_plan, timeout_s=600),
        }
    )
    ratio_row(
        "top rendition of a web-ready source: re-encode / passthrough", results["encode"], results["remux"], ">= 10"
    )
    ratio_row(
        "whole transcode of that source (+360p, sprite, poster): re-encode / passthrough",
        results["whole_encode"],
        results["whole_passthrough"],
        "(for reference)",
    )

    for row in large_upload_rows(work, make_clip):
        report(row)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
