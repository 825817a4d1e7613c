"""The voice is disguised: moved off its harmonics so that no plain pitch shift brings it back, and
the duration stays the same, at every corner of the bounds a film's disguise is drawn within; only
the film's own values undo it.

The voices are synthetic vowels (tests/functional/voice_clips.py: a child's at 280 Hz and an adult's
at 150 Hz), made here, so that their harmonics are known; real ffmpeg (rubberband, afreqshift) makes
the disguise. bench/voice_disguise.py searches a whole grid of pitch shifts back; this test tries
the ones nearest to the exact inverse.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from chalicelib.domain.protection import VOICE_PITCH_RANGES, VOICE_SHIFT_HZ_RANGE, VoiceDisguise
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

# Both ends of both pitch ranges, with both ends of the shift: every corner of what may be drawn.
CORNERS = [
    VoiceDisguise(pitch, shift)
    for pitch, shift in itertools.product(itertools.chain(*VOICE_PITCH_RANGES), VOICE_SHIFT_HZ_RANGE)
]
VOICES = (CHILD, ADULT)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("voice")


@pytest.fixture(scope="module")
def sources(folder: Path) -> dict[str, Path]:
    return {voice.name: make_voice_clip(voice, folder / f"{voice.name}.mp4") for voice in VOICES}


def master_of(folder: Path, source: Path, voice: Voice, disguise: VoiceDisguise) -> Path:
    output = folder / f"{voice.name}-{disguise.pitch}-{disguise.shift_hz}" / "protected.mkv"
    output.parent.mkdir(exist_ok=True)
    return make_protected_master(
        str(source), output, [], width=160, height=120, voice=disguise, audio=True, timeout_s=120
    )


def undo(disguise: VoiceDisguise) -> str:
    """The exact inverse of `disguise`: shift back, then pitch back."""
    return f"afreqshift=shift={-disguise.shift_hz},rubberband=pitch={1 / disguise.pitch:.6f}"


@pytest.mark.parametrize("voice", VOICES, ids=lambda voice: voice.name)
@pytest.mark.parametrize("disguise", CORNERS, ids=lambda d: f"pitch{d.pitch}-shift{d.shift_hz:.0f}")
def test_at_every_corner_of_the_bounds_the_voice_is_disguised_and_no_plain_pitch_shift_undoes_it(
    folder: Path, sources: dict[str, Path], voice: Voice, disguise: VoiceDisguise
) -> None:
    source = sources[voice.name]
    master = master_of(folder, source, voice, disguise)
    original, disguised = audio_of(source), audio_of(master)
    assert abs(len(disguised) - len(original)) < RATE * 0.05  # the same duration
    assert harmonic_share(original, voice.f0) > 0.9
    assert harmonic_share(disguised, voice.f0) < 0.35
    for factor in (1 / disguise.pitch, 0.98 / disguise.pitch, 1.02 / disguise.pitch, disguise.pitch):
        assert pitched_back_share(master, factor, voice.f0) < 0.55, factor
    # The film's own values undo it: they are the secret the film's record keeps.
    assert harmonic_share(audio_of(master, undo(disguise)), voice.f0) > 0.75


@pytest.mark.parametrize("voice", VOICES, ids=lambda voice: voice.name)
def test_the_inverse_of_other_values_than_the_films_does_not_undo_it(
    folder: Path, sources: dict[str, Path], voice: Voice
) -> None:
    """Whoever has the code but not the film's record may try the middle of the bounds, or the values
    this code once used for every film (0.86, 90 Hz): neither brings the voice back."""
    (low, high), (low_hz, high_hz) = VOICE_PITCH_RANGES[0], VOICE_SHIFT_HZ_RANGE
    film = VoiceDisguise(low, low_hz)
    master = master_of(folder, sources[voice.name], voice, film)
    for guess in (VoiceDisguise((low + high) / 2, (low_hz + high_hz) / 2), VoiceDisguise(0.86, 90.0)):
        assert harmonic_share(audio_of(master, undo(guess)), voice.f0) < 0.3, guess.__dict__
