"""The voice spoken again by a vocoder: the words' spectral envelope, moved away from the speaker's own, on a
new pitch (docs/PROTECTION.md, "The voice"; bench/voice_speakers.py measures it).

Pure numpy on mono sound at 16 kHz (the protection stage decodes to it and makes the master from the result):
- every frame of 32 ms (a new one every 8 ms) is split into its spectral envelope (the log spectrum's first
  cepstral coefficients: the vocal tract, whatever the pitch) and the rest, which is thrown away: the
  speaker's own glottal sound, breath and pitch are not in the output;
- the envelope is levelled: the film's own long-term mean envelope (much of the speaker's timbre) is replaced
  by a generic slope;
- its frequency axis is stretched by the path's warp (up for a voice whose median pitch is low, down for a
  high one), gliding from step to step: no steady inverse fits every step;
- it is excited again by a pulse train at a new pitch (the speaker's median moved by the film's pitch factor,
  the same way, with half the intonation) in voiced frames and by noise in the others, mixed by how
  periodic each frame is.
The output has exactly as many samples as the input and the input's mean power (never past full scale).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from chalicelib.domain.protection import VoiceStep
from chalicelib.media.protect import DISGUISE_RATE as RATE

Sound = npt.NDArray[np.float32]
_Array = npt.NDArray[np.float64]

FRAME, HOP = 512, 128
# Cepstral coefficients kept as the envelope: 26 samples (1.6 ms) is under the period of a 600 Hz voice.
LIFTER = 26
# A median pitch below this is a low voice (moved up); at or above it a high one (moved down).
LOW_VOICE_HZ = 170.0
PITCH_RANGE_HZ = (70.0, 450.0)
# Of the speaker's own intonation (the pitch's movement around its median), this power is kept.
INTONATION = 0.5
# The generic slope the levelled envelope takes: flat to 500 Hz, then falling about 6 dB an octave.
SLOPE_KNEE_HZ = 500.0
# The levelling moves no frequency by more than this (natural log: 40 dB), so a band the film never sounds in
# (nothing above 4 kHz, say) is not raised out of its silence.
LEVELLING_LIMIT = 4.6


def _window() -> _Array:
    return np.hanning(FRAME + 1)[:FRAME]


def _frames(sound: _Array) -> _Array:
    padded = np.concatenate([np.zeros(FRAME), sound, np.zeros(FRAME + HOP)])
    count = (len(padded) - FRAME) // HOP + 1
    index = np.arange(FRAME)[None, :] + HOP * np.arange(count)[:, None]
    return np.asarray(padded[index] * _window())


def frame_spectra(sound: _Array) -> npt.NDArray[np.complex128]:
    return np.fft.rfft(_frames(sound), axis=1)


def overlap_add(spectra: npt.NDArray[np.complex128], length: int) -> _Array:
    """Overlap-add of the frames, each windowed again and normalised by the windows' sum."""
    window = _window()
    frames = np.fft.irfft(spectra, n=FRAME, axis=1) * window
    total = HOP * (len(frames) - 1) + FRAME
    out, weight = np.zeros(total), np.zeros(total)
    for index, frame in enumerate(frames):
        out[index * HOP : index * HOP + FRAME] += frame
        weight[index * HOP : index * HOP + FRAME] += window * window
    return (out / np.maximum(weight, 1e-3))[FRAME : FRAME + length]


def log_envelopes(spectra: npt.NDArray[np.complex128]) -> _Array:
    """Each frame's log spectral envelope (the cepstrum's first LIFTER coefficients)."""
    cepstra = np.fft.irfft(np.log(np.abs(spectra) + 1e-7), n=FRAME, axis=1)
    cepstra[:, LIFTER : FRAME - LIFTER + 1] = 0
    return np.asarray(np.fft.rfft(cepstra, n=FRAME, axis=1).real)


def _pitch(sound: _Array) -> tuple[_Array, _Array, _Array]:
    """Each frame's pitch (Hz), periodicity (0 to 1: the normalised autocorrelation's peak) and level."""
    frames = _frames(sound)
    frames = frames - frames.mean(axis=1, keepdims=True)
    power = np.abs(np.fft.rfft(frames, n=2 * FRAME, axis=1)) ** 2
    lags = np.fft.irfft(power, axis=1)[:, :FRAME]
    window_lags = np.fft.irfft(np.abs(np.fft.rfft(_window(), n=2 * FRAME)) ** 2)[:FRAME]
    lags = lags / np.maximum(window_lags, 1e-9)
    lags = lags / np.maximum(lags[:, :1], 1e-12)
    shortest, longest = int(RATE / PITCH_RANGE_HZ[1]), int(RATE / PITCH_RANGE_HZ[0])
    lag = shortest + np.argmax(lags[:, shortest:longest], axis=1)
    periodicity = lags[np.arange(len(frames)), lag]
    return RATE / lag, periodicity, np.sqrt(np.mean(frames**2, axis=1))


