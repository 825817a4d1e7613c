"""ffmpeg's raw frames read as they come (media/runner.FrameStream): whole frames, a deadline, errors."""

from __future__ import annotations

import pytest

from chalicelib.media.runner import FrameStream, MediaTimeoutError, ToolFailedError

FRAME = 64 * 48 * 3


def lavfi(seconds: float, rate: int = 10) -> list[str]:
    source = f"testsrc=size=64x48:rate={rate}:duration={seconds}"
    return [
        "ffmpeg",
        "-nostdin",
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        source,
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "pipe:1",
    ]


def test_every_frame_arrives_whole() -> None:
    assert [len(chunk) for chunk in FrameStream(lavfi(1), FRAME, timeout_s=60)] == [FRAME] * 10


def test_a_stream_past_its_deadline_is_stopped() -> None:
    endless = lavfi(100_000, rate=1000)
    with pytest.raises(MediaTimeoutError):
        for _ in FrameStream(endless, FRAME, timeout_s=0.5):
            pass


def test_a_failing_ffmpeg_is_reported_with_its_words() -> None:
    broken = ["ffmpeg", "-nostdin", "-v", "error", "-i", "/nonexistent.mp4", "-f", "rawvideo", "pipe:1"]
    with pytest.raises(ToolFailedError) as failed:
        list(FrameStream(broken, FRAME, timeout_s=30))
    assert "nonexistent" in failed.value.stderr


def test_only_ffmpeg_with_nostdin_is_started() -> None:
    with pytest.raises(ValueError):
        FrameStream(["ffprobe", "x"], FRAME, timeout_s=1)
    with pytest.raises(ValueError):
        FrameStream(["ffmpeg", "-i", "x"], FRAME, timeout_s=1)
