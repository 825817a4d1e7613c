"""Awkward uploads for the validation tests, each made here with ffmpeg or by hand, all tiny."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

from local.clips import make_clip

SMALL = {"width": 160, "height": 120, "fps": 2}


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True)


def lavfi_video(seconds: float, size: str = "160x120", rate: int = 2) -> list[str]:
    return ["-f", "lavfi", "-i", f"testsrc=size={size}:rate={rate}:duration={seconds}"]


def hls_playlist(path: Path, other_video: Path) -> Path:
    """A playlist named .mp4 that would pull another local film, and /etc/passwd, into the output."""
    path.write_text(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:60\n"
        f"#EXTINF:60.0,\n{other_video}\n#EXTINF:1.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n"
    )
    return path


def concat_script(path: Path, other_video: Path) -> Path:
    path.write_text(f"ffconcat version 1.0\nfile {other_video}\n")
    return path


def huge_declared_resolution(path: Path) -> Path:
    """A few KB of raw video whose AVI header declares 16000x16000."""
    small = path.with_name("raw16.avi")
    ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=16x16:d=1:r=2", "-c:v", "rawvideo", "-pix_fmt", "yuv420p", str(small))
    data = bytearray(small.read_bytes())
    struct.pack_into("<ii", data, data.find(b"strf") + 12, 16000, 16000)
    struct.pack_into("<ii", data, data.find(b"avih") + 40, 16000, 16000)
    path.write_bytes(bytes(data))
    return path


def lying_duration(path: Path) -> Path:
    """Five minutes of frames in a Matroska file whose header says they last one minute."""
    honest = path.with_name("five-minutes.mkv")
    ffmpeg(*lavfi_video(300), "-c:v", "libx264", "-preset", "ultrafast", str(honest))
    data = bytearray(honest.read_bytes())
    duration = data.find(b"\x44\x89\x88")  # EBML Duration, an 8-byte float in milliseconds
    struct.pack_into(">d", data, duration + 3, 60_000.0)
    path.write_bytes(bytes(data))
    return path


def private_source(path: Path) -> Path:
    """A film carrying what must never leave: GPS, a full name, a subtitle track and chapters."""
    folder = path.parent
    subtitles = folder / "names.srt"
    subtitles.write_text("1\n00:00:01,000 --> 00:00:05,000\nLeyla Aliyeva, School No. 5, Baku\n")
    chapters = folder / "chapters.txt"
    chapters.write_text(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=30000\ntitle=Aliyeva family home\n")
    ffmpeg(*lavfi_video(60), "-f", "lavfi", "-i", "sine=duration=60", "-i", str(subtitles), "-i", str(chapters),
           "-map", "0", "-map", "1", "-map", "2", "-map_metadata", "3", "-map_chapters", "3",
           "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-c:s", "mov_text",
           "-metadata", "title=Leyla Aliyeva, School No. 5", "-metadata", "location=+40.4093+049.8671/",
           "-metadata", "artist=Leyla Aliyeva", "-metadata:s:v:0", "title=Aliyeva at home",
           "-metadata:s:a:0", "handler_name=Aliyeva voice", str(path))  # fmt: skip
    return path


def make_samples(folder: Path, valid: Path) -> dict[str, Path]:
    samples: dict[str, Path] = {}

    def sample(name: str) -> Path:
        samples[name.split(".", maxsplit=1)[0]] = folder / name
        return folder / name

    sample("zero.mp4").write_bytes(b"")
    sample("random.mp4").write_bytes(bytes(range(256)) * 40)
    sample("no_moov.mp4").write_bytes(valid.read_bytes()[: valid.stat().st_size * 2 // 3])
    ffmpeg("-f", "lavfi", "-i", "sine=duration=60", "-c:a", "aac", str(sample("audio_only.mp4")))
    ffmpeg(*lavfi_video(1), "-frames:v", "1", "-f", "image2", "-c:v", "mjpeg", str(sample("still.mp4")))
    hls_playlist(sample("hls.mp4"), valid)
    concat_script(sample("concat.mp4"), valid)
    ffmpeg(*lavfi_video(60), "-c:v", "libx264", "-preset", "ultrafast", "-f", "h264", str(sample("raw_h264.mp4")))
    for seconds in (30, 57, 63, 300):
        make_clip(sample(f"s{seconds}.mp4"), seconds, **SMALL)
    huge_declared_resolution(sample("huge.avi"))
    ffmpeg(*lavfi_video(2, rate=240), "-c:v", "libx264", "-preset", "ultrafast", str(sample("fps240.mp4")))
    ffmpeg(*lavfi_video(60), *lavfi_video(60, size="320x240"), "-map", "0", "-map", "1",
           "-c:v", "libx264", "-preset", "ultrafast", str(sample("two_videos.mp4")))  # fmt: skip
    upright = make_clip(folder / "upright.mp4", 60, width=320, height=180, fps=2, audio=False)
    ffmpeg("-display_rotation", "90", "-i", str(upright), "-c", "copy", str(sample("rotated.mp4")))
    ffmpeg(*lavfi_video(60, rate=30), "-vf", "select='gt(random(0),0.6)'", "-fps_mode", "vfr",
           "-c:v", "libx264", "-preset", "ultrafast", str(sample("vfr.mp4")))  # fmt: skip
    ffmpeg(*lavfi_video(60), "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", str(sample("vp9.webm")))
    ffmpeg(*lavfi_video(60), "-c:v", "mjpeg", "-q:v", "10", str(sample("mjpeg.avi")))
    ffmpeg(*lavfi_video(60), "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error",
           "-tag:v", "hvc1", str(sample("hevc.mov")))  # fmt: skip
    lying_duration(sample("liar.mkv"))
    private_source(sample("private.mp4"))
    # Web-ready already: H.264 High yuv420p at 640x360, progressive, a modest bitrate: the 360p rendition is a remux.
    ffmpeg(*lavfi_video(60, size="640x360", rate=5), "-f", "lavfi", "-i", "sine=duration=60", "-c:v", "libx264",
           "-preset", "veryfast", "-profile:v", "high", "-b:v", "300k", "-pix_fmt", "yuv420p", "-c:a", "aac",
           str(sample("web_ready.mp4")))  # fmt: skip
    # Black for the first 40% (a title card), then the picture: the poster must not be black.
    ffmpeg("-f", "lavfi", "-i", "color=c=black:size=320x180:rate=2:duration=24", *lavfi_video(36, size="320x180"),
           "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast",
           str(sample("black_start.mp4")))  # fmt: skip
    return samples
