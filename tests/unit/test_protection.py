"""What identity protection a film asks for, and when its outputs carry it (domain/protection.py)."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import ConflictError, InvalidRequestError
from chalicelib.domain.protection import check_protected, outputs_protected, parse_protection


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
