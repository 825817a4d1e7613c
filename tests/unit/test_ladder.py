from chalicelib.domain.ladder import plan_renditions, plan_sprite, poster_time
from chalicelib.domain.source import VideoStream


def video(width, height, rotation=0):
    return VideoStream(index=0, codec="h264", width=width, height=height, frame_rate=30.0, rotation=rotation)


def sizes(stream):
    return [(r.name, r.width, r.height) for r in plan_renditions(stream)]


def test_hd_source_gets_720p_and_360p():
    assert sizes(video(1920, 1080)) == [("720p", 1280, 720), ("360p", 640, 360)]


def test_never_upscales():
    assert sizes(video(640, 360)) == [("360p", 640, 360)]


def test_a_small_source_keeps_its_own_size_with_even_dimensions():
    # 181 rounds down to 180; the width follows the aspect ratio (321 * 180 / 181 = 319.2) down to even.
    assert sizes(video(321, 181)) == [("180p", 318, 180)]


def test_portrait_phone_video_keeps_its_orientation():
    assert sizes(video(1920, 1080, rotation=90)) == [("720p", 720, 1280), ("360p", 360, 640)]
    assert sizes(video(1080, 1920)) == [("720p", 720, 1280), ("360p", 360, 640)]


def test_dimensions_are_even():
    for name, width, height in sizes(video(1000, 750)):
        assert width % 2 == 0 and height % 2 == 0, name


def test_sprite_covers_the_whole_film():
    plan = plan_sprite(video(1280, 720), 60.0)
    assert plan.columns * plan.rows * plan.interval_s == 60.0
    assert (plan.tile_width, plan.tile_height) == (160, 90)


def test_poster_comes_after_the_opening():
    assert poster_time(60.0) == 20.0
