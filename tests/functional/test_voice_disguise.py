"""The voice is disguised so that no search for one inverse brings it back: the speaker's own pitch is
gone (a child and an adult come out at the same pitch), the formants move shorter and longer along the
film, and the duration stays the same.

The voices are synthetic vowels (tests/functional/voice_clips.py: a child's at 280 Hz and an adult's at
150 Hz), made here, so that their pitch and formants are known; real ffmpeg (rubberband, afftfilt,
afreqshift, asendcmd) makes the disguise. Whether a speaker model still recognises real voices, and
whether a recogniser still understands the words, is bench/voice_speakers.py's to measure
(docs/PROTECTION.md, "The voice").
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from chalicelib.domain.protection import VoiceDisguise
from chalicelib.media.protect import make_protected_master
from tests.functional.voice_clips import ADULT, CHILD, RATE, SECONDS, Voice, audio_of, make_voice_clip

VOICES = (CHILD, ADULT)
DRAWS = [VoiceDisguise(seed=random.Random(n).getrandbits(96)) for n in (1, 2)]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("voice")


@pytest.fixture(scope="module")
def sources(folder: Path) -> dict[str, Path]:
    return {voice.name: make_voice_clip(voice, folder / f"{voice.name}.mp4") for voice in VOICES}


@pytest.fixture(scope="module")
def masters(folder: Path, sources: dict[str, Path]) -> dict[tuple[str, int], Path]:
    made = {}
    for voice in VOICES:
        for index, disguise in enumerate(DRAWS):
            output = folder / f"{voice.name}-{index}" / "protected.mkv"
            output.parent.mkdir()
            made[voice.name, index] = make_protected_master(
                str(sources[voice.name]),
                output,
                [],
                width=160,
                height=120,
                voice=disguise,
                audio=True,
                duration_s=SECONDS,
                timeout_s=120,
            )
    return made


def harmonic_spacing(signal: np.ndarray) -> float:
    """The spacing of the middle second's harmonics, in Hz: the first peak of its spectrum's autocorrelation
    between 100 and 400 Hz (a frequency shift moves every harmonic alike and leaves it as it is), the
    shortest lag that comes near the highest, so that twice the spacing is not taken for it."""
    middle = signal[RATE : 2 * RATE].astype(np.float64) * np.hanning(RATE)
    spectrum = np.abs(np.fft.rfft(middle))[:4000]  # 1 Hz bins, up to 4 kHz
    spectrum -= spectrum.mean()
    lags = np.correlate(spectrum, spectrum, mode="full")[len(spectrum) - 1 :]
    window = lags[100:400]
    return float(100 + np.argmax(window >= 0.8 * window.max()))


def centroids(signal: np.ndarray) -> np.ndarray:
    """Where the energy below 4 kHz lies (its centroid, Hz) in each 50 ms of the middle two seconds: it
    follows the formants."""
    frame = RATE // 20
    middle = signal[RATE // 2 : RATE // 2 + 2 * RATE]
    found = []
    for start in range(0, len(middle) - frame + 1, frame):
        power = np.abs(np.fft.rfft(middle[start : start + frame] * np.hanning(frame))) ** 2
        frequencies = np.fft.rfftfreq(frame, 1 / RATE)
        low = frequencies < 4000
        found.append(float((power[low] * frequencies[low]).sum() / power[low].sum()))
    return np.array(found)


@pytest.mark.parametrize("voice", VOICES, ids=lambda voice: voice.name)
def test_the_disguised_voice_lasts_as_long_as_the_original(
    sources: dict[str, Path], masters: dict[tuple[str, int], Path], voice: Voice
) -> None:
    original = audio_of(sources[voice.name])
    for index in range(len(DRAWS)):
        disguised = audio_of(masters[voice.name, index])
        assert len(disguised) == len(original)  # to the sample
        level = [np.sqrt(np.mean(sound[RATE // 2 : -RATE // 2] ** 2)) for sound in (original, disguised)]
        # Still a voice, not silence: quieter (the renditions' loudness normalisation brings it back up).
        assert level[1] > level[0] / 100


def test_the_speakers_own_pitch_is_gone_a_child_and_an_adult_come_out_at_the_same_pitch(
    sources: dict[str, Path], masters: dict[tuple[str, int], Path]
) -> None:
    """Today's disguise multiplied the pitch and shifted it: each voice kept a pitch of its own, which a
    search brought back. Now the pitch is a steady one that does not depend on the speaker at all."""
    for voice in VOICES:
        assert abs(harmonic_spacing(audio_of(sources[voice.name])) - voice.f0) < 3
    for index in range(len(DRAWS)):
        spacings = [harmonic_spacing(audio_of(masters[voice.name, index])) for voice in VOICES]
        assert all(abs(spacing - 187.5) < 4 for spacing in spacings), spacings


@pytest.mark.parametrize("voice", VOICES, ids=lambda voice: voice.name)
def test_the_formants_move_shorter_and_longer_along_the_film_so_no_one_inverse_fits(
    sources: dict[str, Path], masters: dict[tuple[str, int], Path], voice: Voice
) -> None:
    """A steady vowel keeps its formants where they are; disguised, they move up in some steps and down
    in others, by 12 to 28 % (a steady move, as today's disguise made, would be undone by one inverse)."""
    steady = centroids(audio_of(sources[voice.name]))
    assert steady.max() / steady.min() < 1.03
    for index in range(len(DRAWS)):
        moving = centroids(audio_of(masters[voice.name, index])) / np.median(steady)
        assert moving.min() < 0.93 and moving.max() > 1.07, (moving.min(), moving.max())
