"""The voice is spoken again by a vocoder: the speaker's own pitch moves away from where it was (a high
voice down, a low one up), the speaker's own timbre gives way to a generic one, and the duration stays
the same to the sample.

The voices are synthetic vowels (tests/functional/voice_clips.py: a child's at 280 Hz and an adult's at
150 Hz), made here, so that their pitch and formants are known; real ffmpeg decodes the sound and makes
the master, numpy (media/voice_disguise.py) the disguise. Whether a speaker model still recognises real voices, and
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


def pitch_of(signal: np.ndarray) -> float:
    """The middle second's pitch (Hz): the shortest lag between 2 and 12 ms where its autocorrelation comes
    within 10 % of its highest there (a period's multiples score as high as the period)."""
    middle = signal[RATE : 2 * RATE].astype(np.float64)
    lags = np.array([np.dot(middle[:-lag], middle[lag:]) for lag in range(RATE // 500, RATE // 83)])
    return RATE / (RATE // 500 + int(np.argmax(lags >= 0.9 * lags.max())))


def timbre(signal: np.ndarray) -> np.ndarray:
    """The middle second's log spectrum from 300 Hz to 5 kHz, smoothed over 300 Hz, less its mean."""
    middle = signal[RATE : 2 * RATE].astype(np.float64) * np.hanning(RATE)
    power = np.abs(np.fft.rfft(middle)) ** 2  # 1 Hz bins
    smooth = np.log(np.convolve(power, np.ones(301) / 301, mode="same")[300:5000] + 1e-12)
    return smooth - smooth.mean()


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


def test_the_speakers_own_pitch_moves_away_a_childs_down_and_an_adults_up_by_the_films_factor(
    sources: dict[str, Path], masters: dict[tuple[str, int], Path]
) -> None:
    """A high voice (the child's, 280 Hz) comes out lower and a low one (the adult's, 150 Hz) higher, each by
    the film's pitch factor (1.35 to 1.55): neither keeps its own, and a child is no longer heard as one."""
    for voice in VOICES:
        assert pitch_of(audio_of(sources[voice.name])) == pytest.approx(voice.f0, rel=0.03)
        for index, disguise in enumerate(DRAWS):
            moved = voice.f0 / disguise.pitch_factor if voice.f0 > 170 else voice.f0 * disguise.pitch_factor
            assert pitch_of(audio_of(masters[voice.name, index])) == pytest.approx(moved, rel=0.05), (voice, index)


def test_the_speakers_own_timbre_gives_way_to_a_generic_one(
    sources: dict[str, Path], masters: dict[tuple[str, int], Path]
) -> None:
    """The child's and the adult's vowels have formants of their own; disguised, each film's long-term spectral
    envelope is levelled to the same generic slope, so the two voices' spectra come out far nearer each other
    than they were (the speaker's timbre is not in the output), and each far from its own."""
    originals = {voice.name: timbre(audio_of(sources[voice.name])) for voice in VOICES}
    apart = float(np.sqrt(np.mean((originals["child"] - originals["adult"]) ** 2)))
    for index in range(len(DRAWS)):
        disguised = {voice.name: timbre(audio_of(masters[voice.name, index])) for voice in VOICES}
        assert float(np.sqrt(np.mean((disguised["child"] - disguised["adult"]) ** 2))) < apart / 2
        for voice in VOICES:
            assert float(np.sqrt(np.mean((disguised[voice.name] - originals[voice.name]) ** 2))) > apart / 2
