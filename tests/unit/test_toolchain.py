"""Local runs and tests refuse any ffmpeg but the Lambda layer's build (Debian 12's 5.1, for one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chalicelib.media import toolchain


@pytest.mark.parametrize(
    ("version", "accepted"),
    [("6.0-static", True), ("6.0", True), ("6.0.1", True), ("5.1.9-0+deb12u1", False), ("6.1", False), (None, False)],
)
def test_only_the_layers_version_is_accepted(version, accepted):
    assert toolchain.is_required_version(version) is accepted


def fake_tools(folder: Path, version: str) -> None:
    for tool in ("ffmpeg", "ffprobe"):
        script = folder / tool
        script.write_text(f"#!/bin/sh\necho '{tool} version {version} Copyright (c) the FFmpeg developers'\n")
        script.chmod(0o755)


def test_debians_ffmpeg_on_path_is_refused_with_what_to_do(tmp_path, monkeypatch):
    fake_tools(tmp_path, "5.1.9-0+deb12u1")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(toolchain.WrongFfmpegError) as refused:
        toolchain.check()
    assert "ffmpeg 6.0 is needed" in str(refused.value)
    assert "5.1.9" in str(refused.value)
    assert "make test" in str(refused.value)


def test_a_missing_ffmpeg_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(toolchain.WrongFfmpegError, match="was not found"):
        toolchain.check()


def test_the_layers_build_passes(tmp_path, monkeypatch):
    fake_tools(tmp_path, "6.0-static")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert toolchain.check() == {"ffmpeg": "6.0-static", "ffprobe": "6.0-static"}
