"""A published film streams as HLS: ffprobe, a player, reads its playlists over HTTP from the local CDN
(which serves only what is tagged public, with byte ranges), and every variant is what the master says."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from chalicelib.domain.hls import PlaylistError
from chalicelib.services import transcode as transcode_service
from local.clips import make_clip
from local.media_cdn import serve_media
from tests.functional.conftest import MEDIA_BASE_URL, get, post_json, publish, upload_body

ATTRIBUTE = re.compile(r'([A-Z-]+)=("[^"]*"|[^,]*)')


@pytest.fixture(scope="module")
def remuxable(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 720p H.264 High film, already what the top rung would be (so it is remuxed), a keyframe every 3.5 s."""
    folder = tmp_path_factory.mktemp("hls")
    extra = ("-preset", "veryfast", "-profile:v", "high", "-g", "7", "-b:v", "300k")
    return make_clip(folder / "remux.mp4", 60, width=1280, height=720, fps=2, extra_args=extra)


@pytest.fixture
def cdn(stack: Any) -> Iterator[str]:
    server = serve_media(stack.client("s3"), stack.name("MediaBucket"))
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def published_film(api: Any, stack: Any, clip: Path) -> str:
    video_id = post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]
    stack.put_upload(video_id, clip)
    stack.run_pipeline()
    assert publish(api, stack, video_id).status_code == 200
    return str(video_id)


def variants(master: str) -> list[tuple[dict[str, str], str]]:
    lines = master.splitlines()
    return [
        ({name: value.strip('"') for name, value in ATTRIBUTE.findall(line.split(":", 1)[1])}, lines[n + 1])
        for n, line in enumerate(lines)
        if line.startswith("#EXT-X-STREAM-INF:")
    ]


def segments(playlist: str) -> list[tuple[float, int]]:
    """(duration, bytes) of each segment."""
    durations = [float(m) for m in re.findall(r"#EXTINF:([\d.]+),", playlist)]
    lengths = [int(m) for m in re.findall(r"#EXT-X-BYTERANGE:(\d+)@\d+", playlist)]
    assert len(durations) == len(lengths)
    return list(zip(durations, lengths, strict=True))


def assert_holds_nothing_private(playlist: str, video_id: str) -> None:
    """Tags of numbers and codecs, and the names of the film's own files beside it: nothing else."""
    uris = [line for line in playlist.splitlines() if line and not line.startswith("#")]
    uris += re.findall(r'URI="([^"]+)"', playlist)
    assert uris and all(re.fullmatch(r"\d+p\.(mp4|m3u8)", uri) for uri in uris), uris
    for private in (video_id, "Leyla", "uploads/", "my-street", "office"):
        assert private not in playlist


def first_frames_of_segments(base: str, playlist: str, tmp_path: Path) -> list[tuple[bool, float]]:
    """Whether each segment, read alone after the init section, starts with a keyframe, and that frame's time."""
    init = re.search(r'#EXT-X-MAP:URI="([^"]+)",BYTERANGE="(\d+)@(\d+)"', playlist)
    assert init is not None
    ranges = re.findall(r"#EXT-X-BYTERANGE:(\d+)@(\d+)\n(.+)", playlist)
    header = fetch(base + init[1], int(init[2]), int(init[3]))
    frames = []
    for length, offset, uri in ranges:
        path = tmp_path / "segment.mp4"
        path.write_bytes(header + fetch(base + uri, int(length), int(offset)))
        shown = ffprobe(str(path), "-select_streams", "v:0", "-read_intervals", "%+#1", "-show_frames")["frames"][0]
        frames.append((shown["key_frame"] == 1, float(shown["pts_time"])))
    return frames


def fetch(url: str, length: int, offset: int) -> bytes:
    response = requests.get(url, headers={"Range": f"bytes={offset}-{offset + length - 1}"}, timeout=10)
    assert response.status_code == 206
    return response.content


def ffprobe(url: str, *what: str) -> Any:
    args = ["ffprobe", "-v", "error", "-of", "json", *what, url]
    return json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)


def codecs_of(stream: dict[str, Any]) -> str:
    profiles = {"High": 0x64, "Main": 0x4D, "Constrained Baseline": 0x42}
    return f"avc1.{profiles[stream['profile']]:02x}00{int(stream['level']):02x}"


