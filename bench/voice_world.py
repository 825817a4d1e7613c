"""The voice spoken again by the WORLD vocoder (pyworld), made speaker-neutral: a disguise tried beside the
whisper and not kept (docs/PROTECTION.md, "WORLD vocoder, tried and not kept"). Bench only: the product's
protection (chalicelib/media/protect.py) has the whisper alone; bench/voice_speakers.py measures this one with
`--engine world` and speaks its blind inversion with the same analysis and synthesis. pyworld is in the bench's
venv only (requirements-bench-voice.txt). `python -m bench.voice_world --self-check` checks it on synthetic vowels.

Mono sound at 16 kHz (the bench decodes the film's sound to it and makes the master's sound from the result)
is analysed by WORLD every 5 ms: its pitch (harvest, or dio refined by stonemask), its spectral envelope
(cheaptrick) and its aperiodicity (d4c). It is synthesised again with:
- the pitch replaced: the film's log-pitch contour is normalised (its own mean and spread taken away) and laid
  on a fixed neutral register with a reduced range, so the child's pitch level never survives;
- the spectral envelope made speaker-neutral: its long-term mean (over the frames with sound, in the log
  domain) is replaced by a fixed generic one (and, with `Settings.variance`, its spread around the mean
  levelled too), then its frequency axis is stretched along the film's secret path (`VoiceDisguise.steps`:
  each step's tract factor, to the power `Settings.strength`, with short glides between steps);
- the aperiodicity kept (breath stays breath, voiced stays voiced).
Exactly as many samples as the input, as loud (its mean power), never past full scale. Deterministic: WORLD
has no random draw in its synthesis, so a film always gives the same sound.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyworld  # type: ignore[import-not-found]  # in the bench's venv only

from chalicelib.domain.protection import VoiceStep

Sound = npt.NDArray[np.float32]
_Array = npt.NDArray[np.float64]

RATE = 16_000
FRAME_PERIOD_MS = 5.0
PITCH_RANGE_HZ = (70.0, 600.0)
# The neutral register every disguised voice speaks in: its median pitch, and the spread of its log-pitch
# (natural log: 0.06 is about one semitone) around it.
NEUTRAL_PITCH_HZ = 140.0
# The generic long-term envelope (log power): flat to the knee, then falling 6 dB an octave.
GENERIC_KNEE_HZ = 500.0


@dataclass(frozen=True)
class Settings:
    strength: float = 1.0  # the path's tract factors to this power (0: no warp)
    pitch_spread: float = 0.06  # the new log-pitch's spread around the neutral register
    variance: bool = False  # level the envelope's spread around its mean to a flat one too
    band: tuple[float, float] | None = None  # keep only this band (Hz), e.g. (300, 3400)
    glide_s: float = 0.06  # how long the warp takes to go from one step's factor to the next
    f0: str = "harvest"  # or "dio" (dio refined by stonemask: faster)
    lifter: int = 0  # keep only this many coded (mel-cepstral) dimensions of the envelope (0: all)
    pitch_smooth_s: float = 0.0  # smooth the new log-pitch contour over this long (0: not)


DEFAULT = Settings()


def analyse(sound: _Array, f0_method: str = "harvest") -> tuple[_Array, _Array, _Array, _Array]:
    """WORLD's analysis: times, pitch (0 where unvoiced), spectral envelope, aperiodicity."""
    low, high = PITCH_RANGE_HZ
    if f0_method == "dio":
        f0, times = pyworld.dio(sound, RATE, f0_floor=low, f0_ceil=high, frame_period=FRAME_PERIOD_MS)
        f0 = pyworld.stonemask(sound, f0, times, RATE)
    else:
        f0, times = pyworld.harvest(sound, RATE, f0_floor=low, f0_ceil=high, frame_period=FRAME_PERIOD_MS)
    envelope = pyworld.cheaptrick(sound, f0, times, RATE)
    aperiodicity = pyworld.d4c(sound, f0, times, RATE)
    return times, f0, envelope, aperiodicity


def synthesise(f0: _Array, envelope: _Array, aperiodicity: _Array, length: int) -> _Array:
    out = pyworld.synthesize(
        np.ascontiguousarray(f0),
        np.ascontiguousarray(envelope),
        np.ascontiguousarray(aperiodicity),
        RATE,
        FRAME_PERIOD_MS,
    )
    return np.asarray(np.pad(out, (0, max(0, length - len(out))))[:length])


