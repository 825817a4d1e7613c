"""Which renditions and images a source gets: never upscaled, orientation kept, even dimensions."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.source import VideoStream


@dataclass(frozen=True)
class Rung:
    short_side: int
    video_kbps: int
    audio_kbps: int


LADDER = (Rung(720, 2500, 128), Rung(360, 800, 96))
SPRITE_COLUMNS = 5
SPRITE_ROWS = 2
SPRITE_TILE_WIDTH = 160


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int
    height: int
    video_kbps: int
    audio_kbps: int


@dataclass(frozen=True)
class SpritePlan:
    columns: int
    rows: int
    tile_width: int
    tile_height: int
    interval_s: float


def plan_renditions(video: VideoStream) -> list[Rendition]:
    """The ladder rungs a source can fill without upscaling; a small source gets one at its own size."""
    width, height = video.display_size
    short_side = min(width, height)
    rungs = [rung for rung in LADDER if rung.short_side <= short_side]
    if not rungs:
        smallest = LADDER[-1]
        rungs = [Rung(_even(short_side), smallest.video_kbps, smallest.audio_kbps)]
    return [_rendition(rung, width, height) for rung in rungs]


def plan_sprite(video: VideoStream, duration_s: float) -> SpritePlan:
    """A grid of evenly spaced thumbnails covering the whole film, for scrubbing previews."""
    width, height = video.display_size
    tiles = SPRITE_COLUMNS * SPRITE_ROWS
    return SpritePlan(
        columns=SPRITE_COLUMNS,
        rows=SPRITE_ROWS,
        tile_width=SPRITE_TILE_WIDTH,
        tile_height=_even(round(SPRITE_TILE_WIDTH * height / width)),
        interval_s=duration_s / tiles,
    )


def poster_time(duration_s: float) -> float:
    """A moment past the opening titles: a third of the way in."""
    return round(duration_s / 3, 3)


def _rendition(rung: Rung, width: int, height: int) -> Rendition:
    scale = rung.short_side / min(width, height)
    out_width, out_height = _even(round(width * scale)), _even(round(height * scale))
    return Rendition(f"{rung.short_side}p", out_width, out_height, rung.video_kbps, rung.audio_kbps)


def _even(value: int) -> int:
    return max(2, value - value % 2)
