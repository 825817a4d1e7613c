"""Synthetic voices whose harmonics are known, and how much of a sound still lies on them.

A voice here is a steady vowel: a fundamental (F0) and its harmonics up to 4 kHz, shaped by three
formants. An adult's (150 Hz) and a child's (280 Hz, formants higher: a shorter vocal tract), made
with numpy and put in a tiny clip with ffmpeg, for tests/functional/test_voice_disguise.py.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE, SECONDS = 48_000, 3


@dataclass(frozen=True)
class Voice:
    name: str
    f0: float
    formants: tuple[tuple[float, float], ...]  # (centre, width) in Hz


ADULT = Voice("adult", 150.0, ((700, 120), (1200, 150), (2600, 250)))
CHILD = Voice("child", 280.0, ((850, 130), (1500, 170), (3000, 280)))


def vowel(voice: Voice) -> np.ndarray:
    t = np.arange(RATE * SECONDS) / RATE
    wave = np.zeros_like(t)
    for harmonic in range(1, int(4000 / voice.f0)):
        frequency = harmonic * voice.f0
        gain = sum(np.exp(-(((frequency - centre) / width) ** 2) / 2) for centre, width in voice.formants)
        wave += gain * np.sin(2 * np.pi * frequency * t)
    return (0.3 * wave / np.abs(wave).max()).astype(np.float32)


def ffmpeg(*args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", *args], input=stdin, capture_output=True, check=True
    ).stdout


def make_voice_clip(voice: Voice, path: Path) -> Path:
    """A small grey film speaking `voice`'s vowel, with AAC sound as an upload would have."""
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
        str(path),
        stdin=vowel(voice).tobytes(),
    )
    return path


def audio_of(path: Path, filters: str = "anull") -> np.ndarray:
    raw = ffmpeg(
        "-i", str(path), "-map", "0:a:0", "-af", filters, "-ac", "1", "-ar", str(RATE), "-f", "f32le", "pipe:1"
    )
    return np.frombuffer(raw, dtype=np.float32)
