"""Faces are blurred on every frame, and nothing else is touched: real photographs, real ffmpeg.

The pipeline finds faces with CenterFace (onnxruntime) on every third frame and blurs held regions
with ffmpeg. The proof uses an INDEPENDENT detector, scikit-image's LBP frontal-face cascade, plus
the clips' true face boxes (face_clips.py knows where the photograph is on each frame):
- on every frame, the regions cover the true face box;
- where the cascade finds the face in the source, it finds nothing there in the output, and the
  face's detail is gone (its SSIM to the source's face falls far);
- outside the regions the picture is what the same encode without a blur gives (SSIM).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from skimage.color import rgb2gray
from skimage.data import lbp_frontal_face_cascade_filename
from skimage.feature import Cascade
from skimage.metrics import structural_similarity

from chalicelib.domain.faces import BlurRegion, Box
from chalicelib.faces.centerface import LOCAL_MODEL_PATH, CenterFaceDetector
from chalicelib.media.faceblur import blur_to_file
from chalicelib.services.face_regions import find_blur_regions
from tests.functional.face_clips import HEIGHT, LAYOUTS, SECONDS, WIDTH, FaceClip, decode, make_face_clip

Protected = tuple[FaceClip, list[BlurRegion], list, list, list]
ROOT = Path(__file__).resolve().parents[2]
CASCADE_MIN_FACE_PX = 24
EDGE_PX = 12  # below this the cascade cannot see a face at all, blurred or not


@pytest.fixture(scope="session")
def detector() -> CenterFaceDetector:
    if not LOCAL_MODEL_PATH.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "layers/protect/build.py"), "--model", str(LOCAL_MODEL_PATH)], check=True
        )
    return CenterFaceDetector(threads=2)


@pytest.fixture(scope="session")
def cascade() -> Cascade:
    return Cascade(lbp_frontal_face_cascade_filename())


def active(regions: list[BlurRegion], time_s: float) -> list[Box]:
    return [r.box for r in regions if r.start_s - 1e-6 <= time_s <= r.end_s + 1e-6]


def cascade_faces(cascade: Cascade, frame: np.ndarray, around: Box) -> list[dict[str, int]]:
    """The cascade's faces in a window around `around` (twice its size), where a face was."""
    margin_x, margin_y = around.width / 2, around.height / 2
    x1, y1 = max(0, int(around.x1 - margin_x)), max(0, int(around.y1 - margin_y))
    x2, y2 = min(WIDTH, int(around.x2 + margin_x)), min(HEIGHT, int(around.y2 + margin_y))
    size = int(max(around.width, around.height))
    return cascade.detect_multi_scale(
        img=frame[y1:y2, x1:x2] / 255.0,
        scale_factor=1.1,
        step_ratio=1,
        min_size=(max(16, size // 2), max(16, size // 2)),
        max_size=(size * 2, size * 2),
    )


def crop(frame: np.ndarray, box: Box) -> np.ndarray:
    return rgb2gray(frame[int(box.y1) : int(box.y2), int(box.x1) : int(box.x2)])


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def protected(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, detector: CenterFaceDetector):
    folder = tmp_path_factory.mktemp(request.param)
    clip = make_face_clip(request.param, folder)
    regions = find_blur_regions(str(clip.path), detector, width=WIDTH, height=HEIGHT, duration_s=SECONDS, timeout_s=120)
    output = folder / "protected.mp4"
    blur_to_file(str(clip.path), output, regions, width=WIDTH, height=HEIGHT, timeout_s=120)
    # The same encode with nothing blurred: what the output is compared with outside the regions, so
    # that the encoder's own losses are not counted as changes.
    unblurred = folder / "unblurred.mp4"
    blur_to_file(str(clip.path), unblurred, [], width=WIDTH, height=HEIGHT, timeout_s=120)
    return clip, regions, decode(clip.path), decode(output), decode(unblurred)


def test_every_frame_has_its_faces_inside_a_region(protected: Protected) -> None:
    clip, regions, *_ = protected
    for time_s, faces in zip(clip.frame_times, clip.faces, strict=True):
        boxes = active(regions, time_s)
        for face in faces:
            assert any(box.contains(face) for box in boxes), f"{clip.path.stem}: face {face} bare at {time_s:.2f} s"


def test_the_independent_detector_finds_no_face_where_the_source_had_one(
    protected: Protected, cascade: Cascade
) -> None:
    clip, _, source, output, _ = protected
    seen_in_source = 0
    for index in range(0, len(source), 2):
        for face in clip.faces[index]:
            if min(face.width, face.height) < CASCADE_MIN_FACE_PX:
                continue
            if cascade_faces(cascade, source[index], face):
                seen_in_source += 1
                assert not cascade_faces(cascade, output[index], face), f"{clip.path.stem}: face found on frame {index}"
            similarity = structural_similarity(crop(source[index], face), crop(output[index], face), data_range=1.0)
            assert similarity < 0.5, (
                f"{clip.path.stem}: frame {index}, the face keeps its detail (SSIM {similarity:.2f})"
            )
    large_faces = any(min(f.width, f.height) >= CASCADE_MIN_FACE_PX for faces in clip.faces for f in faces)
    assert seen_in_source or not large_faces, "the independent detector saw no face in the source: it proves nothing"


def test_the_rest_of_the_picture_is_unchanged(protected: Protected) -> None:
    clip, regions, _, output, unblurred = protected
    for index in range(0, len(output), 3):
        outside = np.ones((HEIGHT, WIDTH), dtype=bool)
        for box in active(regions, clip.frame_times[index]):
            # A few pixels more: the SSIM window and the encoder's blocks straddle the region's edge.
            pad = EDGE_PX
            outside[max(0, int(box.y1) - pad) : int(box.y2) + pad, max(0, int(box.x1) - pad) : int(box.x2) + pad] = (
                False
            )
        _, similarity_map = structural_similarity(
            rgb2gray(unblurred[index]), rgb2gray(output[index]), data_range=1.0, full=True
        )
        assert similarity_map[outside].mean() > 0.98, f"{clip.path.stem}: frame {index} changed outside the faces"


def test_boxes_found_on_a_picture_scaled_down_for_detection_land_on_the_faces(tmp_path, detector) -> None:
    clip = make_face_clip("two_faces", tmp_path)
    regions = find_blur_regions(
        str(clip.path), detector, width=WIDTH, height=HEIGHT, duration_s=SECONDS, timeout_s=120, max_width=240
    )
    for time_s, faces in zip(clip.frame_times, clip.faces, strict=True):
        for face in faces:
            assert any(box.contains(face) for box in active(regions, time_s)), f"face {face} bare at {time_s:.2f} s"
