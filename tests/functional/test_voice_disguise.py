"""The voice is disguised so that no search for one inverse brings it back: the speaker's own pitch is
gone (whispered: no pitch at all, a child's or an adult's), the formants move shorter and longer along
the film, only the telephone band is kept, and the duration stays the same.

The voices are synthetic vowels (tests/functional/voice_clips.py: a child's at 280 Hz and an adult's at
150 Hz), made here, so that their pitch and formants are known; real ffmpeg (rubberband, afftfilt,
afreqshift, asendcmd) makes the disguise. Whether a speaker model still recognises real voices, and
whether a recogniser still understands the words, is bench/voice_speakers.py's to measure
(docs/PROTECTION.md, "The voice").
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from chalicelib.domain.protection import VoiceDisguise
from chalicelib.media.protect import SPEECH_BAND_HZ, TELEPHONE_BAND, WHISPER, make_protected_master
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


def periodicity(signal: np.ndarray) -> float:
    """How periodic the middle second's spectrum is at spacings of 100 to 400 Hz (0: none, 1: pure harmonics):
    the highest autocorrelation of its fine structure (the spectrum less its 60 Hz moving mean) at those lags.
    A frequency shift moves every harmonic alike and leaves it as it is."""
    middle = signal[RATE : 2 * RATE].astype(np.float64) * np.hanning(RATE)
    spectrum = np.abs(np.fft.rfft(middle))[:4000]  # 1 Hz bins, up to 4 kHz
    fine = spectrum - np.convolve(spectrum, np.ones(61) / 61, mode="same")
    lags = np.correlate(fine, fine, mode="full")[len(fine) - 1 :]
    return float(lags[100:400].max() / lags[0])


def envelope(sound: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """The sound's log spectrum smoothed over 100 Hz, as a function of the frequency."""
    power = np.abs(np.fft.rfft(sound * np.hanning(len(sound)))) ** 2
    smooth = np.convolve(power, np.ones(int(100 * len(sound) / RATE)), mode="same")
    frequencies = np.fft.rfftfreq(len(sound), 1 / RATE)
    return lambda at: np.interp(at, frequencies, np.log(smooth + 1e-12))


def formant_factor(sound: np.ndarray, reference: np.ndarray) -> float:
    """By how much `sound`'s spectral envelope is `reference`'s stretched (above 1: formants higher)."""
    grid = np.arange(400.0, 3200.0, 10.0)
    heard, steady = envelope(sound), envelope(reference)
    return float(
        max(np.arange(0.7, 1.42, 0.01), key=lambda factor: np.corrcoef(heard(grid), steady(grid / factor))[0, 1])
    )


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


def test_the_speakers_own_pitch_is_gone_a_child_and_an_adult_come_out_with_no_pitch_at_all(
    sources: dict[str, Path], masters: dict[tuple[str, int], Path]
) -> None:
    """The disguise before this one replaced the pitch with a steady 187.5 Hz buzz (harmonics 187.5 Hz apart,
    whoever spoke); the one before it kept a pitch of each voice's own, which a search brought back. Now the
    voice is whispered: no harmonics at any spacing, nothing of the speaker's pitch or intonation."""
    for voice in VOICES:
        assert periodicity(audio_of(sources[voice.name])) > 0.5
    for index in range(len(DRAWS)):
        found = [periodicity(audio_of(masters[voice.name, index])) for voice in VOICES]
        assert all(value < 0.2 for value in found), found


def test_only_the_telephone_band_is_kept(masters: dict[tuple[str, int], Path]) -> None:
    """Below 300 Hz and above 3.4 kHz the voice carries much of what tells speakers apart and little of the
    words: a disguised voice sounds like one on the telephone."""
    low, high = SPEECH_BAND_HZ
    for (name, index), master in masters.items():
        sound = audio_of(master)[RATE // 2 : -RATE // 2]
        power = np.abs(np.fft.rfft(sound)) ** 2
        frequencies = np.fft.rfftfreq(len(sound), 1 / RATE)
        outside = power[(frequencies < low / 2) | (frequencies > high * 1.5)].sum()
        assert outside < 0.01 * power.sum(), (name, index)


@pytest.mark.parametrize("voice", VOICES, ids=lambda voice: voice.name)
def test_the_formants_move_shorter_and_longer_along_the_film_so_no_one_inverse_fits(
    sources: dict[str, Path], masters: dict[tuple[str, int], Path], voice: Voice
) -> None:
    """Each step of the film's path moves the vowel's spectral envelope up (a shorter tract) or down (a
    longer one), by 12 to 28 %, against the same vowel whispered through the same band with no path: both
    ways in one film, which no steady inverse undoes."""
    steady = audio_of(sources[voice.name], f"aresample={RATE},{WHISPER},{TELEPHONE_BAND}")[RATE // 2 : -RATE // 2]
    for index, disguise in enumerate(DRAWS):
        sound = audio_of(masters[voice.name, index])
        steps = disguise.steps(SECONDS)
        measured = []
        for step, following in zip(steps, [*steps[1:], None], strict=True):
            start, end = step.start_s + 0.05, min(following.start_s if following else SECONDS, SECONDS) - 0.05
            if end - start > 0.1:
                measured.append((step.tract, formant_factor(sound[int(start * RATE) : int(end * RATE)], steady)))
        assert {tract > 1 for tract, _ in measured} == {True, False}, measured
        for tract, factor in measured:
            assert (factor > 1.1) if tract > 1 else (factor < 0.93), measured
