from fractions import Fraction

from chalicelib.domain.ladder import plan_renditions, plan_sprite, storyboard_vtt
from chalicelib.domain.source import SourceDescription, VideoStream

MP4 = "mov,mp4,m4a,3gp,3g2,mj2"


def video(width, height, rotation=0, codec="hevc", pixel_format="yuv420p", bit_rate=2_000_000, fps=30.0, **more):
    more = {"profile": "High", "field_order": "progressive", **more}
    return VideoStream(
        index=0,
        codec=codec,
        width=width,
        height=height,
        frame_rate=fps,
        rotation=rotation,
        pixel_format=pixel_format,
        bit_rate=bit_rate,
        **more,
    )


def source(stream, audio="aac"):
    return SourceDescription(container=MP4, size_bytes=1, duration_s=60.0, video=stream, audio_codec=audio)


def sizes(stream):
    return [(r.name, r.width, r.height) for r in plan_renditions(source(stream))]


def passthrough(stream, audio="aac"):
    return [r.passthrough for r in plan_renditions(source(stream, audio))]


def test_full_hd_source_gets_1080p_720p_and_360p():
    assert sizes(video(1920, 1080)) == [("1080p", 1920, 1080), ("720p", 1280, 720), ("360p", 640, 360)]
    assert sizes(video(3840, 2160)) == [("1080p", 1920, 1080), ("720p", 1280, 720), ("360p", 640, 360)]


def test_hd_source_gets_720p_and_360p():
    assert sizes(video(1280, 720)) == [("720p", 1280, 720), ("360p", 640, 360)]


def test_anamorphic_pal_dv_is_planned_on_its_display_size_with_square_pixels():
    # 720x576 stored; 4:3 DV has pixels 16/15 wide (768x576 seen), 16:9 DV 64/45 wide (1024x576 seen).
    assert sizes(video(720, 576, sample_aspect_ratio=Fraction(16, 15))) == [("360p", 480, 360)]
    assert sizes(video(720, 576, sample_aspect_ratio=Fraction(64, 45))) == [("360p", 640, 360)]


def test_never_upscales():
    assert sizes(video(640, 360)) == [("360p", 640, 360)]


def test_a_small_source_keeps_its_own_size_with_even_dimensions():
    # 181 rounds down to 180; the width follows the aspect ratio (321 * 180 / 181 = 319.2) down to even.
    assert sizes(video(321, 181)) == [("180p", 318, 180)]


def test_portrait_phone_video_keeps_its_orientation():
    portrait = [("1080p", 1080, 1920), ("720p", 720, 1280), ("360p", 360, 640)]
    assert sizes(video(1920, 1080, rotation=90)) == portrait
    assert sizes(video(1080, 1920)) == portrait
    assert sizes(video(1280, 720, rotation=270)) == [("720p", 720, 1280), ("360p", 360, 640)]


def test_dimensions_are_even():
    for name, width, height in sizes(video(1000, 750)):
        assert width % 2 == 0 and height % 2 == 0, name


def test_a_web_ready_source_is_remuxed_for_the_top_rendition_only():
    assert passthrough(video(1280, 720, codec="h264")) == [True, False]
    assert passthrough(video(1920, 1080, codec="h264", bit_rate=4_500_000)) == [True, False, False]
    assert passthrough(video(640, 360, codec="h264", bit_rate=700_000), audio=None) == [True]
    # The sound is re-encoded whatever it is, so it never stands in the way of a remux.
    assert passthrough(video(1280, 720, codec="h264"), audio="opus") == [True, False]
    assert passthrough(video(1280, 720, codec="h264", color_transfer="bt709", color_space="bt709")) == [True, False]


def test_anything_short_of_web_ready_is_re_encoded():
    assert passthrough(video(1280, 720, codec="hevc")) == [False, False]
    assert passthrough(video(1280, 720, codec="h264", pixel_format="yuv422p")) == [False, False]
    assert passthrough(video(1280, 720, codec="h264", pixel_format="yuv420p10le", profile="High 10")) == [False] * 2
    assert passthrough(video(1280, 720, codec="h264", rotation=90)) == [False, False]
    assert passthrough(video(2560, 1440, codec="h264")) == [False, False, False], "bigger than the top rung"
    assert passthrough(video(1280, 720, codec="h264", bit_rate=2_600_000)) == [False, False], "above the cap"
    assert passthrough(video(1280, 720, codec="h264", fps=120.0)) == [False, False]
    for profile in ("Baseline", "Constrained Baseline", "Main"):
        assert passthrough(video(1280, 720, codec="h264", profile=profile)) == [False, False], profile
    for field_order in ("tt", "bb", "tb", "bt", "unknown", None):
        assert passthrough(video(1280, 720, codec="h264", field_order=field_order)) == [False, False], field_order
    assert passthrough(video(1280, 720, codec="h264", sample_aspect_ratio=Fraction(4, 3))) == [False, False]
    for transfer in ("arib-std-b67", "smpte2084"):
        assert passthrough(video(1280, 720, codec="h264", color_transfer=transfer)) == [False, False], transfer
    assert passthrough(video(1280, 720, codec="h264", color_primaries="bt2020")) == [False, False]
    assert passthrough(video(1280, 720, codec="h264", color_space="smpte170m")) == [False, False]
    assert passthrough(video(1280, 720, codec="h264", dolby_vision_base=4)) == [False, False], "Dolby Vision 8.4"


def test_sprite_covers_the_whole_film():
    plan = plan_sprite(video(1280, 720), 60.0)
    assert plan.tiles * plan.interval_s == 60.0
    assert (plan.tile_width, plan.tile_height) == (160, 90)


def test_storyboard_maps_each_stretch_of_the_film_to_its_tile():
    plan = plan_sprite(video(1280, 720), 60.0)
    vtt = storyboard_vtt(plan, "sprite.jpg")
    assert vtt.startswith("WEBVTT\n\n")
    cues = vtt.strip().split("\n\n")[1:]
    assert len(cues) == plan.tiles == 30
    assert cues[0] == "00:00:00.000 --> 00:00:02.000\nsprite.jpg#xywh=0,0,160,90"
    assert cues[6] == "00:00:12.000 --> 00:00:14.000\nsprite.jpg#xywh=160,90,160,90"
    assert cues[-1].startswith("00:00:58.000 --> 00:01:00.000\nsprite.jpg#xywh=640,450,")
