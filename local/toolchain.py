"""The local stack and the tests run the ffmpeg the Lambda layer ships, never the machine's own."""

from __future__ import annotations

import os
import shutil
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
