"""What HLS packaging costs the transcode (issue 29): a 60 s 1080p30 HDR film (HLG 10-bit HEVC, the heaviest
path: tone mapping and three encoded rungs), transcoded as today's main made it (progressive `+faststart`
MP4s, the encoder's own keyframes) and as it is now (fragmented MP4s with keyframes forced at the segment
starts, then the playlists from ffprobe's reading of each rung), against the function's 900 s.

`python -m bench.hls [ROUNDS]` prints the rows for docs/BENCHMARKS.md (one round by default: one such
transcode takes minutes on a shared machine).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.footage import hlg_version, photo_pan
from bench.media import LIMITS, fresh_dir, report
from chalicelib.media.fragments import source_keyframes
from chalicelib.media.runner import run
from chalicelib.media.transcode import FRAGMENTED, TranscodePlan, transcode, transcode_args
from chalicelib.services.hls_packaging import write_playlists
from chalicelib.services.transcode import plan_transcode

LAMBDA_TIMEOUT_S = 900.0


def todays_args(source: Path, out_dir: str, plan: TranscodePlan) -> list[str]:
    """The same command without what HLS adds: progressive MP4s, no forced keyframes."""
    args = transcode_args(str(source), out_dir, plan)
    kept: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "-force_key_frames":
            skip = True
        else:
            kept.append("+faststart" if arg == FRAGMENTED else arg)
    return kept


def sizes(out_dir: str, suffixes: tuple[str, ...]) -> dict[str, int]:
    names = [name for name in os.listdir(out_dir) if name.endswith(suffixes)]
    return {name: os.path.getsize(os.path.join(out_dir, name)) for name in names}


def main() -> None:
    rounds = int(sys.argv[1]) if sys.argv[1:] else 1
    work = Path(tempfile.mkdtemp(prefix="omjr-hls-"))
    print(f"clips and outputs in {work}", flush=True)
    source = hlg_version(photo_pan(work / "pan-60s.mp4", 60), work / "pan-60s-hlg.mov")
    started = time.perf_counter()
    plan = plan_transcode(str(source), LIMITS)
    planned = time.perf_counter() - started
    started = time.perf_counter()
    assert plan.source.video is not None
    source_keyframes(str(source), plan.source.video.index)
    keyframes_s = time.perf_counter() - started
    times: dict[str, list[float]] = {"hls": [], "today": [], "playlists": []}
    for _ in range(rounds):
        hls_dir = fresh_dir(work, "hls")
        started = time.perf_counter()
        outputs = transcode(str(source), hls_dir, plan, timeout_s=3600)
        times["hls"].append(time.perf_counter() - started)
        started = time.perf_counter()
        write_playlists(hls_dir, plan, outputs, plan.picture_duration_s)
        times["playlists"].append(time.perf_counter() - started)
        today_dir = fresh_dir(work, "today")
        started = time.perf_counter()
        run(todays_args(source, today_dir, plan), 3600)
        times["today"].append(time.perf_counter() - started)
        print(f"round: {times}", flush=True)
    best = {name: min(values) for name, values in times.items()}
    hls_total = best["hls"] + best["playlists"] + keyframes_s
    report(("transcode of a 60 s 1080p30 HDR film, today (faststart MP4s)", f"{best['today']:.1f} s", "< 900 s"))
    report(
        (
            "the same with HLS: fragmented MP4s, forced keyframes + source keyframes probe + playlists",
            f"{best['hls']:.1f} s + {keyframes_s:.2f} s + {best['playlists']:.2f} s = {hls_total:.1f} s "
            f"({hls_total / LAMBDA_TIMEOUT_S:.0%} of 900 s)",
            "< 900 s",
        )
    )
    extra = f"{hls_total - best['today']:+.1f} s ({hls_total / best['today'] - 1:+.1%})"
    report(("extra time for HLS", extra, "(cost)"))
    report(("plan (probe, loudness pass, source keyframes)", f"{planned:.2f} s", "(for reference)"))
    today, hls = sizes(today_dir, (".mp4",)), sizes(hls_dir, (".mp4", ".m3u8"))
    for name in sorted(today, key=lambda n: -today[n]):
        change = hls[name] / today[name] - 1
        report((f"bytes of {name}: today / fragmented", f"{today[name]:,} / {hls[name]:,} ({change:+.2%})", "(cost)"))
    playlists = sum(size for name, size in hls.items() if name.endswith(".m3u8"))
    total_today, total_hls = sum(today.values()), sum(hls.values())
    report(
        (
            "bytes of the whole ladder: today / with HLS (playlists included)",
            f"{total_today:,} / {total_hls:,} ({total_hls / total_today - 1:+.2%}; playlists {playlists:,})",
            "(cost)",
        )
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
