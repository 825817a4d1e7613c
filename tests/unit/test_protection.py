"""What identity protection a film asks for, and when its outputs carry it (domain/protection.py)."""

from __future__ import annotations

import random

import pytest

from chalicelib.domain.errors import ConflictError, InvalidRequestError
from chalicelib.domain.protection import (
    VOICE_PITCH_RANGES,
    VOICE_SHIFT_HZ_RANGE,
    VoiceDisguise,
    check_protected,
    draw_voice_disguise,
    outputs_protected,
    parse_protection,
    voice_disguise_for,
    voice_to_disguise,
)


def test_protection_is_read_from_faces_and_voice_and_nothing_asked_is_none() -> None:
    assert parse_protection({"faces": True}) == {"faces": True, "voice": False}
    assert parse_protection({"faces": False, "voice": True}) == {"faces": False, "voice": True}
    assert parse_protection({"faces": False, "voice": False}) is None
    assert parse_protection(None) is None


@pytest.mark.parametrize("value", ["yes", [], {"faces": 1}, {"faces": "true"}, {"eyes": True}, {"faces": None}])
def test_anything_else_is_refused_with_its_own_code(value: object) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        parse_protection(value)
    assert refused.value.code == "invalid_protect_identity"


def test_a_film_is_protected_when_its_outputs_carry_at_least_what_was_asked() -> None:
    assert outputs_protected(None, None)
    assert outputs_protected({"faces": False, "voice": False}, None)
    asked = {"faces": True, "voice": True}
    assert not outputs_protected(asked, None)
    assert not outputs_protected(asked, {"faces": True, "voice": False})
    assert outputs_protected(asked, {"faces": True, "voice": True})
    with pytest.raises(ConflictError) as pending:
        check_protected(asked, {"faces": True, "voice": False})
    assert pending.value.code == "protection_pending"


def test_a_voice_disguise_is_drawn_within_the_bounds_in_both_directions() -> None:
    draws = [draw_voice_disguise(random.Random(seed)) for seed in range(200)]
    (down_low, down_high), (up_low, up_high) = VOICE_PITCH_RANGES
    assert all(down_low <= d.pitch <= down_high or up_low <= d.pitch <= up_high for d in draws)
    assert all(VOICE_SHIFT_HZ_RANGE[0] <= d.shift_hz <= VOICE_SHIFT_HZ_RANGE[1] for d in draws)
    assert any(d.pitch < 1 for d in draws) and any(d.pitch > 1 for d in draws)
    assert len(set(draws)) == len(draws)
    assert draw_voice_disguise() != draw_voice_disguise()  # the system's secure source by default


def test_a_stored_disguise_is_kept_and_a_new_one_is_drawn_only_when_the_voice_is_first_asked() -> None:
    stored = VoiceDisguise(0.83, 71.5)
    assert voice_disguise_for({"faces": False, "voice": True}, stored) is stored
    assert voice_disguise_for(None, stored) is stored  # turned off: kept for when it is turned on again
    assert voice_disguise_for({"faces": True, "voice": False}, None) is None
    assert voice_disguise_for(None, None) is None
    assert voice_disguise_for({"faces": False, "voice": True}, None) is not None


def test_a_disguise_does_not_show_its_values_when_printed() -> None:
    assert "0.83" not in repr(VoiceDisguise(0.83, 71.5)) and "71.5" not in str(VoiceDisguise(0.83, 71.5))


def test_the_protection_stage_disguises_the_voice_only_when_it_is_asked_and_never_without_values() -> None:
    stored = VoiceDisguise(0.83, 71.5)
    assert voice_to_disguise({"faces": True, "voice": True}, stored) is stored
    assert voice_to_disguise({"faces": True, "voice": False}, stored) is None  # kept, but not asked now
    assert voice_to_disguise(None, None) is None
    with pytest.raises(ConflictError) as refused:
        voice_to_disguise({"faces": False, "voice": True}, None)
    assert refused.value.code == "voice_disguise_missing"
