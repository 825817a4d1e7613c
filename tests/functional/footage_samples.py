"""Sources that stand for real footage (issue 13) and for what hides in a bitstream (issue 11), all tiny.

Colours: the photograph (scikit-image's astronaut) is the ground truth. The SDR clip is the photo as a
BT.709 camera records it; the HLG and PQ clips are the same photo in linear light with its highlights
pushed above SDR white (up to HIGHLIGHT_PEAK times), so that a tone mapping which only clips is told
apart from one that keeps the highlights' detail. Flags that hold no spaces are written as one string
and split, to keep each command readable on a line or two.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
from skimage.data import astronaut

# SDR reference white in linear light is 1.0; boosted highlights reach this many times that (203 -> 812 nits).
HIGHLIGHT_PEAK = 4.0
# Linear luminance above which the photo's highlights are boosted (about 75 % of the SDR signal).
HIGHLIGHT_KNEE = 0.5
# BT.2408: HDR reference white (SDR white) sits at 203 cd/m2, which zscale's `npl` maps to linear 1.0.
REFERENCE_WHITE_NITS = 203
HDR_TRANSFERS = {"hlg": "arib-std-b67", "pq": "smpte2084"}


def ffmpeg(*args: str, stdin: bytes | None = None) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], input=stdin, check=True)


def flags(line: str) -> list[str]:
    return line.split()


# --- colours: a photograph in SDR, HLG and PQ ---


def photo(size: int = 256) -> np.ndarray:
    """The photograph, size x size RGB in 8 bits."""
    image = astronaut()
    step = image.shape[0] // size
    return np.ascontiguousarray(image[::step, ::step][:size, :size])


def luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0] * 0.2126 + rgb[..., 1] * 0.7152 + rgb[..., 2] * 0.0722


def hdr_linear(image: np.ndarray) -> np.ndarray:
    """The photo in linear light (BT.1886 display), highlights boosted smoothly up to HIGHLIGHT_PEAK."""
    linear = (image / 255.0) ** 2.4
    above = np.clip((luminance(linear) - HIGHLIGHT_KNEE) / (1 - HIGHLIGHT_KNEE), 0, 1)
    return (linear * (1 + (HIGHLIGHT_PEAK - 1) * above**1.5)[..., None]).astype(np.float32)


def above_sdr_white(image: np.ndarray) -> np.ndarray:
    """The pixels that the HDR versions carry above SDR white."""
    return luminance(hdr_linear(image)) > 1.0


def sdr_photo_clip(path: Path, seconds: float = 60, rate: int = 2, size: int = 256) -> Path:
    """The photo as an SDR BT.709 H.264 clip: the ground truth."""
    looped = f"loop=-1:1,trim=duration={seconds},scale=out_color_matrix=bt709:out_range=tv,format=yuv420p"
    ffmpeg(
        *flags(f"-f rawvideo -pix_fmt rgb24 -s {size}x{size} -framerate {rate} -i -"),
        "-vf",
        looped,
        *flags("-c:v libx264 -preset ultrafast -color_primaries bt709 -color_trc bt709 -colorspace bt709"),
        str(path),
        stdin=photo(size).tobytes(),
    )
    return path


def hdr_photo_clip(path: Path, kind: str, seconds: float = 60, rate: int = 2, size: int = 256) -> Path:
    """The photo as 10-bit HEVC in HLG or PQ (BT.2020), highlights above SDR white, tagged as a phone tags it."""
    transfer = HDR_TRANSFERS[kind]
    planes = np.ascontiguousarray(hdr_linear(photo(size)).transpose(2, 0, 1)[[1, 2, 0]])  # gbrpf32le: G, B, R
    to_hdr = f"zscale=tin=linear:pin=bt709:t={transfer}:p=bt2020:m=2020_ncl:r=tv:npl={REFERENCE_WHITE_NITS}"
    ffmpeg(
        *flags(f"-f rawvideo -pix_fmt gbrpf32le -s {size}x{size} -framerate {rate} -i -"),
        "-vf",
        f"loop=-1:1,trim=duration={seconds},{to_hdr},format=yuv420p10le",
        *flags("-c:v libx265 -preset ultrafast -x265-params log-level=error -tag:v hvc1"),
        *flags(f"-color_primaries bt2020 -color_trc {transfer} -colorspace bt2020nc"),
        str(path),
        stdin=planes.tobytes(),
    )
    return path


# --- what lives inside the bitstream: SEI user data and A/53 closed captions (issue 11, item 2) ---

SEI_MARKER = "LEYLA ALIYEVA SCHOOL 5 BAKU"
CAPTION_TEXT = "HELLO LEYLA"
SEI_UUID = "a7e0c7e8-5b3e-4d1b-9f0e-1c2d3e4f5a6b"
# ATSC A/53 caption data is registered ITU-T T.35 user data that starts with this identifier.
A53_IDENTIFIER = b"GA94"


def _odd_parity(char: int) -> int:
    return char | (0x80 if bin(char).count("1") % 2 == 0 else 0)


def caption_sei(text: str) -> bytes:
    """One H.264 SEI NAL unit carrying `text` as CEA-608 field-1 captions in ATSC A/53 user data."""
    chars = [_odd_parity(ord(char)) for char in text + (" " if len(text) % 2 else "")]
    pairs = [chars[i : i + 2] for i in range(0, len(chars), 2)]
    payload = bytes([0xB5, 0x00, 0x31]) + A53_IDENTIFIER + bytes([0x03, 0x40 | len(pairs), 0xFF])
    payload += b"".join(bytes([0xFC, first, second]) for first, second in pairs) + b"\xff"
    return b"\x00\x00\x00\x01\x06" + bytes([4, len(payload)]) + payload + b"\x80"


def with_captions(annex_b: bytes, text: str) -> bytes:
    """The H.264 stream with a caption SEI before every picture (one slice per picture)."""
    sei = caption_sei(text)
    out = bytearray()
    for unit in re.split(b"(?=\x00\x00\x00\x01)|(?<!\x00)(?=\x00\x00\x01)", annex_b):
        if unit:
            if unit[unit.index(b"\x00\x01") + 2] & 0x1F in (1, 5):  # a coded slice
                out += sei
            out += unit
    return bytes(out)


def marked_source(path: Path, codec: str, profile: str = "high") -> Path:
    """60 s with a name in SEI user data and captions in every picture; `codec` h264, or hevc made from it
    (libx265 copies the decoded captions, its default, and writes its own settings string)."""
    raw = path.with_suffix(".h264")
    ffmpeg(
        *flags("-f lavfi -i testsrc=size=640x360:rate=2:duration=60 -c:v libx264 -preset veryfast -threads 1"),
        *flags(f"-profile:v {profile} -pix_fmt yuv420p -b:v 200k -f h264"),
        "-bsf:v",
        f"h264_metadata=sei_user_data={SEI_UUID}+{SEI_MARKER}",
        str(raw),
    )
    raw.write_bytes(with_captions(raw.read_bytes(), CAPTION_TEXT))
    video = "-c:v copy" if codec == "h264" else "-c:v libx265 -preset ultrafast -x265-params log-level=error"
    ffmpeg(*flags(f"-framerate 2 -i {raw} -f lavfi -i sine=duration=60 {video} -c:a aac"), str(path))
    raw.unlink()
    return path


# --- shape: anamorphic, interlaced ---


def interlaced_dv_shape(path: Path, aspect: str, seconds: float = 60) -> Path:
    """PAL DV's geometry (720x576, bottom field first, pixels 16:15 or 64:45 wide) with motion between fields."""
    sar = {"4:3": "16/15", "16:9": "64/45"}[aspect]
    ffmpeg(
        *flags(f"-f lavfi -i testsrc2=size=720x576:rate=4:duration={seconds}"),
        "-vf",
        f"tinterlace=mode=interleave_bottom,setfield=bff,setsar={sar}",
        *flags("-c:v libx264 -preset ultrafast -flags +ildct+ilme -x264-params bff=1 -pix_fmt yuv420p"),
        str(path),
    )
    return path


