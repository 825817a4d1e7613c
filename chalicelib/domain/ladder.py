"""Which renditions and images a source gets: never upscaled, orientation kept, even dimensions,
and no re-encode for a top rendition the source already is."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.source import SourceDescription, VideoStream
from chalicelib.domain.subtitles import webvtt_time


@dataclass(frozen=True)
class Rung:
    short_side: int
    video_kbps: int
    audio_kbps: int


LADDER = (Rung(720, 2500, 128), Rung(360, 800, 96))
# A web-ready source may carry up to this much more than its rung's bitrate and still be remuxed.
PASSTHROUGH_BITRATE_HEADROOM = 1.5
PASSTHROUGH_MAX_FRAME_RATE = 60.0
SPRITE_COLUMNS = 5
SPRITE_ROWS = 6
SPRITE_TILE_WIDTH = 160


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
    """H.264 yuv420p, AAC or silent, upright, already the top rendition's size, at a sane bitrate."""
    video = source.video
    if video is None or video.codec != "h264" or video.pixel_format != "yuv420p" or video.rotation:
        return False
    if source.audio_codec not in (None, "aac"):
        return False
    if (video.width, video.height) != (top.width, top.height):
        return False
    if video.frame_rate is None or video.frame_rate > PASSTHROUGH_MAX_FRAME_RATE:
        return False
    bit_rate = video.bit_rate or source.bit_rate
    limit = (top.video_kbps + top.audio_kbps) * 1000 * PASSTHROUGH_BITRATE_HEADROOM
    return bit_rate is not None and bit_rate <= limit


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
