"""The voice is disguised: moved off its harmonics so that no plain pitch shift brings it back, and
the duration stays the same.

The voice is a synthetic vowel (a 150 Hz voice with formants at 700, 1200 and 2600 Hz), made here,
so that its harmonics are known; real ffmpeg (rubberband, afreqshift) makes the disguise.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from chalicelib.media.protect import VOICE_PITCH, make_protected_master

RATE, SECONDS, F0 = 48_000, 3, 150.0
FORMANTS = ((700, 120), (1200, 150), (2600, 250))


def vowel() -> np.ndarray:
    t = np.arange(RATE * SECONDS) / RATE
    wave = np.zeros_like(t)
    for harmonic in range(1, int(4000 / F0)):
        frequency = harmonic * F0
        gain = sum(np.exp(-(((frequency - centre) / width) ** 2) / 2) for centre, width in FORMANTS)
        wave += gain * np.sin(2 * np.pi * frequency * t)
    return (0.3 * wave / np.abs(wave).max()).astype(np.float32)


def ffmpeg(*args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", *args], input=stdin, capture_output=True, check=True
    ).stdout


def audio_of(path: Path, filters: str = "anull") -> np.ndarray:
    raw = ffmpeg(
        "-i", str(path), "-map", "0:a:0", "-af", filters, "-ac", "1", "-ar", str(RATE), "-f", "f32le", "pipe:1"
    )
    return np.frombuffer(raw, dtype=np.float32)


def harmonic_share(signal: np.ndarray) -> float:
    """The share of the middle second's energy that lies on the original voice's harmonics (n x 150 Hz)."""
    middle = signal[RATE : 2 * RATE].astype(np.float64) * np.hanning(RATE)
    spectrum = np.abs(np.fft.rfft(middle)) ** 2
    frequencies = np.fft.rfftfreq(RATE, 1 / RATE)
    on_harmonics = np.zeros_like(frequencies, dtype=bool)
    for harmonic in range(1, 40):
        on_harmonics |= np.abs(frequencies - harmonic * F0) < 8
    return float(spectrum[on_harmonics].sum() / spectrum.sum())


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("voice")
    source = folder / "voice.mp4"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"color=c=gray:s=160x120:r=10:d={SECONDS}",
        "-f",
        "f32le",
        "-ar",
        str(RATE),
        "-ac",
        "1",
        "-i",
        "pipe:0",
        "-c:v",
        "libx264",
        "-c:a",
        "aac",
        "-b:a",
        "192k",
        "-shortest",
        str(source),
        stdin=vowel().tobytes(),
    )
    master = make_protected_master(
        str(source), folder / "protected.mkv", [], width=160, height=120, voice=True, audio=True, timeout_s=120
    )
    return source, master


def test_the_voice_is_moved_off_its_harmonics_and_keeps_its_duration(clips: tuple[Path, Path]) -> None:
    source, master = clips
    original, disguised = audio_of(source), audio_of(master)
    assert abs(len(disguised) - len(original)) < RATE * 0.05
    assert harmonic_share(original) > 0.9
    assert harmonic_share(disguised) < 0.2


@pytest.mark.parametrize("undo", [1 / VOICE_PITCH, VOICE_PITCH, 1.2, 1 / 1.2])
def test_no_plain_pitch_shift_brings_the_voice_back(clips: tuple[Path, Path], undo: float) -> None:
    _, master = clips
    assert harmonic_share(audio_of(master, f"rubberband=pitch={undo:.6f}")) < 0.3
