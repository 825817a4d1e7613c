"""The blur's boxes are shared in time (media/faceblur.py): one `drawbox` moves from region to region as
each starts. What a facilitator's film depends on: every region is blurred on every frame it spans, the
first and the last included, even when the next region takes over the same box on the very next frame
somewhere else, and nothing outside the regions is touched."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from chalicelib.domain.faces import BlurRegion, Box
from chalicelib.domain.rules import DecodeCaps
from chalicelib.media.faceblur import blur_filter, blur_to_file
from chalicelib.media.protect import make_protected_master

WIDTH, HEIGHT, FPS, FRAMES = 160, 96, 10, 12
SQUARE = 24


def _clip(folder: Path) -> Path:
    """A sharp pattern (fine stripes) on every frame: blurred, it turns flat grey."""
    path = folder / "stripes.mp4"
    stripes = "geq=lum='255*mod(floor(X/2)+floor(Y/2),2)':cb=128:cr=128"
    subprocess.run(
        [
            *["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi"],
            *["-i", f"nullsrc=s={WIDTH}x{HEIGHT}:r={FPS}:d={FRAMES / FPS},{stripes}"],
            *["-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuv420p", str(path)],
        ],
        check=True,
    )
    return path


def _frames(path: Path) -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, HEIGHT, WIDTH)


def _square(frame: int) -> Box:
    """Each frame's own place: the region of frame k sits where no other frame's does."""
    x = 8 + (frame % 6) * SQUARE
    y = 8 if frame < 6 else 56
    return Box(x, y, x + SQUARE, y + SQUARE - 8)


def _flat(patch: np.ndarray) -> bool:
    return float(patch.std()) < 20  # the stripes' own spread is about 127


def test_a_box_handed_from_region_to_region_on_consecutive_frames_blurs_each_on_its_own_frame(tmp_path: Path) -> None:
    # One region per frame, each exactly one frame long, at a place of its own: one box serves them all.
    regions = [BlurRegion(k / FPS, k / FPS, _square(k)) for k in range(FRAMES)]
    assert blur_filter(regions, WIDTH, HEIGHT, "0:v", "out").count("drawbox@") == 1
    output = tmp_path / "blurred.mp4"
    blur_to_file(str(_clip(tmp_path)), output, regions, width=WIDTH, height=HEIGHT, timeout_s=120)
    frames = _frames(output)
    assert len(frames) == FRAMES
    for k, frame in enumerate(frames):
        for j in range(FRAMES):
            box = _square(j)
            patch = frame[int(box.y1) + 2 : int(box.y2) - 2, int(box.x1) + 2 : int(box.x2) - 2]
            assert _flat(patch) == (j == k), f"frame {k}: region of frame {j} {'sharp' if j == k else 'blurred'}"


def test_regions_shown_at_once_each_get_a_box_of_their_own_and_all_are_blurred(tmp_path: Path) -> None:
    # Three overlapping regions, and a fourth after them that reuses a freed box.
    regions = [
        BlurRegion(0.0, 0.5, _square(0)),
        BlurRegion(0.2, 0.7, _square(1)),
        BlurRegion(0.3, 1.1, _square(2)),
        BlurRegion(0.6, 1.1, _square(3)),
    ]
    assert blur_filter(regions, WIDTH, HEIGHT, "0:v", "out").count("drawbox@") == 3
    output = tmp_path / "blurred.mp4"
    blur_to_file(str(_clip(tmp_path)), output, regions, width=WIDTH, height=HEIGHT, timeout_s=120)
    frames = _frames(output)
    for k, frame in enumerate(frames):
        t = k / FPS
        for region in regions:
            box = region.box
            patch = frame[int(box.y1) + 2 : int(box.y2) - 2, int(box.x1) + 2 : int(box.x2) - 2]
            shown = region.start_s - 1e-9 <= t <= region.end_s + 1e-9
            assert _flat(patch) == shown, f"{t:.1f} s: region {region} {'sharp' if shown else 'blurred'}"


@pytest.mark.parametrize("regions", [[BlurRegion(0.0, 1.1, _square(0))], []], ids=["a face", "no face"])
def test_the_protected_master_keeps_its_colours_where_no_face_is_blurred(tmp_path: Path, regions) -> None:
    # A protected film is still a colour film: only the regions change. The mask's grey, and the fingerprint's
    # read of the same decoded picture in the same run, stay their own.
    clip = tmp_path / "colours.mp4"
    subprocess.run(
        [
            *["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi"],
            *["-i", f"color=c=0xC03020:s={WIDTH}x{HEIGHT}:r={FPS}:d={FRAMES / FPS}"],
            *["-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuv420p", str(clip)],
        ],
        check=True,
    )
    output = make_protected_master(
        str(clip),
        tmp_path / "protected.mkv",
        regions,
        width=WIDTH,
        height=HEIGHT,
        voice=None,
        audio=False,
        duration_s=FRAMES / FPS,
        timeout_s=120,
        fingerprint_frames=tmp_path / "fingerprint.gray",
        caps=DecodeCaps(max_pixels=3840 * 2160, max_duration_s=62.0),  # as the protection stage cuts its input
    )
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(output), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        check=True,
        capture_output=True,
    ).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, HEIGHT, WIDTH, 3).astype(int)
    red, green, blue = (frames[:, 60:90, 100:150, channel].mean() for channel in range(3))
    assert red - green > 100 and red - blue > 100, f"the red picture came out as {red:.0f}/{green:.0f}/{blue:.0f}"
