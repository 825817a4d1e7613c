"""The film's path of warps as the vocoder follows it (media/voice_disguise.py): each step's warp at its start,
away from the speaker's own voice (up for a low voice, down for a high one), gliding to the next step's with
no jump, so no steady inverse fits the film and no step boundary clicks."""

from __future__ import annotations

import random

import numpy as np

from chalicelib.domain.protection import draw_voice_disguise
from chalicelib.media.voice_disguise import gliding


def test_the_warp_takes_each_steps_value_at_its_start_and_glides_between_them_away_from_the_speakers_own() -> None:
    steps = draw_voice_disguise(random.Random(7)).steps(10.0)
    starts = np.array([step.start_s for step in steps[:-1]])
    for low_voice in (True, False):
        at_starts = gliding(steps, low_voice, starts)
        expected = [step.warp if low_voice else 1 / step.warp for step in steps[:-1]]
        assert np.allclose(at_starts, expected)
        along = gliding(steps, low_voice, np.arange(0, 10.0, 0.001))
        assert (along > 1).all() if low_voice else (along < 1).all()
        assert np.abs(np.diff(along)).max() < 0.002  # no jump: at most 0.2 % a millisecond
        assert along.max() - along.min() > 0.05  # it moves along the film
