"""What a probe learned about an uploaded file: a typed description free of ffprobe's JSON."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VideoStream:
    index: int
    codec: str
    width: int
    height: int
    frame_rate: float | None
    pixel_format: str | None = None
    rotation: int = 0
    bit_rate: int | None = None

    @property
    def display_size(self) -> tuple[int, int]:
        """Width and height as a viewer sees them, after rotation metadata is applied."""
        if self.rotation % 180:
            return self.height, self.width
        return self.width, self.height


@dataclass(frozen=True)
class SourceDescription:
    container: str
    size_bytes: int
    duration_s: float | None
    video: VideoStream | None
    audio_codec: str | None
    audio_index: int | None = None
    bit_rate: int | None = None

    @property
    def has_audio(self) -> bool:
        return self.audio_codec is not None
