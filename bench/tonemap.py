"""Which tone mapping: HLG and PQ versions of a photograph, converted by each candidate, against the SDR photo.

`python -m bench.tonemap` prints the table in docs/BENCHMARKS.md. The HDR clips are the test suite's
(tests/functional/footage_samples.py): the photo in linear light, its highlights pushed up to 4x SDR
white. Midtones (SDR luma 40-180, below the boosted highlights) should land where the SDR photo has
them: mean absolute RGB error, luma bias and saturation ratio. Highlights (the pixels above SDR white
in the HDR version) should keep detail: the share of them that ends up clipped (luma >= 250) and
their spread (standard deviation of luma).
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np

from chalicelib.media.picture import REFERENCE_WHITE_NITS
from tests.functional.footage_samples import above_sdr_white, hdr_photo_clip, luminance, photo

SIZE = 256
CANDIDATES = ("clip", "mobius:param=0.3", "mobius:param=0.5", "mobius:param=0.7", "reinhard:param=0.5", "hable")


def chain(operator: str, npl: int = REFERENCE_WHITE_NITS) -> str:
    return (
        f"zscale=t=linear:npl={npl},format=gbrpf32le,zscale=p=bt709,tonemap={operator}:desat=0:"
        f"peak={1000 / npl:.3f},zscale=t=bt709:m=bt709:r=tv,format=yuv420p"
    )


def decoded(path: Path, filters: str) -> np.ndarray:
    args = ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-frames:v", "1", "-vf"]
    args += [f"{filters},scale=in_color_matrix=bt709:in_range=tv,format=rgb24", "-f", "rawvideo", "-"]
    out = subprocess.run(args, capture_output=True, check=True).stdout
    return np.frombuffer(out, np.uint8).reshape(SIZE, SIZE, 3).astype(np.float64)


def row(name: str, picture: np.ndarray) -> str:
    original = photo(SIZE).astype(np.float64)
    luma = luminance(original)
    above = above_sdr_white(photo(SIZE))
    midtones = (luma > 40) & (luma < 180) & ~above
    error = np.abs(picture - original)[midtones].mean()
    bias = luminance(picture)[midtones].mean() - luma[midtones].mean()
    saturation = (picture.max(-1) - picture.min(-1))[midtones].mean()
    saturation /= (original.max(-1) - original.min(-1))[midtones].mean()
    highlights = luminance(picture)[above]
    return (
        f"| {name} | {error:.1f} | {bias:+.1f} | {saturation:.2f} | {(highlights >= 250).mean():.0%} "
        f"| {highlights.std():.1f} |"
    )


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="omjr-tonemap-"))
    print(
        "| conversion | midtones: mean abs. error (RGB, of 255) | luma bias | saturation | highlights clipped "
        "| highlight spread |\n| --- | --- | --- | --- | --- | --- |"
    )
    for kind in ("hlg", "pq"):
        clip = hdr_photo_clip(work / f"{kind}.mov", kind, seconds=1, size=SIZE)
        for operator in CANDIDATES:
            print(row(f"{kind.upper()}, {operator}", decoded(clip, chain(operator))), flush=True)
        print(row(f"{kind.upper()}, hable, SDR white at 100 cd/m2", decoded(clip, chain("hable", 100))), flush=True)


if __name__ == "__main__":
    main()
