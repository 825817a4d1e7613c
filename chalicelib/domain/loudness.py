"""How loud every film's sound is made: the gain the main pass applies, decided from a measurement.

Every film plays at an integrated loudness of -16 LUFS (EBU R 128 measurement, the level streaming
services use for speech-led content) with a true peak of at most -1 dBTP. The transcode applies one
gain to the whole film and then a true-peak limiter, because a single gain cannot hold both numbers
for a film whose peaks stand far above its loudness (a door slam in a quiet room): the limiter holds
the peak, and where it must work hard, the film ends up a little quieter than -16. The true peak wins.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

TARGET_LUFS = -16.0
MAX_TRUE_PEAK_DBTP = -1.0
# The limiter aims below the promise: AAC encoding and the return to 48 kHz add a few tenths of a dB of peak.
LIMITER_CEILING_DBTP = -2.0
# The most a film is raised. A whisper at -36 LUFS reaches -16; a quieter one stays quieter rather than
# have its noise floor (hiss, hum, the room) raised by more than 20 dB.
MAX_GAIN_DB = 20.0
# Below this, EBU R 128's absolute gate leaves nothing to measure: a silent film's sound stays silent (no gain).
SILENCE_LUFS = -70.0


@dataclass(frozen=True)
class Loudness:
    """A measurement of the sound after the downmix to stereo: integrated loudness and true peak."""

    integrated_lufs: float
    true_peak_dbtp: float

    @property
    def silent(self) -> bool:
        return not math.isfinite(self.integrated_lufs) or self.integrated_lufs <= SILENCE_LUFS


def gain_db(measured: Loudness) -> float:
    """The gain that brings the film to TARGET_LUFS, never more than MAX_GAIN_DB; none for silence."""
    if measured.silent:
        return 0.0
    return round(min(TARGET_LUFS - measured.integrated_lufs, MAX_GAIN_DB), 2)


def limiter_ceiling() -> float:
    """The limiter's ceiling as a linear sample value (of 1.0 = full scale)."""
    return round(10 ** (LIMITER_CEILING_DBTP / 20), 4)
