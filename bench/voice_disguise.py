"""The voice disguise's bounds: how much of a voice a plain pitch shift brings back, at their corners.

    python -m bench.voice_disguise

For each synthetic voice (tests/functional/voice_clips.py: an adult's at 150 Hz, a child's at 280 Hz,
and a low teenage voice at 110 Hz) and each corner of the bounds (the pitch factors at both ends of
both ranges, the shifts at both ends and beyond), the real protected master is made, then undone
by every plain pitch shift on a grid (0.70 to 1.45, finer around 1/pitch). Printed: the share of
energy on the original harmonics in the disguised voice, after the best pitch shift back (and its
factor), and after the exact inverse (shift back, then pitch back: what someone holding the
film's values can do). Each master's duration is checked against its source.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from chalicelib.domain.protection import VoiceDisguise
from chalicelib.media.protect import make_protected_master
from tests.functional.voice_clips import (
    ADULT,
    CHILD,
    RATE,
    Voice,
    audio_of,
    harmonic_share,
    make_voice_clip,
    pitched_back_share,
)

TEEN = Voice("low teenage", 110.0, ((600, 110), (1100, 140), (2450, 240)))
PITCHES = (0.80, 0.90, 1.12, 1.25)
SHIFTS_HZ = (60.0, 100.0, 140.0)


def undo_factors(pitch: float) -> list[float]:
    coarse = np.arange(0.70, 1.45, 0.02)
    fine = [1 / pitch * (1 + step * 0.005) for step in range(-12, 13)]
    return sorted({round(float(factor), 4) for factor in (*coarse, *fine)})


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        print("| voice | pitch | shift Hz | disguised | best pitch back (factor) | exact inverse | duration kept |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for voice in (CHILD, ADULT, TEEN):
            source = make_voice_clip(voice, work / f"{voice.f0:.0f}.mp4")
            original = audio_of(source)
            for pitch in PITCHES:
                for shift in SHIFTS_HZ:
                    disguise = VoiceDisguise(pitch, shift)
                    master = make_protected_master(
                        str(source),
                        work / "protected.mkv",
                        [],
                        width=160,
                        height=120,
                        voice=disguise,
                        audio=True,
                        timeout_s=120,
                    )
                    disguised = audio_of(master)
                    best, factor = max(
                        (pitched_back_share(master, undo, voice.f0), undo) for undo in undo_factors(pitch)
                    )
                    inverse = audio_of(master, f"afreqshift=shift={-shift},rubberband=pitch={1 / pitch:.6f}")
                    kept = abs(len(disguised) - len(original)) < RATE * 0.05
                    print(
                        f"| {voice.name} {voice.f0:.0f} Hz | {pitch:.2f} | {shift:.0f} | "
                        f"{harmonic_share(disguised, voice.f0):.0%} | {best:.0%} ({factor:.3f}) | "
                        f"{harmonic_share(inverse, voice.f0):.0%} | {'yes' if kept else 'NO'} |",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
