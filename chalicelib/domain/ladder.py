"""Which renditions and images a source gets: planned on the picture's display size (square pixels,
after rotation), never upscaled, even dimensions, and no re-encode for a top rendition that the
source already is in every respect (see `is_web_ready`)."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.source import SourceDescription, VideoStream
from chalicelib.domain.subtitles import webvtt_time


@dataclass(frozen=True)
class Rung:
    short_side: int
    video_kbps: int
    audio_kbps: int


# Short side, video bitrate cap (kbit/s, the encoder's maxrate), audio bitrate. docs/BENCHMARKS.md has
# each rung's VMAF at its cap.
LADDER = (Rung(1080, 5000, 128), Rung(720, 2500, 128), Rung(360, 800, 96))
PASSTHROUGH_MAX_FRAME_RATE = 60.0
# The only H.264 profile remuxed: what the encode path makes (8-bit 4:2:0, CABAC, 8x8 transforms).
PASSTHROUGH_PROFILE = "High"
SPRITE_COLUMNS = 5
SPRITE_ROWS = 6
SPRITE_TILE_WIDTH = 160
# The share image (link previews, domain/share_page.py): the size previewers ask of a large card, the poster's
# picture letterboxed in it, a JPEG quality that keeps a real film's under about 100 kB.
SHARE_IMAGE_WIDTH = 1200
SHARE_IMAGE_HEIGHT = 630
SHARE_IMAGE_QUALITY = 6
# Chat apps drop a preview image over about 300 kB; a grainy low-light film can reach that at the quality
# above. Over this budget the image is encoded again at each of SHARE_IMAGE_FALLBACK_QUALITIES in turn.
SHARE_IMAGE_MAX_BYTES = 150_000
SHARE_IMAGE_FALLBACK_QUALITIES = (12, 20, 31)


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int
    height: int
    video_kbps: int
    audio_kbps: int
    passthrough: bool = False


@dataclass(frozen=True)
class SpritePlan:
    columns: int
    rows: int
    tile_width: int
    tile_height: int
    interval_s: float

    @property
    def tiles(self) -> int:
        return self.columns * self.rows


def plan_renditions(source: SourceDescription) -> list[Rendition]:
    """The ladder rungs a source can fill without upscaling; a small source gets one at its own size.

    The top rendition is a remux of the source when the source already is what we would make.
    """
    video = source.video
    assert video is not None, "only a source with video is transcoded"
    width, height = video.display_size
    short_side = min(width, height)
    rungs = [rung for rung in LADDER if rung.short_side <= short_side]
    if not rungs:
        smallest = LADDER[-1]
        rungs = [Rung(_even(short_side), smallest.video_kbps, smallest.audio_kbps)]
    renditions = [_rendition(rung, width, height) for rung in rungs]
    top = renditions[0]
    if is_web_ready(source, top):
        renditions[0] = Rendition(top.name, top.width, top.height, top.video_kbps, top.audio_kbps, passthrough=True)
    return renditions


def is_web_ready(source: SourceDescription, top: Rendition) -> bool:
    """Already what an encode would make: H.264 High 8-bit yuv420p, progressive, square pixels, SDR BT.709
    (or untagged), upright, the top rendition's size, within its bitrate cap. The audio is re-encoded anyway."""
    video = source.video
    if video is None or video.codec != "h264" or video.profile != PASSTHROUGH_PROFILE:
        return False
    if video.pixel_format != "yuv420p" or video.rotation or not video.square_pixels:
        return False
    # Only a stream that says it is progressive: "unknown" may well be interlaced.
    if video.field_order != "progressive" or not video.sdr_bt709:
        return False
    if (video.width, video.height) != (top.width, top.height):
        return False
    if video.frame_rate is None or video.frame_rate > PASSTHROUGH_MAX_FRAME_RATE:
        return False
    # Without the stream's own bitrate, the container's (sound included) must fit under the cap.
    bit_rate = video.bit_rate or source.bit_rate
    return bit_rate is not None and bit_rate <= top.video_kbps * 1000


def plan_sprite(video: VideoStream, duration_s: float) -> SpritePlan:
    """A grid of evenly spaced thumbnails covering the whole film, for scrubbing previews."""
    width, height = video.display_size
    return SpritePlan(
        columns=SPRITE_COLUMNS,
        rows=SPRITE_ROWS,
        tile_width=SPRITE_TILE_WIDTH,
        tile_height=_even(round(SPRITE_TILE_WIDTH * height / width)),
        interval_s=duration_s / (SPRITE_COLUMNS * SPRITE_ROWS),
    )


def storyboard_vtt(sprite: SpritePlan, sprite_url: str) -> str:
    """WebVTT cues that map each stretch of the film to its tile (`#xywh=`), as players use for previews."""
    lines = ["WEBVTT", ""]
    for tile in range(sprite.tiles):
        row, column = divmod(tile, sprite.columns)
        x, y = column * sprite.tile_width, row * sprite.tile_height
        start, end = tile * sprite.interval_s, (tile + 1) * sprite.interval_s
        lines += [
            f"{webvtt_time(start)} --> {webvtt_time(end)}",
            f"{sprite_url}#xywh={x},{y},{sprite.tile_width},{sprite.tile_height}",
            "",
        ]
    return "\n".join(lines)


def _rendition(rung: Rung, width: int, height: int) -> Rendition:
    scale = rung.short_side / min(width, height)
    out_width, out_height = _even(round(width * scale)), _even(round(height * scale))
    return Rendition(f"{rung.short_side}p", out_width, out_height, rung.video_kbps, rung.audio_kbps)


def _even(value: int) -> int:
    return max(2, value - value % 2)