def heard_frames(envelope: _Array) -> npt.NDArray[np.bool_]:
    """The frames with sound: louder than the film's 30th percentile of frame power."""
    level = np.log(envelope.sum(axis=1) + 1e-12)
    return np.asarray(level > np.percentile(level, 30))


def neutral_pitch(f0: _Array, spread: float) -> _Array:
    """The voiced frames' log-pitch, its mean and spread taken away, laid on the neutral register."""
    voiced = f0 > 0
    if voiced.sum() < 2:
        return f0.copy()
    logs = np.log(f0[voiced])
    z = np.clip((logs - logs.mean()) / max(float(logs.std()), 1e-3), -2.5, 2.5)
    out = np.zeros_like(f0)
    out[voiced] = np.exp(np.log(NEUTRAL_PITCH_HZ) + spread * z)
    return out


def smoothed_pitch(f0: _Array, seconds: float) -> _Array:
    """The voiced frames' log-pitch averaged over `seconds` (a Hann window over the voiced frames only)."""
    voiced = f0 > 0
    if not voiced.any():
        return f0
    width = max(3, int(seconds * 1000 / FRAME_PERIOD_MS) | 1)
    kernel = np.hanning(width + 2)[1:-1]
    logs = np.where(voiced, np.log(np.where(voiced, f0, 1.0)), 0.0)
    total = np.convolve(logs, kernel, mode="same")
    weight = np.convolve(voiced.astype(np.float64), kernel, mode="same")
    out = np.zeros_like(f0)
    out[voiced] = np.exp(total[voiced] / np.maximum(weight[voiced], 1e-9))
    return out


def smoothed_envelope(log_envelope: _Array, dimensions: int) -> _Array:
    """The envelope through WORLD's coding with `dimensions` (mel-cepstral) dimensions: its fine detail gone."""
    fft_size = (log_envelope.shape[1] - 1) * 2
    coded = pyworld.code_spectral_envelope(np.exp(log_envelope), RATE, dimensions)
    return np.asarray(np.log(pyworld.decode_spectral_envelope(coded, RATE, fft_size) + 1e-16))


def generic_envelope(frequencies: _Array) -> _Array:
    return np.asarray(-2.0 * np.log1p(frequencies / GENERIC_KNEE_HZ))


def neutral_envelope(log_envelope: _Array, heard: npt.NDArray[np.bool_], variance: bool) -> _Array:
    """The long-term mean (over the heard frames) replaced by the generic one, as loud on average; with
    `variance`, every frequency's spread around it levelled to the film's average spread."""
    frequencies = np.linspace(0, RATE / 2, log_envelope.shape[1])
    frames = log_envelope[heard] if heard.any() else log_envelope
    mean = frames.mean(axis=0)
    speech = (frequencies > 100) & (frequencies < 5000)
    generic = generic_envelope(frequencies)
    generic = generic - generic[speech].mean() + mean[speech].mean()
    deviation = log_envelope - mean
    if variance:
        spread = frames.std(axis=0)
        kernel = np.hanning(9) / np.hanning(9).sum()
        spread = np.convolve(np.pad(spread, 4, mode="edge"), kernel, mode="valid")
        deviation = deviation * (spread[speech].mean() / np.maximum(spread, 1e-3))
    return np.asarray(generic + deviation)


def warp_path(steps: Sequence[VoiceStep], times: _Array, strength: float, glide_s: float) -> _Array:
    """Each frame's warp: the step's tract factor to the power `strength`, gliding (raised cosine, in log)
    over `glide_s` centred on each step's start."""
    starts = np.array([step.start_s for step in steps])
    logs = np.log(np.array([step.tract for step in steps])) * strength
    index = np.clip(np.searchsorted(starts, times, side="right") - 1, 0, len(steps) - 1)
    out = logs[index].copy()
    for k in range(1, len(steps)):
        near = np.abs(times - starts[k]) < glide_s / 2
        progress = (times[near] - starts[k] + glide_s / 2) / glide_s
        blend = (1 - np.cos(np.pi * progress)) / 2
        out[near] = logs[k - 1] * (1 - blend) + logs[k] * blend
    return np.asarray(np.exp(out))


