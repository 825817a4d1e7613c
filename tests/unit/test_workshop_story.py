import pytest

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.workshops import parse_story, safety_warnings

STORY = {
    "title": "Baku, March 2012",
    "city": "Baku",
    "country": "az",
    "starts_on": "2012-03-05",
    "ends_on": "2012-03-09",
    "partners": ["NGO Reliable Future"],
    "paragraphs": ["Fifteen children came together in the 5-day training; 13 films were finished in 2012."],
}


def test_a_story_like_the_programme_s_articles_is_accepted():
    story, warnings = parse_story(STORY)
    assert story["country"] == "AZ" and warnings == []


@pytest.mark.parametrize(
    "text",
    [
        "12 Nizami street",
        "Nizami küçəsi 12",
        "ul. Lenina 5",
        "Rue de Rivoli 10",
        "AZ1000",
        "postcode 370000",
        "apt. 4",
        "40.4093, 49.8671",
        "40.4093 49.8671",
        "40°24'N 49°52'E",
    ],
)
def test_street_addresses_and_postcodes_are_refused(text):
    with pytest.raises(InvalidRequestError) as refused:
        parse_story({**STORY, "paragraphs": [f"They met at {text}."]})
    assert refused.value.code == "place_too_precise"


def test_a_named_centre_is_the_editor_s_call_with_a_warning():
    _, warnings = parse_story({**STORY, "partners": ["Psycho-Social Rehabilitation Center"]})
    assert [w["code"] for w in warnings] == ["venue_named"]


def test_films_that_protect_a_child_or_are_sensitive_bring_warnings():
    films = [{"sensitive": True}, {"protect_identity": {"faces": True, "voice": False}}, {}]
    assert [w["code"] for w in safety_warnings(films)] == ["identity_protected", "sensitive_films"]
    assert safety_warnings([{}, {"protect_identity": {"faces": False, "voice": False}}]) == []


def test_text_that_is_not_unicode_is_refused():
    with pytest.raises(InvalidRequestError) as refused:
        parse_story({**STORY, "paragraphs": ["half a character: \ud800"]})
    assert refused.value.code == "invalid_paragraphs"
