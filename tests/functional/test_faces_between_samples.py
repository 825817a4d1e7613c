"""Faces that one sample every quarter second can step over: a face after a cut shown for less than the
interval (1 frame, 3 frames, 0.2 s; and 0.5 s), and faces lying on their side, small ones that the model
finds on some samples and misses on others included. Each is blurred on every frame of every rendition.

Real photographs, real ffmpeg and the real detector, through the protection stage's own steps: the
regions (services/face_regions.py, as the stage finds them), the protected master, then the transcode
of the master, which makes every rendition. Judged without the detector: the clips know each face's
true box on every frame (face_clips.py). On every frame that shows a face, the regions cover its box
and, in every rendition, the face has lost its detail (SSIM to the source's face below 0.5, as in
test_face_protection.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from skimage.metrics import structural_similarity

from chalicelib.domain.faces import BlurRegion
from chalicelib.domain.rules import ValidationLimits
from chalicelib.faces.centerface import CenterFaceDetector
from chalicelib.media.frames import SampledFrames
from chalicelib.media.protect import make_protected_master
from chalicelib.media.transcode import transcode
from chalicelib.services.face_regions import DETECTION_INTERVAL_S, find_blur_regions
from chalicelib.services.transcode import plan_transcode
from tests.functional.face_clips import (
    FLASHES,
    HEIGHT,
    WIDTH,
    FaceClip,
    Flash,
    decode,
    make_flash_clip,
    make_hard_lying_clip,
    make_lying_clip,
)
from tests.functional.test_face_protection import active, crop, detector  # noqa: F401 (a fixture)

BLURRED_SSIM = 0.5
LIMITS = ValidationLimits(min_duration_s=0.5, max_duration_s=10.0)


def protect(clip: FaceClip, model: CenterFaceDetector, folder: Path) -> tuple[list[BlurRegion], dict[str, list]]:
    """The regions the stage finds, and every rendition made from the protected master, decoded."""
    duration_s = len(clip.faces) / clip.fps
    regions = find_blur_regions(str(clip.path), model, width=WIDTH, height=HEIGHT, duration_s=duration_s, timeout_s=120)
    master = make_protected_master(
        str(clip.path),
        folder / "protected.mkv",
        regions,
        width=WIDTH,
        height=HEIGHT,
        voice=None,
        audio=False,
        duration_s=len(clip.faces) / clip.fps,
        timeout_s=120,
    )
    (folder / "out").mkdir()
    outputs = transcode(str(master), str(folder / "out"), plan_transcode(str(master), LIMITS), timeout_s=120)
    renditions = {name: decode(Path(path)) for name, path in outputs.renditions.items()}
    assert renditions and all(len(frames) == len(clip.faces) for frames in renditions.values())
    return regions, renditions


def bare(clip: FaceClip, regions: list[BlurRegion], renditions: dict[str, list], frames: range) -> list[str]:
    """The frames among `frames` that show a face outside every region, or a face that keeps its detail."""
    source = decode(clip.path)
    found = []
    for index in frames:
        time_s = clip.frame_times[index]
        for face in clip.faces[index]:
            if not any(box.contains(face) for box in active(regions, time_s)):
                found.append(f"frame {index}: no region over the face")
            for name, rendition in renditions.items():
                similarity = structural_similarity(
                    crop(source[index], face), crop(rendition[index], face), data_range=1.0
                )
                if similarity >= BLURRED_SSIM:
                    found.append(f"frame {index}, {name}: the face keeps its detail (SSIM {similarity:.2f})")
    return found


def flashes_protected(
    folder: Path,
    model: CenterFaceDetector,
    lying: bool,
    flashes: tuple[Flash, ...] = FLASHES,
    inside_shot: bool = False,
) -> tuple:
    clip, flashes = make_flash_clip(folder, lying, flashes, inside_shot)
    # Where one sample every quarter second falls on this clip (what protection looked at before).
    interval = SampledFrames(
        str(clip.path), width=WIDTH, height=HEIGHT, max_width=WIDTH, timeout_s=60, interval_s=DETECTION_INTERVAL_S
    )
    list(interval)
    sampled = {round(time_s * clip.fps) for time_s in interval.times_s}
    return clip, {flash.name: flash for flash in flashes}, sampled, *protect(clip, model, folder)


@pytest.fixture(scope="module")
def flashes(tmp_path_factory: pytest.TempPathFactory, detector: CenterFaceDetector):  # noqa: F811
    return flashes_protected(tmp_path_factory.mktemp("flashes"), detector, lying=False)


def assert_flash_blurred(flashes: tuple, name: str) -> None:
    clip, by_name, sampled, regions, renditions = flashes
    flash: Flash = by_name[name]
    if flash.frames / clip.fps < DETECTION_INTERVAL_S:
        assert not sampled & set(flash.indices), "the shot falls between two of the interval's samples"
    assert all(clip.faces[index] for index in flash.indices)
    assert bare(clip, regions, renditions, flash.indices) == []


@pytest.mark.parametrize("name", ["1 frame", "3 frames", "0.2 s", "0.5 s"])
def test_a_face_after_a_cut_is_blurred_on_every_frame_of_every_rendition_however_short_the_shot(flashes, name) -> None:
    assert_flash_blurred(flashes, name)


@pytest.fixture(scope="module")
def flashes_in_shot(tmp_path_factory: pytest.TempPathFactory, detector: CenterFaceDetector):  # noqa: F811
    return flashes_protected(tmp_path_factory.mktemp("flashes-in-shot"), detector, lying=False, inside_shot=True)


@pytest.mark.parametrize("name", ["1 frame", "3 frames", "0.2 s", "0.5 s"])
def test_a_face_that_appears_inside_a_shot_is_blurred_on_every_frame_of_every_rendition_however_briefly(
    flashes_in_shot, name
) -> None:
    clip, by_name, *_ = flashes_in_shot
    first = by_name[name].first
    assert clip.faces[first] and not clip.faces[first - 1], "the face appears over the shot's own picture"
    assert_flash_blurred(flashes_in_shot, name)


# The three shorter than the interval (a 0.5 s shot holds two samples of the interval, turned looks included).
SHORT_FLASHES = FLASHES[:3]


@pytest.mark.parametrize("flash", SHORT_FLASHES, ids=[flash.name for flash in SHORT_FLASHES])
def test_faces_lying_on_their_side_after_a_cut_are_blurred_on_every_frame_however_short_the_shot(
    tmp_path,
    detector,  # noqa: F811
    flash: Flash,
) -> None:
    # One flash per film: faces shown again at the same place within a few seconds are held along their
    # track from one flash to the next.
    assert_flash_blurred(flashes_protected(tmp_path, detector, lying=True, flashes=(flash,)), flash.name)


def test_faces_lying_on_their_side_are_blurred_on_every_frame_of_every_rendition(tmp_path, detector) -> None:  # noqa: F811
    clip = make_lying_clip(tmp_path)
    assert all(len(faces) == 6 for faces in clip.faces)
    regions, renditions = protect(clip, detector, tmp_path)
    assert bare(clip, regions, renditions, range(len(clip.faces))) == []


def test_small_faces_lying_on_their_side_that_the_model_misses_on_some_samples_are_blurred_on_every_frame(
    tmp_path,
    detector,  # noqa: F811
) -> None:
    clip = make_hard_lying_clip(tmp_path)
    regions, renditions = protect(clip, detector, tmp_path)
    assert bare(clip, regions, renditions, range(len(clip.faces))) == []