@pytest.mark.parametrize("clip_name", ["hd", "remuxable"])
def test_a_player_reads_the_master_playlist_and_every_variant_is_what_it_says(
    api, stack, clips, remuxable, cdn, clip_name, tmp_path
):
    clip = remuxable if clip_name == "remuxable" else clips["hd"]
    video_id = published_film(api, stack, clip)
    public = get(api, f"/videos/{video_id}").json_body
    assert public["streaming"] == {"hls": f"{MEDIA_BASE_URL}/films/{video_id}/hls.m3u8"}
    master_url = f"{cdn}/films/{video_id}/hls.m3u8"

    # ffprobe opens the master playlist as a player does: one program per variant, each with its bitrate.
    programs = ffprobe(master_url, "-show_programs")["programs"]
    master = requests.get(master_url, timeout=10).text
    assert "#EXT-X-INDEPENDENT-SEGMENTS" in master
    listed = variants(master)
    assert [int(p["tags"]["variant_bitrate"]) for p in programs] == [int(a["BANDWIDTH"]) for a, _ in listed]
    assert [a["RESOLUTION"] for a, _ in listed] == ["640x360", "1280x720"], "the lowest first"

    assert_holds_nothing_private(master, video_id)
    starts_of_rungs, first_frames = [], []
    for attributes, uri in listed:
        playlist_url = f"{cdn}/films/{video_id}/{uri}"
        playlist = requests.get(playlist_url, timeout=10).text
        assert "#EXT-X-MAP:" in playlist and "#EXT-X-ENDLIST" in playlist
        assert_holds_nothing_private(playlist, video_id)
        streams = ffprobe(playlist_url, "-show_streams")["streams"]
        video = next(s for s in streams if s["codec_type"] == "video")
        assert attributes["RESOLUTION"] == f"{video['width']}x{video['height']}"
        assert attributes["CODECS"] == f"{codecs_of(video)},mp4a.40.2"
        numerator, denominator = (int(n) for n in video["avg_frame_rate"].split("/"))
        assert float(attributes["FRAME-RATE"]) == pytest.approx(numerator / denominator, abs=0.001)
        parts = segments(playlist)
        average = sum(size for _, size in parts) * 8 / sum(duration for duration, _ in parts)
        assert int(attributes["AVERAGE-BANDWIDTH"]) == pytest.approx(average, rel=0.001)
        peak = max(size * 8 / duration for duration, size in parts)
        assert int(attributes["AVERAGE-BANDWIDTH"]) <= int(attributes["BANDWIDTH"]) <= peak * 1.001
        assert all(
            duration <= int(re.search(r"#EXT-X-TARGETDURATION:(\d+)", playlist)[1]) + 0.5 for duration, _ in parts
        )
        # Every segment decodes, whole: the variant plays from its first frame to its last.
        frames = ffprobe(
            playlist_url, "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames"
        )
        assert int(frames["streams"][0]["nb_read_frames"]) == pytest.approx(60 * numerator / denominator, abs=2)
        starts_of_rungs.append([sum(duration for duration, _ in parts[:n]) for n in range(len(parts))])
        first_frames.append(first_frames_of_segments(f"{cdn}/films/{video_id}/", playlist, tmp_path))
    assert len({tuple(starts) for starts in starts_of_rungs}) == 1, "every rung switches at the same times"
    assert len(starts_of_rungs[0]) > 5, "a one-minute film is cut into segments"
    # Each segment of each rung starts on a keyframe (a player may start or switch there), the same picture in
    # every rung (times differ at most by the encoders' two-frame delay).
    frame_s = denominator / numerator
    for frames in zip(*first_frames, strict=True):
        assert all(key for key, _ in frames)
        # From each rung's first frame: a muxer shifts a stream by its decoder delay, not the same in every rung.
        times = [time - first[1] for (_, time), first in zip(frames, [rung[0] for rung in first_frames], strict=True)]
        assert max(times) - min(times) < frame_s / 2


def test_a_ladder_that_cannot_be_packaged_as_hls_still_makes_the_film_ready_with_its_mp4s(
    api, stack, clips, monkeypatch
):
    """A rung whose keyframes miss the planned segment starts (a variable frame rate can) costs the film its HLS,
    never the film itself: READY, published, played from its MP4 renditions."""

    def keyframe_missed(*_: Any) -> None:
        raise PlaylistError("120p.mp4 has no keyframe at 16.000 s")

    monkeypatch.setattr(transcode_service, "write_playlists", keyframe_missed)
    video_id = published_film(api, stack, clips["valid"])
    public = get(api, f"/videos/{video_id}").json_body
    assert public["renditions"] and "hls" not in (public.get("streaming") or {})
