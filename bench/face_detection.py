"""Face detectors side by side: recall on small and turned faces, and speed. Figures for docs/FACE_DETECTION.md.

    python -m bench.face_detection                  # CenterFace on onnxruntime and scikit-image's cascade
    PYTHONPATH=/tmp/cvlib python -m bench.face_detection   # with opencv-python-headless there: OpenCV dnn too

Faces: scikit-image's real photographs, no download. `lfw_subset` holds 100 tightly cropped 25x25
faces from Labeled Faces in the Wild (varied poses and lighting): tiled on a canvas at several
sizes, they measure recall on small faces. The astronaut, rolled by 0-75 degrees, measures turned
faces. A face counts as found when a detection's centre falls inside its true box. Speed: one
1280x720 frame, median of several runs, on 2 threads.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from skimage.data import astronaut, lbp_frontal_face_cascade_filename, lfw_subset
from skimage.transform import resize, rotate

from chalicelib.domain.faces import Box
from chalicelib.faces.centerface import CenterFaceDetector, decode, default_model_path

Detector = Callable[[np.ndarray], list[Box]]
FACE_SIZES = (12, 16, 20, 25, 32, 48)
ROLLS = (0, 15, 30, 45, 60, 75)
ASTRONAUT_FACE = Box(178, 55, 272, 182)
ROUNDS = 5


def small_faces_canvas(size: int) -> tuple[np.ndarray, list[Box]]:
    """The 100 LFW faces, each `size` pixels square, on a grey 1280-wide canvas, well apart."""
    faces = lfw_subset()[:100]
    cell = max(3 * size, 40)
    per_row = 1280 // cell
    rows = -(-len(faces) // per_row)
    canvas = np.full((rows * cell, per_row * cell, 3), 128, dtype=np.uint8)
    truth = []
    for index, face in enumerate(faces):
        y, x = (index // per_row) * cell + size, (index % per_row) * cell + size
        pixels = (resize(face, (size, size), anti_aliasing=True) * 255).astype(np.uint8)
        canvas[y : y + size, x : x + size] = pixels[..., None]
        truth.append(Box(x, y, x + size, y + size))
    return canvas, truth


def rolled_astronaut(degrees: float) -> tuple[np.ndarray, list[Box]]:
    """The astronaut rolled about her face's centre (so the face stays where it was)."""
    cx, cy = ASTRONAUT_FACE.centre
    image = rotate(astronaut(), degrees, center=(cx, cy), mode="edge", preserve_range=True).astype(np.uint8)
    half = max(ASTRONAUT_FACE.width, ASTRONAUT_FACE.height) / 2
    return image, [Box(cx - half, cy - half, cx + half, cy + half)]


def recall(detector: Detector, image: np.ndarray, truth: list[Box]) -> float:
    found = detector(image)
    hits = sum(any(t.x1 <= b.centre[0] <= t.x2 and t.y1 <= b.centre[1] <= t.y2 for b in found) for t in truth)
    return hits / len(truth)


def seconds_per_frame(detector: Detector) -> float:
    frame = (resize(astronaut(), (720, 1280), anti_aliasing=True) * 255).astype(np.uint8)
    detector(frame)
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        detector(frame)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def onnxruntime_detector() -> Detector:
    return CenterFaceDetector(threads=2).detect


def opencv_dnn_detector() -> Detector | None:
    """The same CenterFace model through OpenCV's dnn module (opencv-python-headless), if importable."""
    try:
        import cv2
    except ImportError:
        return None
    cv2.setNumThreads(2)
    net = cv2.dnn.readNetFromONNX(str(default_model_path()))

    def detect(frame: np.ndarray) -> list[Box]:
        height, width = frame.shape[:2]
        padded = np.zeros((-(-height // 32) * 32, -(-width // 32) * 32, 3), dtype=np.uint8)
        padded[:height, :width] = frame
        net.setInput(cv2.dnn.blobFromImage(padded, 1.0, swapRB=False))
        heatmap, scale, offset, _ = net.forward(["537", "538", "539", "540"])
        return decode(heatmap[0, 0], scale[0], offset[0], threshold=0.2, width=width, height=height)

    return detect


def cascade_detector() -> Detector:
    from skimage.feature import Cascade

    cascade = Cascade(lbp_frontal_face_cascade_filename())

    def detect(frame: np.ndarray) -> list[Box]:
        found: list[dict[str, Any]] = cascade.detect_multi_scale(
            img=frame / 255.0, scale_factor=1.2, step_ratio=1, min_size=(12, 12), max_size=(300, 300)
        )
        return [Box(f["c"], f["r"], f["c"] + f["width"], f["r"] + f["height"]) for f in found]

    return detect


def main() -> None:
    detectors: dict[str, Detector | None] = {
        "CenterFace, onnxruntime": onnxruntime_detector(),
        "CenterFace, OpenCV dnn": opencv_dnn_detector(),
        "LBP cascade, scikit-image": cascade_detector(),
    }
    small = {size: small_faces_canvas(size) for size in FACE_SIZES}
    rolled = {degrees: rolled_astronaut(degrees) for degrees in ROLLS}
    print(
        "| detector | "
        + " | ".join(f"{s} px" for s in FACE_SIZES)
        + " | "
        + " | ".join(f"roll {d}°" for d in ROLLS)
        + " | ms per 1280x720 frame (2 threads) |"
    )
    print("| --- " * (2 + len(FACE_SIZES) + len(ROLLS)) + "|")
    for name, detector in detectors.items():
        if detector is None:
            print(f"| {name} | not installed |")
            continue
        small_recall = [f"{recall(detector, *small[size]):.0%}" for size in FACE_SIZES]
        roll_recall = [f"{recall(detector, *rolled[degrees]):.0%}" for degrees in ROLLS]
        speed = seconds_per_frame(detector) * 1000
        print(f"| {name} | " + " | ".join(small_recall + roll_recall) + f" | {speed:.0f} |", flush=True)


if __name__ == "__main__":
    main()