def warp_envelope(log_envelope: _Array, warps: _Array) -> _Array:
    """Each frame's envelope with its frequency axis stretched: the output at f is the input at f / warp."""
    bins = np.arange(log_envelope.shape[1], dtype=np.float64)
    out = np.empty_like(log_envelope)
    for index, warp in enumerate(np.broadcast_to(warps, (len(log_envelope),))):
        out[index] = np.interp(bins / warp, bins, log_envelope[index])
    return out


def band_limit(log_envelope: _Array, band: tuple[float, float]) -> _Array:
    """60 dB down outside `band`, with half-octave raised-cosine edges."""
    frequencies = np.linspace(0, RATE / 2, log_envelope.shape[1])
    octaves = np.maximum(
        np.log2(band[0] / np.maximum(frequencies, 1.0)), np.log2(np.maximum(frequencies, 1.0) / band[1])
    )
    depth = np.clip(octaves / 0.5, 0, 1)
    return np.asarray(log_envelope - 13.8 * (1 - np.cos(np.pi * depth)) / 2)


def matched_level(out: _Array, sound: _Array) -> Sound:
    power = float(np.mean(out**2))
    gain = np.sqrt(float(np.mean(sound**2)) / power) if power > 0 else 0.0
    peak = float(np.abs(out).max()) * gain
    return (out * (gain / peak if peak > 0.99 else gain)).astype(np.float32)


def disguise(sound: Sound, steps: Sequence[VoiceStep], settings: Settings = DEFAULT) -> Sound:
    """`sound` (mono, RATE) spoken again in the neutral voice along the path `steps`."""
    if len(sound) < RATE // 10 or not np.any(sound):
        return np.zeros_like(sound)
    samples = sound.astype(np.float64)
    times, f0, envelope, aperiodicity = analyse(samples, settings.f0)
    log_envelope = np.log(envelope + 1e-16)
    neutral = neutral_envelope(log_envelope, heard_frames(envelope), settings.variance)
    if settings.lifter:
        neutral = smoothed_envelope(neutral, settings.lifter)
    moved = warp_envelope(neutral, warp_path(steps, times, settings.strength, settings.glide_s))
    if settings.band is not None:
        moved = band_limit(moved, settings.band)
    pitch = neutral_pitch(f0, settings.pitch_spread)
    if settings.pitch_smooth_s:
        pitch = smoothed_pitch(pitch, settings.pitch_smooth_s)
    out = synthesise(pitch, np.exp(moved), aperiodicity, len(samples))
    return matched_level(out, samples)


# The self-check (`--self-check`): the disguise on synthetic vowels keeps the duration to the sample, lays the
# pitch on the neutral register whatever the speaker's, moves the envelope along the path both ways and gives
# every speaker the same long-term envelope. Run in the bench's venv (pyworld is not in the project's).


def _expect(holds: bool, failure: str) -> None:
    """Like assert, but kept under `python -O`."""
    if not holds:
        raise AssertionError(failure)


def vowel(pitch_hz: float, formants: tuple[float, ...], seconds: float = 1.5, length: int | None = None) -> Sound:
    """A pulse train at `pitch_hz` (a slight vibrato) through two-pole resonators at `formants`."""
    count = length or int(seconds * RATE)
    t = np.arange(count) / RATE
    phase = np.cumsum(pitch_hz * (1 + 0.02 * np.sin(2 * np.pi * 4 * t)) / RATE)
    sound = (np.diff(np.floor(phase), prepend=0) > 0).astype(np.float64)
    for formant in formants:
        radius = np.exp(-np.pi * 80 / RATE)
        a1, a2 = -2 * radius * np.cos(2 * np.pi * formant / RATE), radius**2
        out = np.zeros_like(sound)
        for n in range(count):
            out[n] = sound[n] - a1 * out[n - 1] - a2 * out[n - 2] if n >= 2 else sound[n]
        sound = out
    return np.asarray(0.3 * sound / np.abs(sound).max(), dtype=np.float32)


def _steady(tract: float) -> tuple[VoiceStep, ...]:
    return (VoiceStep(start_s=0.0, tract=tract, shift_hz=0.0),)


