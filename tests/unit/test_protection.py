"""What identity protection a film asks for, and when its outputs carry it (domain/protection.py)."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import ConflictError, InvalidRequestError
from chalicelib.domain.protection import (
    check_protected,
    must_render_again,
    outputs_protected,
    parse_protection,
    still_applied,
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


def test_a_transcoded_film_is_made_again_when_its_outputs_do_not_carry_exactly_what_is_asked():
    faces, both = {"faces": True, "voice": False}, {"faces": True, "voice": True}
    assert must_render_again(faces, None)  # turned on
    assert must_render_again(both, faces)  # voice added
    assert must_render_again(faces, both)  # voice taken away: asking for less gives less
    assert must_render_again(None, faces)  # turned off: the unblurred film comes back
    assert not must_render_again(faces, faces)
    assert not must_render_again(None, None)
    assert not must_render_again({"faces": False, "voice": False}, None)


def test_while_a_film_is_made_again_only_what_old_and_new_outputs_both_carry_is_claimed():
    faces, both = {"faces": True, "voice": False}, {"faces": True, "voice": True}
    assert still_applied(both, faces) == faces
    assert still_applied(faces, both) == faces
    assert still_applied(None, both) is None
    assert still_applied(both, None) is None