def gliding(steps: Sequence[VoiceStep], low_voice: bool, times: _Array) -> _Array:
    """The warp at each time: each step's value at its start, a raised-cosine glide to the next."""
    starts = np.array([step.start_s for step in steps])
    values = np.array([step.warp if low_voice else 1 / step.warp for step in steps])
    index = np.clip(np.searchsorted(starts, times, side="right") - 1, 0, len(steps) - 2)
    progress = np.clip((times - starts[index]) / (starts[index + 1] - starts[index]), 0, 1)
    progress = (1 - np.cos(np.pi * progress)) / 2
    return np.asarray(values[index] * (1 - progress) + values[index + 1] * progress)


def disguise(sound: Sound, steps: Sequence[VoiceStep], pitch_factor: float, noise_seed: int = 0) -> Sound:
    """`sound` (mono, RATE) spoken again along the path `steps` (at least two, the last at or past its end)."""
    if len(sound) < FRAME:
        return np.zeros_like(sound)
    samples = sound.astype(np.float64)
    spectra = frame_spectra(samples)
    count = len(spectra)
    times = np.arange(count) * HOP / RATE
    envelopes = log_envelopes(spectra)
    pitch, periodicity, level = _pitch(samples)
    heard = level > 0.05 * np.percentile(level, 95)
    voiced = heard & (periodicity > 0.45)
    median = float(np.median(pitch[voiced])) if voiced.any() else LOW_VOICE_HZ
    low_voice = median < LOW_VOICE_HZ

    # Levelled: the film's mean envelope where there is sound becomes the generic slope.
    frequencies = np.fft.rfftfreq(FRAME, 1 / RATE)
    mean = envelopes[heard].mean(axis=0) if heard.any() else envelopes.mean(axis=0)
    slope = -np.log1p(frequencies / SLOPE_KNEE_HZ)
    correction = np.clip(slope - slope.mean() + mean.mean() - mean, -LEVELLING_LIMIT, LEVELLING_LIMIT)
    levelled = envelopes + correction
    # Stretched: the output's envelope at f is the levelled one at f / warp.
    warps = gliding(steps, low_voice, times)
    moved = np.empty_like(levelled)
    for index in range(count):
        moved[index] = np.interp(frequencies / warps[index], frequencies, levelled[index])

    # The new excitation: pulses at the new pitch, noise, each with a flat spectrum, mixed by periodicity.
    own = np.where(voiced, pitch, median)
    own = np.median(np.lib.stride_tricks.sliding_window_view(np.pad(own, 2, mode="edge"), 5), axis=1)
    target = median * (pitch_factor if low_voice else 1 / pitch_factor)
    new_pitch = np.interp(np.arange(len(samples)) / RATE, times, target * (own / median) ** INTONATION)
    phase = np.cumsum(new_pitch / RATE)
    pulses = (np.diff(np.floor(phase), prepend=0) > 0).astype(np.float64)
    noise = np.random.default_rng(noise_seed).standard_normal(len(samples))
    excitations = []
    for signal in (pulses, noise):
        spectrum = frame_spectra(signal)
        excitations.append(spectrum / (np.sqrt(np.mean(np.abs(spectrum) ** 2, axis=1, keepdims=True)) + 1e-9))
    mix = np.where(heard, np.clip((periodicity - 0.3) / 0.4, 0, 1), 0)[:, None]
    excitation = np.sqrt(mix) * excitations[0] + np.sqrt(1 - mix) * excitations[1]
    out = overlap_add(np.exp(moved) * excitation, len(samples))
    # As loud as the input (its mean power), never past full scale.
    power = float(np.mean(out**2))
    gain = np.sqrt(float(np.mean(samples**2)) / power) if power > 0 else 0.0
    peak = float(np.abs(out).max()) * gain
    return (out * (gain / peak if peak > 1 else gain)).astype(np.float32)
