"""The audio-only pass that measures a source's loudness before the transcode sets its gain.

It decodes the sound only (the picture is skipped, so it costs a fraction of the transcode) through the
same resampling and downmix as the transcode, then EBU R 128 measurement by ffmpeg's `loudnorm` filter,
which reports integrated loudness and true peak (4x oversampled) as JSON on its log.
"""

from __future__ import annotations

import json
import re

from chalicelib.domain.errors import MediaError
from chalicelib.domain.loudness import Loudness
from chalicelib.media.runner import input_args, run

# The sound of every output: 48 kHz stereo (5.1 and mono downmixed by ffmpeg's standard matrix).
SAMPLE_RATE = 48000
STEREO = f"aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo"
_REPORT = re.compile(r"\{[^{}]*\"input_i\"[^{}]*\}", re.DOTALL)


def measure_args(source_path: str, audio_index: int, max_duration_s: float) -> list[str]:
    return [
        "ffmpeg",
        "-nostdin",
        "-hide_banner",
        "-nostats",
        "-v",
        "info",
        *input_args(source_path),
        "-t",
        f"{max_duration_s:g}",
        "-i",
        source_path,
        "-map",
        f"0:{audio_index}",
        "-af",
        f"{STEREO},loudnorm=print_format=json",
        "-f",
        "null",
        "-",
    ]


def measure_loudness(source_path: str, audio_index: int, max_duration_s: float, timeout_s: float) -> Loudness:
    """Integrated loudness (LUFS) and true peak (dBTP) of the source's sound, after the downmix to stereo."""
    completed = run(measure_args(source_path, audio_index, max_duration_s), timeout_s)
    return parse_report(completed.stderr)


def parse_report(stderr: str) -> Loudness:
    found = _REPORT.findall(stderr)
    if not found:
        raise MediaError("The film's sound could not be measured; it may be damaged.")
    report = json.loads(found[-1])
    # loudnorm writes "-inf" for digital silence: float() reads it as such.
    return Loudness(integrated_lufs=float(report["input_i"]), true_peak_dbtp=float(report["input_tp"]))
