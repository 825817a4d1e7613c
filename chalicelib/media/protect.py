"""The protected master: the source with its faces blurred and, when asked, its voice disguised.

The protection stage makes this one file from the source, and the transcode makes every public
output (renditions, poster, sprite) from it, never from the source: whatever the transcode does to
the picture, it cannot show a face the master does not. Matroska with H.264 at a high quality and
FLAC: one generation of loss before the renditions' own. Only the chosen picture and the first
sound are kept, with no metadata or chapters, like every output.

The voice, when a film's `VoiceDisguise` is given, is spoken again by a vocoder (media/voice_disguise.py):
its words' spectral envelope, levelled and stretched away from the speaker's own along the film's secret path,
on a new pitch; the speaker's own glottal sound and pitch are not in the output. The sound is decoded to mono
16 kHz (within the same caps), disguised in numpy, and the master takes it as its second input, cut or padded
to the source sound's length: the same duration, to the sample (tests/functional/test_voice_disguise.py).
docs/PROTECTION.md, "The voice", says how far a speaker model still recognises it and how well a recogniser
still understands it; bench/voice_speakers.py measures both. The path is the film's secret: it stays in this
process, never on a command line or in a file beside the output.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from chalicelib.domain.faces import BlurRegion
from chalicelib.domain.protection import VoiceDisguise
from chalicelib.domain.rules import DecodeCaps
from chalicelib.media.faceblur import blur_filter, filtered_input_args, write_filter_script
from chalicelib.media.fingerprint import frames_chain, frames_output_args
from chalicelib.media.runner import input_args, run

MASTER_NAME = "protected.mkv"
# The master's encoder speed. At CRF 14 superfast encodes in about 0.4x veryfast's time, for a file
# about twice as large (docs/BENCHMARKS.md, "Identity protection"): the master is an intermediate,
# read once by the transcode, and its encode was as long as the whole unprotected transcode.
MASTER_PRESET = "superfast"


# The master's sound rate, as the renditions'; the voice is disguised at DISGUISE_RATE (media/voice_disguise.py).
SOUND_RATE = 48_000
DISGUISE_RATE = 16_000
DISGUISED_NAME = "voice.f32"
_RAW = ["-f", "f32le", "-ac", "1", "-ar", str(DISGUISE_RATE)]


def voice_graph(disguised: bool) -> str:
    """The sound's part of the graph, to `[sound]`: the source's first sound untouched, or the disguised one
    (the second input) exactly as long as it: the source's sound, silenced, sets the length."""
    if not disguised:
        return "[0:a:0]anull[sound]"
    return (
        f"[0:a:0]aresample={SOUND_RATE},volume=0[length];\n[1:a:0]aresample={SOUND_RATE}[spoken];\n"
        "[length][spoken]amix=inputs=2:duration=first:normalize=0[sound]"
    )


def protect_args(
    source: str,
    output: Path,
    regions: Sequence[BlurRegion],
    *,
    width: int,
    height: int,
    disguised: Path | None,
    audio: bool,
    caps: DecodeCaps | None = None,
    fingerprint_frames: Path | None = None,
) -> list[str]:
    """The master's ffmpeg: the picture blurred, the sound as it was or, with `disguised` (raw mono float at
    DISGUISE_RATE, media/voice_disguise.py), that sound instead."""
    graph = blur_filter(regions, width, height, "0:v:0", "picture")
    if audio:
        graph += f";\n{voice_graph(disguised is not None)}"
    # The source's own picture, before the blur: the fingerprint of what was sent (media/fingerprint.py).
    frames = []
    if fingerprint_frames is not None:
        graph += f";\n[0:v:0]{frames_chain()}[fingerprint]"
        frames = frames_output_args("fingerprint", str(fingerprint_frames))
    script = write_filter_script(graph, output.parent)
    sound = ["-map", "[sound]", "-c:a", "flac"] if audio else []
    second = [*_RAW, "-i", str(disguised)] if audio and disguised is not None else []
    args = filtered_input_args(source, script, caps)
    at = args.index("-filter_complex_script")
    return [
        *args[:at],
        *second,
        *args[at:],
        "-map",
        "[picture]",
        *sound,
        "-c:v",
        "libx264",
        "-preset",
        MASTER_PRESET,
        "-crf",
        "14",
        "-map_metadata",
        "-1",
        "-map_chapters",
        "-1",
        "-fflags",
        "+bitexact",
        "-a53cc",
        "0",
        "-f",
        "matroska",
        str(output),
        *frames,
    ]


def make_protected_master(
    source: str,
    output: Path,
    regions: Sequence[BlurRegion],
    *,
    width: int,
    height: int,
    voice: VoiceDisguise | None,
    audio: bool,
    duration_s: float,
    timeout_s: float,
    caps: DecodeCaps | None = None,
    fingerprint_frames: Path | None = None,
) -> Path:
    """The master, decoding no more of the source than `caps` allow (the transcode's own caps), and with
    `fingerprint_frames`, the source's fingerprint frames in the same decode."""
    deadline = time.monotonic() + timeout_s
    disguised = None
    if voice is not None and audio:
        disguised = _disguised_sound(
            source, output.parent, voice, duration_s=duration_s, timeout_s=timeout_s, caps=caps
        )
    args = protect_args(
        source,
        output,
        regions,
        width=width,
        height=height,
        disguised=disguised,
        audio=audio,
        caps=caps,
        fingerprint_frames=fingerprint_frames,
    )
    run(args, max(deadline - time.monotonic(), 1.0))
    return output


def _disguised_sound(
    source: str, folder: Path, voice: VoiceDisguise, *, duration_s: float, timeout_s: float, caps: DecodeCaps | None
) -> Path:
    """The source's first sound, decoded to mono at DISGUISE_RATE within `caps`, disguised, as a raw file in
    `folder`."""
    # Imported here: numpy is in the protection function's layer only, and app.py imports this module.
    import numpy as np

    from chalicelib.media.voice_disguise import disguise

    decoded = run(
        ["ffmpeg", "-nostdin", "-v", "error", *input_args(source, caps), "-i", source, "-map", "0:a:0", *_RAW, "-"],
        timeout_s,
    )
    sound = np.frombuffer(decoded.stdout, dtype=np.float32)
    path = folder / DISGUISED_NAME
    disguise(sound, voice.steps(max(duration_s, len(sound) / DISGUISE_RATE)), voice.pitch_factor).tofile(path)
    return path
