"""The protected master: the source with its faces blurred and, when asked, its voice disguised.

The protection stage makes this one file from the source, and the transcode makes every public
output (renditions, poster, sprite) from it, never from the source: whatever the transcode does to
the picture, it cannot show a face the master does not. Matroska with H.264 at a high quality and
FLAC: one generation of loss before the renditions' own. Only the chosen picture and the first
sound are kept, with no metadata or chapters, like every output.

The voice, when a film's `VoiceDisguise` is given, is made into one with no single exact inverse and
none of the child's pitch (docs/PROTECTION.md, "The voice", says how far a speaker model still
recognises it and how well a recogniser still understands it; bench/voice_speakers.py measures both):
- its vocal tract moves along the film's path of steps, shorter or longer, changing every 0.3 to 0.8 s:
  one rubberband per tract factor of the film (its pitch factor moves the formants and the whole
  spectrum), each heard only during its own steps;
- it is whispered (afftfilt): every analysis frame's magnitudes are smeared over neighbouring bins and
  levelled against the frame's broad spectrum, and its phases are drawn at random, so what sounds is
  breath shaped by the moved formants, with no pitch at all and little of the speaker's own spectral
  slope. The child's pitch and intonation are not in the output;
- a frequency shift (afreqshift, changed at each step's start by asendcmd) moves every component by
  60 to 100 Hz, which moves the low formants relatively more than the high ones;
- only the telephone band is kept (300 to 3400 Hz): the words are carried there, while the low and
  high ends carry much of what tells speakers apart.
The steps are the film's secret: they go into the filter script beside the output, never onto the
command line, so a process listing or a logged command does not show them. Same duration, to the sample
(tests/functional/test_voice_disguise.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from chalicelib.domain.faces import BlurRegion
from chalicelib.domain.protection import VoiceDisguise
from chalicelib.domain.rules import DecodeCaps
from chalicelib.media.faceblur import blur_filter, filtered_input_args, write_filter_script
from chalicelib.media.fingerprint import frames_chain, frames_output_args
from chalicelib.media.runner import run

MASTER_NAME = "protected.mkv"
# The master's encoder speed. At CRF 14 superfast encodes in about 0.4x veryfast's time, for a file
# about twice as large (docs/BENCHMARKS.md, "Identity protection"): the master is an intermediate,
# read once by the transcode, and its encode was as long as the whole unprotected transcode.
MASTER_PRESET = "superfast"


# Every sound is taken to 48 kHz first.
VOICE_RATE = 48_000
# Frames of 1024 samples (21 ms), a new one every 256. Each bin's magnitude is the mean over 7 neighbouring
# bins (+-140 Hz), so no harmonic of the child's own pitch is left; it is levelled against the frame's broad
# spectrum (9 bins 375 Hz apart, +-1.5 kHz) to the power LEVELLING, which keeps where the formants are and
# takes away most of the speaker's own slope; the frame's loudness (its mean magnitude up to 9.4 kHz, kept in
# variable 2 from bin 0 on) is kept. The phase is drawn at random (an LCG in variable 1, the same sequence in
# the real and the imaginary part, so each bin gets one phase): breath, not a voice. Deterministic: the
# same film always gives the same sound.
SMEAR_BINS = 3
BROAD_BINS, BROAD_STEP = 32, 8
LEVELLING = 0.7
SPEECH_BAND_HZ = (300, 3400)


def _magnitude(offset: str) -> str:
    return f"hypot(real({offset},ch),imag({offset},ch))"


def _mean(offsets: Sequence[str]) -> str:
    return f"({'+'.join(_magnitude(offset) for offset in offsets)})/{len(offsets)}"


_SMEARED = _mean([f"b{k:+d}" for k in range(-SMEAR_BINS, SMEAR_BINS + 1)])
_BROAD = _mean([f"b{k:+d}" for k in range(-BROAD_BINS, BROAD_BINS + 1, BROAD_STEP)])
_LOUDNESS = f"if(eq(b,0),st(2,{_mean([str(k) for k in range(4, 200, 6)])}),ld(2))"
_LEVELLED = f"({_SMEARED})*pow(({_LOUDNESS}+1e-6)/({_BROAD}+1e-6),{LEVELLING})"
WHISPER = (
    f"afftfilt=real='{_LEVELLED}*cos(6.283185*random(1))':imag='{_LEVELLED}*sin(6.283185*random(1))'"
    ":win_size=1024:overlap=0.75"
)
_LOW, _HIGH = SPEECH_BAND_HZ
TELEPHONE_BAND = f"highpass=f={_LOW},highpass=f={_LOW},lowpass=f={_HIGH},lowpass=f={_HIGH}"


def voice_graph(voice: VoiceDisguise | None, duration_s: float) -> str:
    """The sound's part of the graph, from the source's first sound to `[sound]`: the film's disguise along
    its path over `duration_s`, or the sound untouched (None)."""
    if voice is None:
        return "[0:a:0]anull[sound]"
    steps = voice.steps(duration_s)
    tracts = sorted({step.tract for step in steps})
    # One rubberband per tract factor, each heard only during its own steps (a factor changed while
    # rubberband runs would lengthen the sound); every frame of 1024 samples hears exactly one of them.
    branches = []
    for index, tract in enumerate(tracts):
        spans = [
            (step.start_s, following.start_s if following else 1e9)
            for step, following in zip(steps, [*steps[1:], None], strict=True)
            if step.tract == tract
        ]
        gate = "+".join(f"gte(t,{start:.3f})*lt(t,{end:.3f})" for start, end in spans)
        branches.append(f"[v{index}]rubberband=pitch={tract:.4f},volume=volume='{gate}':eval=frame[w{index}]")
    shifts = ";".join(f"{step.start_s:.3f} afreqshift shift {step.shift_hz:.1f}" for step in steps)
    split = "".join(f"[v{index}]" for index in range(len(tracts)))
    mixed = "".join(f"[w{index}]" for index in range(len(tracts)))
    return ";\n".join(
        [
            f"[0:a:0]aresample={VOICE_RATE},asplit={len(tracts)}{split}",
            *branches,
            f"{mixed}amix=inputs={len(tracts)}:normalize=0,{WHISPER},asendcmd=c='{shifts}',"
            f"afreqshift=shift={steps[0].shift_hz:.1f},{TELEPHONE_BAND}[sound]",
        ]
    )


def protect_args(
    source: str,
    output: Path,
    regions: Sequence[BlurRegion],
    *,
    width: int,
    height: int,
    voice: VoiceDisguise | None,
    audio: bool,
    duration_s: float,
    caps: DecodeCaps | None = None,
    fingerprint_frames: Path | None = None,
) -> list[str]:
    graph = blur_filter(regions, width, height, "0:v:0", "picture")
    if audio:
        graph += f";\n{voice_graph(voice, duration_s)}"
    # The source's own picture, before the blur: the fingerprint of what was sent (media/fingerprint.py).
    frames = []
    if fingerprint_frames is not None:
        graph += f";\n[0:v:0]{frames_chain()}[fingerprint]"
        frames = frames_output_args("fingerprint", str(fingerprint_frames))
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
    args = protect_args(
        source,
        output,
        regions,
        width=width,
        height=height,
        voice=voice,
        audio=audio,
        duration_s=duration_s,
        caps=caps,
        fingerprint_frames=fingerprint_frames,
    )
    run(args, timeout_s)
    return output
