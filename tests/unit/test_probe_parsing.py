from chalicelib.media.probe import parse_probe


def test_cover_art_is_never_taken_for_the_film_and_rotation_is_read():
    data = {
        "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "60.02"},
        "streams": [
            {"index": 0, "codec_type": "video", "codec_name": "mjpeg", "width": 600, "height": 600,
             "disposition": {"attached_pic": 1, "default": 0}},
            {"index": 1, "codec_type": "video", "codec_name": "h264", "width": 1920, "height": 1080,
             "avg_frame_rate": "30000/1001", "disposition": {"default": 1},
             "side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}]},
            {"index": 2, "codec_type": "audio", "codec_name": "aac"},
        ],
    }  # fmt: skip
    source = parse_probe(data, 1234)
    assert source.video.index == 1
    assert source.video.display_size == (1080, 1920)
    assert round(source.video.frame_rate, 2) == 29.97
    assert (source.audio_index, source.duration_s, source.size_bytes) == (2, 60.02, 1234)


def test_missing_duration_stays_missing():
    data = {"format": {"format_name": "matroska,webm"}, "streams": [{"index": 0, "codec_type": "video",
            "codec_name": "vp9", "width": 640, "height": 360, "avg_frame_rate": "0/0"}]}  # fmt: skip
    source = parse_probe(data, 10)
    assert source.duration_s is None
    assert source.video.frame_rate is None
    assert source.audio_codec is None
