"""A share image stays small enough for chat apps to show it: a grainy film's picture, which at the usual
quality makes a JPEG of several hundred kilobytes (WhatsApp shows no preview over about 300 kB), is encoded
again, coarser, until it fits the budget; an ordinary picture is left as it was made."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from chalicelib.domain.ladder import SHARE_IMAGE_HEIGHT, SHARE_IMAGE_MAX_BYTES, SHARE_IMAGE_QUALITY, SHARE_IMAGE_WIDTH
from chalicelib.media.transcode import fit_share_image


def share_image(path, source: str) -> str:
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            source.format(size=f"{SHARE_IMAGE_WIDTH}x{SHARE_IMAGE_HEIGHT}"),
            "-frames:v",
            "1",
            "-q:v",
            str(SHARE_IMAGE_QUALITY),
            str(path),
        ],
        check=True,
    )
    return str(path)


def dimensions(path: str) -> str:
    shown = ["ffprobe", "-v", "error", "-show_entries", "stream=width,height", "-of", "csv=s=x:p=0", path]
    return subprocess.run(shown, check=True, capture_output=True, text=True).stdout.strip()


def test_a_grainy_picture_is_made_small_enough_to_be_previewed(tmp_path):
    path = share_image(tmp_path / "share.jpg", "testsrc2=size={size},noise=alls=60:allf=t")
    assert os.path.getsize(path) > SHARE_IMAGE_MAX_BYTES, "the grain makes it too large at the usual quality"

    fit_share_image(path, timeout_s=60)

    assert os.path.getsize(path) <= SHARE_IMAGE_MAX_BYTES
    assert dimensions(path) == f"{SHARE_IMAGE_WIDTH}x{SHARE_IMAGE_HEIGHT}"


def test_an_ordinary_picture_is_left_as_it_was(tmp_path):
    path = share_image(tmp_path / "share.jpg", "testsrc2=size={size}")
    before = Path(path).read_bytes()

    fit_share_image(path, timeout_s=60)

    assert Path(path).read_bytes() == before
