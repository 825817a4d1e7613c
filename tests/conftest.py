"""Shared fixtures: tiny films made with ffmpeg itself, once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from local.clips import make_clip
from local.toolchain import use_layer_ffmpeg


def pytest_configure(config: pytest.Config) -> None:
    """Every test that runs ffmpeg runs the Lambda layer's build (never the machine's own 5.1, say)."""
    use_layer_ffmpeg(required=False)


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    not_video = folder / "notes.mp4"
    not_video.write_text("These are the workshop notes, not a film.\n" * 50)
    return {
        "valid": make_clip(folder / "valid.mp4", 60, width=160, height=120, fps=2),
        "hd": make_clip(folder / "hd.mp4", 60, width=1280, height=720, fps=1),
        "silent": make_clip(folder / "silent.mp4", 60, width=160, height=120, fps=2, audio=False),
        "not_video": not_video,
    }