def full_hd_source(path: Path, interlaced: bool, seconds: float = 2) -> Path:
    """1920x1080 H.264 High at a modest bitrate, 1080i (top field first) or 1080p."""
    fields = "-vf tinterlace=mode=interleave_top,setfield=tff -flags +ildct+ilme" if interlaced else ""
    rate = 4 if interlaced else 2
    ffmpeg(
        *flags(f"-f lavfi -i testsrc2=size=1920x1080:rate={rate}:duration={seconds} {fields}"),
        *flags("-c:v libx264 -preset veryfast -profile:v high -b:v 2M -pix_fmt yuv420p"),
        str(path),
    )
    return path


# --- sound: loudness, channels, timing ---


def speech_like(channels: str, gain_db: float, seconds: float = 60) -> str:
    """Pink noise in bursts, as speech comes, at `gain_db`; `channels` mono or 5.1 (the same in every channel)."""
    layout = {"mono": "mono|c0=c0", "5.1": "5.1|FL=c0|FR=c0|FC=c0|LFE=c0|BL=c0|BR=c0"}[channels]
    bursts = f"{10 ** (gain_db / 20):.5f}*(0.25+0.75*gt(sin(2*PI*t*0.7),0))"
    return f"anoisesrc=color=pink:sample_rate=48000:duration={seconds}:seed=7,volume='{bursts}':eval=frame,pan={layout}"


def sound_source(path: Path, channels: str, gain_db: float, clip: bool = False) -> Path:
    """60 s of small video with that sound in AAC; `clip` drives it far past full scale, as a loud camera records."""
    sound = speech_like(channels, gain_db) + (",volume=30dB,alimiter=limit=1:level=0" if clip else "")
    ffmpeg(
        *flags("-f lavfi -i testsrc=size=160x120:rate=2:duration=60 -f lavfi -i"),
        sound,
        *flags("-c:v libx264 -preset ultrafast -c:a aac -b:a 192k"),
        str(path),
    )
    return path


def picture_shorter_than_sound(path: Path) -> Path:
    """45 s of picture, 60 s of sound."""
    ffmpeg(
        *flags("-f lavfi -i testsrc=size=160x120:rate=2:duration=45 -f lavfi -i sine=duration=60"),
        *flags("-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac"),
        str(path),
    )
    return path


FLASH_AT_S = 20.0


def flash_and_beep(path: Path) -> Path:
    """Variable frame rate picture (about 12 fps, frames dropped at random) that turns white at FLASH_AT_S, and
    sound whose stream starts 2 s late with a beep from the same moment: sync is checked flash against beep."""
    flash = f"drawbox=c=white:t=fill:enable='gte(t,{FLASH_AT_S})'"
    beep = f"volume=0:enable='lt(t,{FLASH_AT_S - 2})'"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"color=c=black:size=160x120:rate=24:duration=60,{flash}",
        "-itsoffset",
        "2",
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=1000:sample_rate=48000:duration=58,{beep}",
        *flags("-map 0:v -map 1:a -vf select='gt(random(0),0.5)' -fps_mode vfr"),
        *flags("-c:v libx264 -preset ultrafast -c:a aac"),
        str(path),
    )
    return path
