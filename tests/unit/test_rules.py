import pytest

from chalicelib.domain.rules import ValidationLimits, check_duration, check_source
from chalicelib.domain.source import SourceDescription, VideoStream

LIMITS = ValidationLimits()
MP4 = "mov,mp4,m4a,3gp,3g2,mj2"


def source(duration_s=60.0, container=MP4, width=1280, height=720, fps=30.0, video=True, size=10_000_000, dv_base=None):
    stream = (
        VideoStream(index=0, codec="h264", width=width, height=height, frame_rate=fps, dolby_vision_base=dv_base)
        if video
        else None
    )
    return SourceDescription(
        container=container, size_bytes=size, duration_s=duration_s, video=stream, audio_codec="aac"
    )


@pytest.mark.parametrize("duration", [58.0, 60.0, 62.0])
def test_one_minute_films_pass(duration):
    assert check_source(source(duration), LIMITS) is None


@pytest.mark.parametrize("duration", [57.99, 62.01, 25.0, 3600.0])
def test_films_outside_the_window_are_rejected_with_what_was_measured(duration):
    rejection = check_source(source(duration), LIMITS)
    assert rejection is not None
    assert rejection.code == "duration_out_of_range"
    assert f"{duration:.1f} s" in rejection.reason
    assert "58 s and 62 s" in rejection.reason


@pytest.mark.parametrize("duration", [None, 0.0, -1.0])
def test_a_missing_duration_is_never_valid(duration):
    rejection = check_duration(duration, LIMITS)
    assert rejection is not None
    assert rejection.code == "duration_unknown"


def test_the_window_is_configuration():
    assert check_duration(30.0, ValidationLimits(min_duration_s=25, max_duration_s=35)) is None


def test_no_video_stream():
    assert check_source(source(video=False), LIMITS).code == "no_video_stream"


def test_containers_outside_the_allowlist():
    rejection = check_source(source(container="hls"), LIMITS)
    assert rejection.code == "unsupported_format"
    assert "hls" in rejection.reason


def test_too_large():
    assert check_source(source(size=LIMITS.max_bytes + 1), LIMITS).code == "too_large"


@pytest.mark.parametrize(("width", "height"), [(16384, 16384), (100, 80), (4097, 2160), (2160, 4097)])
def test_resolution_out_of_range(width, height):
    assert check_source(source(width=width, height=height), LIMITS).code == "resolution_out_of_range"


def test_portrait_4k_is_accepted():
    assert check_source(source(width=2160, height=3840), LIMITS) is None


def test_dolby_vision_without_a_base_layer_is_refused_with_what_to_do():
    rejection = check_source(source(dv_base=0), LIMITS)
    assert rejection.code == "unsupported_dolby_vision"
    assert "HDR10, HLG or standard" in rejection.reason


@pytest.mark.parametrize("base", [1, 2, 4])
def test_dolby_vision_with_a_base_layer_is_accepted(base):
    assert check_source(source(dv_base=base), LIMITS) is None


def test_frame_rate_out_of_range():
    rejection = check_source(source(fps=240.0), LIMITS)
    assert rejection.code == "frame_rate_out_of_range"
    assert "240" in rejection.reason


def test_a_picture_shorter_than_its_sound_is_judged_by_the_picture():
    picture = VideoStream(index=0, codec="h264", width=640, height=360, frame_rate=25.0, duration_s=45.0)
    source = SourceDescription(
        container="mov,mp4,m4a,3gp,3g2,mj2",
        size_bytes=1000,
        duration_s=45.0,
        video=picture,
        audio_codec="aac",
        container_duration_s=60.0,
    )
    rejection = check_source(source, LIMITS)
    assert rejection is not None and rejection.code == "duration_out_of_range"
    assert "picture is shorter than the sound" in rejection.reason
    assert "45.0 s" in rejection.reason and "60.0 s" in rejection.reason
