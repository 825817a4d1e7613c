import pytest

from chalicelib.domain.hls import (
    Fragment,
    PlaylistError,
    RungMedia,
    Segment,
    average_bandwidth,
    master_playlist,
    media_playlist,
    peak_bandwidth,
    segment_starts,
    segments,
    target_duration,
)


def rung(name="720p", fragments=((2000, 0.0), (5000, 2.0), (9000, 4.0), (12000, 6.0), (20000, 8.0)), end=30000):
    return RungMedia(
        name=name,
        file_name=f"{name}.mp4",
        width=1280,
        height=720,
        frame_rate=29.97,
        codecs="avc1.64001f,mp4a.40.2",
        init_bytes=1500,
        fragments=tuple(Fragment(offset, start) for offset, start in fragments),
        end_offset=end,
    )


def test_an_encoded_ladder_starts_a_segment_every_four_seconds():
    assert segment_starts(10.0) == (0.0, 4.0, 8.0)
    assert segment_starts(60.0)[-1] == 56.0


def test_a_remuxed_ladder_starts_segments_on_the_sources_keyframes_at_least_four_seconds_apart():
    assert segment_starts(20.0, [0.0, 1.5, 3.0, 4.5, 6.0, 9.0, 12.5, 13.5, 19.5]) == (0.0, 4.5, 9.0, 13.5)


def test_a_source_with_one_keyframe_is_one_segment():
    assert segment_starts(60.0, [0.0]) == (0.0,)


def test_fragments_are_grouped_into_the_segments_that_start_on_them():
    parts = segments(rung(), (0.0, 4.0, 8.0), 10.0)
    assert parts == [Segment(2000, 7000, 4.0), Segment(9000, 11000, 4.0), Segment(20000, 10000, 2.0)]


def test_a_rung_without_a_keyframe_where_a_segment_starts_is_refused():
    with pytest.raises(PlaylistError, match=r"no keyframe at 4\.000"):
        segments(rung(fragments=((2000, 0.0), (5000, 2.0), (9000, 5.0))), (0.0, 4.0), 10.0)


def test_a_keyframe_one_frame_late_still_starts_the_segment():
    late = rung(fragments=((2000, 0.0), (5000, 4.033)))  # 29.97 frames a second: one frame after 4 s
    assert [s.offset for s in segments(late, (0.0, 4.0), 10.0)] == [2000, 5000]


def test_bandwidth_is_the_peak_and_the_average_of_the_segments():
    parts = [Segment(0, 500_000, 4.0), Segment(0, 1_000_000, 4.0), Segment(0, 250_000, 2.0)]
    assert target_duration(parts) == 4
    assert peak_bandwidth(parts) == 2_000_000  # the second segment alone: 8 Mbit in 4 s
    assert average_bandwidth(parts) == 1_400_000


def test_the_media_playlist_addresses_the_rungs_own_bytes():
    text = media_playlist(rung(), segments(rung(), (0.0, 4.0, 8.0), 10.0))
    assert text.splitlines() == [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        "#EXT-X-TARGETDURATION:4",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        '#EXT-X-MAP:URI="720p.mp4",BYTERANGE="1500@0"',
        "#EXTINF:4.000000,",
        "#EXT-X-BYTERANGE:7000@2000",
        "720p.mp4",
        "#EXTINF:4.000000,",
        "#EXT-X-BYTERANGE:11000@9000",
        "720p.mp4",
        "#EXTINF:2.000000,",
        "#EXT-X-BYTERANGE:10000@20000",
        "720p.mp4",
        "#EXT-X-ENDLIST",
    ]


def test_the_master_playlist_names_each_rung_with_its_attributes():
    top = rung()
    parts = segments(top, (0.0, 4.0, 8.0), 10.0)
    lines = master_playlist([(top, parts)]).splitlines()
    assert lines[:3] == ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    assert lines[3] == (
        "#EXT-X-STREAM-INF:BANDWIDTH=40000,AVERAGE-BANDWIDTH=22400,RESOLUTION=1280x720,"
        'CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=29.970'
    )
    assert lines[4] == "720p.m3u8"


def test_the_master_playlist_lists_the_lowest_rung_first():
    top, low = rung(), rung(name="360p", end=12000)
    parts = {r.name: segments(r, (0.0, 4.0), 10.0) for r in (top, low)}
    text = master_playlist([(top, parts["720p"]), (low, parts["360p"])])
    assert text.index("360p.m3u8") < text.index("720p.m3u8")
