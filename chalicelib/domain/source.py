"""What a probe learned about an uploaded file: a typed description free of ffprobe's JSON."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

# ffprobe's names (H.273) for what a picture's colours are; None stands for "not tagged".
BT709 = "bt709"
HLG_TRANSFER = "arib-std-b67"
PQ_TRANSFER = "smpte2084"
# Tags that say nothing: the picture is treated as untagged SDR.
UNTAGGED = frozenset({None, "", "unknown", "unspecified", "reserved"})
INTERLACED_FIELD_ORDERS = frozenset({"tt", "bb", "tb", "bt"})
# Dolby Vision's compatible base layer (`dv_bl_signal_compatibility_id`): 1 is HDR10 (PQ), 4 is HLG.
DOLBY_VISION_BASE = {1: PQ_TRANSFER, 4: HLG_TRANSFER}
# 0: no compatible base layer (profile 5). Its picture is in Dolby's own IPT colour space, which only a Dolby
# Vision decoder can turn into colours: any other decoder shows it green and purple.
DOLBY_VISION_NO_BASE = 0


class DynamicRange(Enum):
    SDR = "sdr"
    HLG = "hlg"
    PQ = "pq"


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
    profile: str | None = None
    # Width:height of one stored pixel; 1 for square pixels (DV and many camcorders store 4:3 or 16:9 in 720x576).
    sample_aspect_ratio: Fraction = Fraction(1)
    field_order: str | None = None
    color_transfer: str | None = None
    color_primaries: str | None = None
    color_space: str | None = None
    dolby_vision_base: int | None = None
    duration_s: float | None = None

    @property
    def display_size(self) -> tuple[int, int]:
        """Width and height as a viewer sees them: pixels made square, then rotation applied."""
        width = self.width
        if self.sample_aspect_ratio != 1:
            width = max(1, round(self.width * self.sample_aspect_ratio))
        if self.rotation % 180:
            return self.height, width
        return width, self.height

    @property
    def square_pixels(self) -> bool:
        return self.sample_aspect_ratio == 1

    @property
    def interlaced(self) -> bool:
        return self.field_order in INTERLACED_FIELD_ORDERS

    @property
    def dolby_vision_only(self) -> bool:
        """Dolby Vision with no picture any other decoder can show (profile 5)."""
        return self.dolby_vision_base == DOLBY_VISION_NO_BASE

    @property
    def dynamic_range(self) -> DynamicRange:
        """HLG or PQ by the transfer tag, else by a Dolby Vision record's compatible base layer."""
        transfer = self.color_transfer
        if transfer in UNTAGGED and self.dolby_vision_base is not None:
            transfer = DOLBY_VISION_BASE.get(self.dolby_vision_base)
        if transfer == HLG_TRANSFER:
            return DynamicRange.HLG
        if transfer == PQ_TRANSFER:
            return DynamicRange.PQ
        return DynamicRange.SDR

    @property
    def sdr_bt709(self) -> bool:
        """Tagged BT.709 (or not tagged at all) in every respect, and not HDR."""
        tags = (self.color_transfer, self.color_primaries, self.color_space)
        return self.dynamic_range is DynamicRange.SDR and all(tag in UNTAGGED or tag == BT709 for tag in tags)


@dataclass(frozen=True)
class SourceDescription:
    container: str
    size_bytes: int
    # The picture's duration when the video stream states one, else the container's: the one-minute rule is
    # about the film the viewer sees.
    duration_s: float | None
    video: VideoStream | None
    audio_codec: str | None
    audio_index: int | None = None
    bit_rate: int | None = None
    # The container's duration: the longest stream's, so the sound's when it outlasts the picture.
    container_duration_s: float | None = None
    audio_channels: int | None = None

    @property
    def has_audio(self) -> bool:
        return self.audio_codec is not None
