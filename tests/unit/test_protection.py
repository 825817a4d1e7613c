"""What identity protection a film asks for, and when its outputs carry it (domain/protection.py)."""

from __future__ import annotations

import itertools
import random

import pytest

from chalicelib.domain.errors import ConflictError, InvalidRequestError
from chalicelib.domain.protection import (
    VOICE_SHIFT_HZ_RANGE,
    VOICE_STEP_S_RANGE,
    VOICE_TRACT_RANGES,
    Protection,
    VoiceDisguise,
    check_protected,
    draw_voice_disguise,
    must_render_again,
    outputs_protected,
    parse_protection,
    still_applied,
    voice_disguise_for,
    voice_to_disguise,
)


def test_protection_is_read_from_faces_and_voice_and_nothing_asked_is_none() -> None:
    assert parse_protection({"faces": True}) == Protection(faces=True)
    assert parse_protection({"faces": False, "voice": True}) == Protection(voice=True)
    assert parse_protection({"faces": False, "voice": False}) is None
    assert parse_protection(None) is None


@pytest.mark.parametrize("value", ["yes", [], {"faces": 1}, {"faces": "true"}, {"eyes": True}, {"faces": None}])
def test_anything_else_is_refused_with_its_own_code(value: object) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        parse_protection(value)
    assert refused.value.code == "invalid_protect_identity"


def test_no_protection_has_one_form_none() -> None:
    assert Protection.of({"faces": False, "voice": False}) is None and Protection.of(None) is None
    with pytest.raises(ValueError):
        Protection(faces=False, voice=False)


def test_a_film_is_protected_when_its_outputs_carry_at_least_what_was_asked() -> None:
    assert outputs_protected(None, None)
    assert outputs_protected(Protection.named(faces=False, voice=False), None)
    asked = Protection(faces=True, voice=True)
    assert not outputs_protected(asked, None)
    assert not outputs_protected(asked, Protection(faces=True))
    assert outputs_protected(asked, Protection(faces=True, voice=True))
    with pytest.raises(ConflictError) as pending:
        check_protected(asked, Protection(faces=True))
    assert pending.value.code == "protection_pending"


def test_a_transcoded_film_is_made_again_when_its_outputs_do_not_carry_exactly_what_is_asked():
    faces, both = Protection(faces=True), Protection(faces=True, voice=True)
    assert must_render_again(faces, None)  # turned on
    assert must_render_again(both, faces)  # voice added
    assert must_render_again(faces, both)  # voice taken away: asking for less gives less
    assert must_render_again(None, faces)  # turned off: the unblurred film comes back
    assert not must_render_again(faces, faces)
    assert not must_render_again(None, None)
    assert not must_render_again(Protection.named(faces=False, voice=False), None)


def test_while_a_film_is_made_again_only_what_old_and_new_outputs_both_carry_is_claimed():
    faces, both = Protection(faces=True), Protection(faces=True, voice=True)
    assert still_applied(both, faces) == faces
    assert still_applied(faces, both) == faces
    assert still_applied(None, both) is None
    assert still_applied(both, None) is None


def test_a_voice_disguise_is_a_path_of_steps_within_the_bounds_each_drawn_shorter_or_longer() -> None:
    draws = [draw_voice_disguise(random.Random(seed)) for seed in range(200)]
    (down_low, down_high), (up_low, up_high) = VOICE_TRACT_RANGES
    for disguise in draws:
        steps = disguise.steps(62.0)
        assert steps == disguise.steps(62.0)  # the same path every time: a re-run makes the same sound
        assert steps[0].start_s == 0 and steps[-1].start_s < 62.0
        gaps = [b.start_s - a.start_s for a, b in itertools.pairwise(steps)]
        assert all(VOICE_STEP_S_RANGE[0] - 0.002 <= gap <= VOICE_STEP_S_RANGE[1] + 0.002 for gap in gaps)
        assert all(down_low <= s.tract <= down_high or up_low <= s.tract <= up_high for s in steps)
        assert all(VOICE_SHIFT_HZ_RANGE[0] <= s.shift_hz <= VOICE_SHIFT_HZ_RANGE[1] for s in steps)
        shorter = sum(s.tract < 1 for s in steps)
        assert 0.25 < shorter / len(steps) < 0.75  # both kinds of step in every film: no one inverse fits
    assert len(set(draws)) == len(draws)
    assert len({d.steps(5.0) for d in draws}) == len(draws)  # each film its own path
    assert draw_voice_disguise() != draw_voice_disguise()  # the system's secure source by default
    assert len(draw_voice_disguise(random.Random(1)).steps(0.0)) == 1  # an empty sound has one step


def test_a_stored_disguise_is_kept_and_a_new_one_is_drawn_only_when_the_voice_is_first_asked() -> None:
    stored = VoiceDisguise(seed=8371)
    assert voice_disguise_for(Protection(voice=True), stored) is stored
    assert voice_disguise_for(None, stored) is stored  # turned off: kept for when it is turned on again
    assert voice_disguise_for(Protection(faces=True), None) is None
    assert voice_disguise_for(None, None) is None
    assert voice_disguise_for(Protection(voice=True), None) is not None


def test_a_disguise_does_not_show_its_values_when_printed() -> None:
    assert "8371" not in repr(VoiceDisguise(seed=8371)) and "8371" not in str(VoiceDisguise(seed=8371))


def test_the_protection_stage_disguises_the_voice_only_when_it_is_asked_and_never_without_values() -> None:
    stored = VoiceDisguise(seed=8371)
    assert voice_to_disguise(Protection(faces=True, voice=True), stored) is stored
    assert voice_to_disguise(Protection(faces=True), stored) is None  # kept, but not asked now
    assert voice_to_disguise(None, None) is None
    with pytest.raises(ConflictError) as refused:
        voice_to_disguise(Protection(voice=True), None)
    assert refused.value.code == "voice_disguise_missing"
