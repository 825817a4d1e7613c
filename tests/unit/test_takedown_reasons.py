"""Why a film is taken down: one of the reasons editors pick, a note for "other" only; a reason that is not one of
them is refused with a code that says what is wrong, and none at all still takes the film down."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.takedown_reasons import NOTE_MAX_CHARS, TakedownReason, TakedownWhy, parse_takedown


@pytest.mark.parametrize("reason", ["consent_withdrawn", "safeguarding", "family_request"])
def test_each_reason_is_kept_as_given(reason: str) -> None:
    assert parse_takedown({"reason": reason}) == TakedownWhy(TakedownReason(reason))
    assert parse_takedown({"reason": reason}).as_details() == {"reason": reason}


def test_other_keeps_its_note_trimmed() -> None:
    why = parse_takedown({"reason": "other", "note": "  The partner organisation asked.  "})
    assert why.as_details() == {"reason": "other", "note": "The partner organisation asked."}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"reason": "bored"}, "reason_unknown"),
        ({"reason": ["safeguarding"]}, "reason_unknown"),
        ({"reason": "OTHER", "note": "x"}, "reason_unknown"),
        ({"reason": "other"}, "reason_note_missing"),
        ({"reason": "other", "note": "   "}, "reason_note_missing"),
        ({"reason": "other", "note": 12}, "reason_note_missing"),
        ({"reason": "other", "note": "x" * (NOTE_MAX_CHARS + 1)}, "reason_note_missing"),
        ({"reason": "safeguarding", "note": "a note where none belongs"}, "invalid_note"),
        ({"note": "a note without a reason"}, "invalid_note"),
        ([], "invalid_json"),
    ],
)
def test_a_missing_or_unknown_reason_is_refused_with_its_code(body: object, code: str) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        parse_takedown(body)
    assert refused.value.code == code


@pytest.mark.parametrize("body", [None, {}, {"reason": ""}, {"reason": None}])
def test_no_reason_still_takes_the_film_down_and_says_none_was_given(body: object) -> None:
    assert parse_takedown(body).as_details() == {"reason": "not_given"}


@pytest.mark.parametrize(
    ("note", "code"),
    [
        ("The mother phoned from +994 50 123 45 67.", "contact_details"),
        ("Write to family@example.org about it.", "contact_details"),
        ("The family lives at 14 Nizami Street.", "place_too_precise"),
        ("They stay at 40.4093, 49.8671 now.", "place_too_precise"),
    ],
)
def test_a_note_holding_contact_details_or_a_place_is_refused_naming_the_note(note: str, code: str) -> None:
    # The note outlives the film and every personal datum in its audit trail: none may be in it.
    with pytest.raises(InvalidRequestError) as refused:
        parse_takedown({"reason": "other", "note": note})
    assert refused.value.code == code
    assert refused.value.message.startswith("The note ") and "audit trail" in refused.value.message
