from chalicelib.media.probe import parse_probe


def test_cover_art_is_never_taken_for_the_film_and_rotation_is_read():
    data = {
        "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "60.02"},
        "streams": [
            {
                "index": 0,
                "codec_type": "video",
                "codec_name": "mjpeg",
                "width": 600,
                "height": 600,
                "disposition": {"attached_pic": 1, "default": 0},
            },
            {
                "index": 1,
                "codec_type": "video",
                "codec_name": "h264",
                "width": 1920,
                "height": 1080,
                "avg_frame_rate": "30000/1001",
                "disposition": {"default": 1},
                "side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}],
            },
            {"index": 2, "codec_type": "audio", "codec_name": "aac"},
        ],
    }
    source = parse_probe(data, 1234)
    assert source.video.index == 1
    assert source.video.display_size == (1080, 1920)
    assert round(source.video.frame_rate, 2) == 29.97
    assert (source.audio_index, source.duration_s, source.size_bytes) == (2, 60.02, 1234)


def test_missing_duration_stays_missing():
    data = {
        "format": {"format_name": "matroska,webm"},
        "streams": [
            {
                "index": 0,
                "codec_type": "video",
                "codec_name": "vp9",
                "width": 640,
                "height": 360,
                "avg_frame_rate": "0/0",
            }
        ],
    }
    source = parse_probe(data, 10)
    assert source.duration_s is None
    assert source.video.frame_rate is None
    assert source.audio_codec is None


def stream(**fields):
    return {"index": 0, "codec_type": "video", "codec_name": "h264", "width": 720, "height": 576, **fields}


def test_the_duration_is_the_pictures_when_the_sound_lasts_longer():
    data = {
        "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "60.000"},
        "streams": [stream(duration="45.000"), {"index": 1, "codec_type": "audio", "codec_name": "aac", "channels": 6}],
    }
    source = parse_probe(data, 1)
    assert (source.duration_s, source.container_duration_s, source.audio_channels) == (45.0, 60.0, 6)


def test_matroska_streams_state_their_duration_in_a_tag():
    data = {
        "format": {"format_name": "matroska,webm", "duration": "60.000"},
        "streams": [stream(tags={"DURATION": "00:00:45.040000000"})],
    }
    assert parse_probe(data, 1).duration_s == 45.04
    data["streams"][0]["tags"] = {"duration": "01:00:01.5"}
    assert parse_probe(data, 1).duration_s == 3601.5


def test_shape_interlacing_and_colours_are_read():
    pal_dv = parse_probe({"format": {}, "streams": [stream(sample_aspect_ratio="64:45", field_order="bb")]}, 1).video
    assert (pal_dv.display_size, pal_dv.interlaced, pal_dv.square_pixels) == ((1024, 576), True, False)
    unknown = parse_probe({"format": {}, "streams": [stream(sample_aspect_ratio="0:1")]}, 1).video
    assert unknown.square_pixels and not unknown.interlaced
    iphone = parse_probe(
        {
            "format": {},
            "streams": [
                stream(
                    codec_name="hevc",
                    color_transfer="arib-std-b67",
                    color_primaries="bt2020",
                    color_space="bt2020nc",
                    side_data_list=[
                        {
                            "side_data_type": "DOVI configuration record",
                            "dv_profile": 8,
                            "dv_bl_signal_compatibility_id": 4,
                        }
                    ],
                )
            ],
        },
        1,
    ).video
    assert (iphone.dynamic_range.value, iphone.dolby_vision_base, iphone.sdr_bt709) == ("hlg", 4, False)
    untagged_dv = parse_probe(
        {
            "format": {},
            "streams": [
                stream(
                    side_data_list=[{"side_data_type": "DOVI configuration record", "dv_bl_signal_compatibility_id": 1}]
                )
            ],
        },
        1,
    ).video
    assert untagged_dv.dynamic_range.value == "pq"
    profile_5 = parse_probe(
        {
            "format": {},
            "streams": [
                stream(
                    codec_name="hevc",
                    side_data_list=[
                        {
                            "side_data_type": "DOVI configuration record",
                            "dv_profile": 5,
                            "dv_bl_signal_compatibility_id": 0,
                        }
                    ],
                )
            ],
        },
        1,
    ).video
    assert profile_5.dolby_vision_only and not iphone.dolby_vision_only and not untagged_dv.dolby_vision_only