def _median_pitch(sound: Sound) -> float:
    _, f0, _, _ = analyse(sound.astype(np.float64))
    return float(np.median(f0[f0 > 0]))


def _mean_envelope(sound: Sound) -> _Array:
    _, _, envelope, _ = analyse(sound.astype(np.float64))
    return np.asarray(np.log(envelope[len(envelope) // 4 : -len(envelope) // 4]).mean(axis=0))


def _moved_by(before: _Array, after: _Array) -> float:
    """The stretch of the frequency axis that best takes `before` to `after` (300 Hz to 4 kHz)."""
    frequencies = np.linspace(0, RATE / 2, len(before))
    band = (frequencies > 300) & (frequencies < 4000)
    bins = np.arange(len(before), dtype=np.float64)

    def misfit(factor: float) -> float:
        stretched = np.interp(bins / factor, bins, before)[band]
        return float(np.mean(((stretched - stretched.mean()) - (after[band] - after[band].mean())) ** 2))

    return float(min(np.arange(0.7, 1.41, 0.01), key=misfit))


def _tilt(envelope: _Array) -> float:
    frequencies = np.linspace(0, RATE / 2, len(envelope))
    band = (frequencies > 300) & (frequencies < 4000)
    return float(np.polyfit(np.log2(frequencies[band]), envelope[band], 1)[0])


def check_duration() -> str:
    for length in (RATE, RATE + 123, 3 * RATE + 7):
        out = disguise(vowel(280, (900, 1800, 3000), length=length), _steady(1.2))
        _expect(len(out) == length, f"{len(out)} samples out for {length} in")
    return "the duration is kept to the sample"


def check_silence() -> str:
    out = disguise(np.zeros(RATE, dtype=np.float32), _steady(1.2))
    _expect(len(out) == RATE and not np.any(out), "silence did not stay silence")
    return "silence stays silence and as long"


def check_neutral_pitch() -> str:
    for pitch_hz in (280.0, 120.0):
        sound = vowel(pitch_hz, (700, 1200, 2600))
        own, out = _median_pitch(sound), _median_pitch(disguise(sound, _steady(1.0), Settings(strength=0.0)))
        _expect(abs(own / pitch_hz - 1) <= 0.05, f"the vowel's own pitch read {own:.0f} Hz, not {pitch_hz:.0f}")
        _expect(abs(out / NEUTRAL_PITCH_HZ - 1) <= 0.08, f"a {pitch_hz:.0f} Hz vowel came out at {out:.0f} Hz")
    return f"a vowel comes out at the neutral register ({NEUTRAL_PITCH_HZ:.0f} Hz) whatever its own pitch"


def check_path() -> str:
    sound = vowel(200, (700, 1200, 2600))
    plain = _mean_envelope(disguise(sound, _steady(1.0), Settings(strength=0.0)))
    for tract in (1.25, 0.8):
        moved = _moved_by(plain, _mean_envelope(disguise(sound, _steady(tract))))
        _expect(abs(moved - tract) <= 0.05, f"a path at x{tract} moved the envelope x{moved:.2f}")
    return "the envelope moves with the path both ways"


def check_generic_envelope() -> str:
    # Two vowels of very different slope come out with (nearly) the same long-term envelope's tilt.
    bright, dark = vowel(250, (1000, 2200, 3400)), vowel(110, (500, 900, 2300))
    out = [_tilt(_mean_envelope(disguise(sound, _steady(1.0), Settings(strength=0.0)))) for sound in (bright, dark)]
    own = [_tilt(_mean_envelope(sound)) for sound in (bright, dark)]
    _expect(abs(out[0] - out[1]) < 0.25 * abs(own[0] - own[1]), f"tilts {own} came out as {out}")
    return "the long-term envelope is the generic one whoever speaks"


CHECKS: tuple[Callable[[], str], ...] = (
    check_duration,
    check_silence,
    check_neutral_pitch,
    check_path,
    check_generic_envelope,
)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--self-check", action="store_true", help="check the disguise on synthetic vowels")
    options = parser.parse_args(argv)
    if not options.self_check:
        parser.error("nothing to do: the bench (bench/voice_speakers.py --engine world) uses this module")
    for check in CHECKS:
        print(f"ok: {check()}", flush=True)


if __name__ == "__main__":
    main()
