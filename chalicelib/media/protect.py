"""The protected master: the source with its faces blurred and, when asked, its voice disguised.

The protection stage makes this one file from the source, and the transcode makes every public
output (renditions, poster, sprite) from it, never from the source: whatever the transcode does to
the picture, it cannot show a face the master does not. Matroska with H.264 at a high quality and
FLAC: one generation of loss before the renditions' own. Only the chosen picture and the first
sound are kept, with no metadata or chapters, like every output.

The voice, when a film's `VoiceDisguise` is given: a pitch shift (rubberband, which moves pitch and
formants together), then a frequency shift (afreqshift) that adds the same number of hertz to every
component. A pitch shift multiplies frequencies, so no pitch shift back, by any factor, brings the
harmonics back where they were: the voice stays inharmonic, slightly metallic, and the words
intelligible. Same duration (tempo 1). The two values are drawn per film (domain/protection.py) and
are the film's secret: they go into the filter script beside the output, never onto the command
line, so a process listing or a logged command does not show them.
rubberband's own formant preservation was measured first and moved the formants too little on our
test voice to be relied on (docs/PROTECTION.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from chalicelib.domain.faces import BlurRegion
from chalicelib.domain.protection import VoiceDisguise
from chalicelib.domain.rules import DecodeCaps
from chalicelib.media.faceblur import blur_filter, filtered_input_args, write_filter_script
from chalicelib.media.runner import run

MASTER_NAME = "protected.mkv"
# The master's encoder speed. At CRF 14 superfast encodes in about 0.4x veryfast's time, for a file
# about twice as large (docs/BENCHMARKS.md, "Identity protection"): the master is an intermediate,
# read once by the transcode, and its encode was as long as the whole unprotected transcode.
MASTER_PRESET = "superfast"


def voice_filter(voice: VoiceDisguise | None) -> str:
    """The sound's filter: the film's disguise, or the sound untouched (None)."""
    if voice is None:
        return "anull"
    return f"rubberband=pitch={voice.pitch:.4f},afreqshift=shift={voice.shift_hz:.1f}"


def protect_args(
    source: str,
    output: Path,
    regions: Sequence[BlurRegion],
    *,
    width: int,
    height: int,
    voice: VoiceDisguise | None,
    audio: bool,
    caps: DecodeCaps | None = None,
) -> list[str]:
    graph = blur_filter(regions, width, height, "0:v:0", "picture")
    if audio:
        graph += f";\n[0:a:0]{voice_filter(voice)}[sound]"
    script = write_filter_script(graph, output.parent)
    sound = ["-map", "[sound]", "-c:a", "flac"] if audio else []
    return [
        *filtered_input_args(source, script, caps),
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
    timeout_s: float,
    caps: DecodeCaps | None = None,
) -> Path:
    """The master, decoding no more of the source than `caps` allow (the transcode's own caps)."""
    args = protect_args(source, output, regions, width=width, height=height, voice=voice, audio=audio, caps=caps)
    run(args, timeout_s)
    return output
