"""Every text that can become public is refused when it holds an address, phone, e-mail, postcode or map
point, however it is disguised; ordinary titles, descriptions and subtitle lines pass (issue 22, item 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.public_text import check_film_texts, check_public_text, film_texts, normalise, venue_warnings

DATA = Path(__file__).parent / "data"


def _strings(name: str) -> list[str]:
    groups = json.loads((DATA / name).read_text(encoding="utf-8"))
    return [text for key, texts in groups.items() if not key.startswith("_") for text in texts]


REFUSED = _strings("public_text_refused.json")
ACCEPTED = _strings("public_text_accepted.json")
WARNED = _strings("public_text_warned.json")


@pytest.mark.parametrize("text", REFUSED)
def test_fixture_a_every_address_phone_postcode_and_map_point_is_refused(text):
    with pytest.raises(InvalidRequestError) as refused:
        check_public_text("description", text)
    assert refused.value.code in ("place_too_precise", "contact_details")
    assert refused.value.message.startswith("The description seems to hold ")


@pytest.mark.parametrize("text", REFUSED)
def test_fixture_a_is_refused_inside_a_sentence_as_well(text):
    with pytest.raises(InvalidRequestError):
        check_public_text("title", f"Leyla lives at {text}, come and see")


def test_fixture_b_has_at_least_100_texts_in_three_languages():
    assert len(ACCEPTED) >= 100
    for required in ("My street", "Bizim küçə", "Наша улица", "12 years old", "2012", "Grade 5"):
        assert required in ACCEPTED


@pytest.mark.parametrize("text", ACCEPTED)
def test_fixture_b_every_ordinary_text_is_accepted_without_a_warning(text):
    check_public_text("title", text)
    assert venue_warnings([("title", text)]) == []


@pytest.mark.parametrize("text", WARNED)
def test_named_places_are_accepted_with_a_warning(text):
    check_public_text("title", text)
    assert [warning["code"] for warning in venue_warnings([("title", text)])] == ["venue_named"]


def test_the_refusal_names_the_field_and_says_why_in_plain_words():
    with pytest.raises(InvalidRequestError) as phone:
        check_public_text("English title", "Leyla at 12 Nizami street, +994501234567")
    assert phone.value.message.startswith("The English title seems to hold ")
    with pytest.raises(InvalidRequestError) as mail:
        check_public_text("subtitles, cue 3", "write to leyla.aliyeva2012@mail.ru")
    assert mail.value.code == "contact_details"
    assert "cue 3 seems to hold an e-mail address" in mail.value.message and "reach" in mail.value.message


def test_a_film_s_texts_are_checked_and_a_workshop_slug_is_read_as_its_words():
    with pytest.raises(InvalidRequestError) as refused:
        check_film_texts({"title": "Our yard", "workshop": "nizami-kucesi-12-apt-5-baku"})
    assert refused.value.code == "place_too_precise" and refused.value.message.startswith("The workshop ")
    with pytest.raises(InvalidRequestError) as english:
        check_film_texts({"title": "Our yard", "title_en": "Leyla at 12 Nizami street, +994501234567"})
    assert english.value.message.startswith("The English title ")
    fields = {"title": "Our yard", "description": "Filmed in 2012.", "workshop": "school-5-baku", "topics": ["x"]}
    check_film_texts(fields)
    assert [w["code"] for w in venue_warnings(film_texts(fields))] == ["venue_named"]


def test_disguises_are_undone_before_reading():
    # Full-width digits, a soft hyphen, a zero-width space; an ordinal mark for degrees, curly quotes.
    assert normalise("\uff11\uff12 Ni\u00adzami STR\u200bEET") == "12 nizami street"
    assert normalise("40\u00ba24\u201933\u201d") == "40°24'33\""


def test_text_whose_direction_is_turned_is_refused_as_it_would_be_shown_otherwise():
    # A browser shows "12 \u202eteerts imazin" as "12 nizami street": no check of the characters' order sees that.
    with pytest.raises(InvalidRequestError) as refused:
        check_public_text("title", "12 \u202eteerts imazin")
    assert refused.value.code == "hidden_characters"
    assert "direction" in refused.value.message
