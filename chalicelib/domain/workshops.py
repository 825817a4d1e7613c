"""A workshop's story, as an editor writes it for the public workshop page.

The story says where and when young people met and what they made, like the programme's own
articles, but it must never make a child locatable: the place is a city, nothing finer. Street
addresses are refused; names of centres, schools or shelters cannot be told apart from harmless
words by a rule, so they are the editor's call, and the editor is warned when the text seems to name one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.metadata import is_unicode_text, parse_country

STORY_FIELDS = ("title", "city", "country", "starts_on", "ends_on", "partners", "paragraphs")
TITLE_MAX_CHARS = 160
CITY_MAX_CHARS = 60
PARTNER_MAX_CHARS = 120
MAX_PARTNERS = 12
PARAGRAPH_MAX_CHARS = 2000
MAX_PARAGRAPHS = 12

# A house number beside a street word, in the languages of the programme's region (English,
# Russian and Azerbaijani transliterations among them), or a postcode: what makes a place a venue.
_STREET_WORDS = (
    r"street|str\.|st\.|road|rd\.|avenue|ave\.|boulevard|blvd\.|prospekt|prospect|pr\.|ulitsa|ul\.|"
    r"k[uü]ç[əe]si|kuchasi|k[uü]ç\.|rue|stra(?:ss|ß)e|apartment|apt\."
)
_STREET = re.compile(
    rf"\b\d+[a-z]?[\s,]+(?:\w+[\s,]+){{0,2}}(?:{_STREET_WORDS})(?!\w)"
    rf"|(?<!\w)(?:{_STREET_WORDS})[\s,]+(?:\w+[\s,]+){{0,2}}\d+[a-z]?\b",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"\b[A-Z]{2}-?\d{4}\b|\b\d{5,6}\b")
# GPS coordinates, decimal ("40.4093, 49.8671") or in degrees and minutes ("40°24'N"): a point on a map.
_COORDINATES = re.compile(
    r"-?\d{1,3}\.\d{3,}\s*°?\s*[NSns]?\s*[,;/\s]\s*-?\d{1,3}\.\d{3,}"  # 40.4093, 49.8671
    r"|\d{1,3}\s*°\s*\d{1,2}\s*[\'\u2032]"  # 40°24'N (the minutes' mark: an apostrophe or a prime)
)
# Words that name a place children go to be helped, held or taught: the editor decides, warned.
_VENUE_WORDS = re.compile(
    r"\b(cent(er|re)s?|shelters?|rehabilitation|orphanages?|schools?|detention|prisons?|colony|colonies|"
    r"hospitals?|clinics?|institutions?|boarding|camps?|gymnasium|lyceum|internat)\b",
    re.IGNORECASE,
)


def parse_story(body: Any) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """A checked story and the warnings its editor should read before it goes public."""
    if not isinstance(body, Mapping):
        raise InvalidRequestError("The request body must be a JSON object.", "invalid_json")
    unknown = set(body) - set(STORY_FIELDS)
    if unknown:
        raise InvalidRequestError(
            f"{', '.join(sorted(unknown))} is not part of a story; its parts are {', '.join(STORY_FIELDS)}.",
            "invalid_field",
        )
    story: dict[str, Any] = {
        "title": _text(body.get("title"), "title", TITLE_MAX_CHARS),
        "city": _text(body.get("city"), "city", CITY_MAX_CHARS),
        "country": parse_country(body.get("country")),
        "starts_on": _date(body.get("starts_on"), "starts_on"),
        "ends_on": _date(body.get("ends_on"), "ends_on"),
        "partners": _texts(body.get("partners", []), "partners", MAX_PARTNERS, PARTNER_MAX_CHARS, required=False),
        "paragraphs": _texts(body.get("paragraphs"), "paragraphs", MAX_PARAGRAPHS, PARAGRAPH_MAX_CHARS, required=True),
    }
    if story["ends_on"] < story["starts_on"]:
        raise InvalidRequestError("The workshop cannot end before it starts.", "invalid_dates")
    if any(character.isdigit() for character in story["city"]) or "," in story["city"]:
        raise InvalidRequestError("Write only the city's name: no street, number or district.", "place_too_precise")
    for name, text in _texts_of(story):
        if _STREET.search(text) or _POSTCODE.search(text) or _COORDINATES.search(text):
            raise InvalidRequestError(
                f"The {name} seems to hold a street address, postcode or map coordinates: a story names the city, "
                "nothing finer, "
                "so that no child can be found from it.",
                "place_too_precise",
            )
    warnings = []
    named = sorted({match.group(0).lower() for _, text in _texts_of(story) for match in _VENUE_WORDS.finditer(text)})
    if named:
        warnings.append(
            {
                "code": "venue_named",
                "message": f"The story mentions {', '.join(repr(word) for word in named)}: make sure it names no "
                "centre, school or shelter where the children can be found.",
            }
        )
    return story, warnings


def public_story(story: Mapping[str, Any]) -> dict[str, Any]:
    return {field: story[field] for field in STORY_FIELDS if story.get(field) is not None}


def safety_warnings(films: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Warnings for the editor of a workshop's story when some of its films need extra care."""
    sensitive = sum(1 for film in films if film.get("sensitive"))
    protected = sum(1 for film in films if _protected(film))
    warnings = []
    if protected:
        warnings.append(
            {
                "code": "identity_protected",
                "message": f"{_films(protected)} of this workshop protect{'s' if protected == 1 else ''} a child's "
                "identity: the story must say nothing that tells who or where they are.",
            }
        )
    if sensitive:
        warnings.append(
            {
                "code": "sensitive_films",
                "message": f"{_films(sensitive)} of this workshop {'is' if sensitive == 1 else 'are'} flagged "
                "sensitive: keep the story general (no centre, no case, no detail that points to a child).",
            }
        )
    return warnings


def _protected(film: Mapping[str, Any]) -> bool:
    protection = film.get("protect_identity")
    return (
        bool(protection.get("faces") or protection.get("voice"))
        if isinstance(protection, Mapping)
        else bool(protection)
    )


def _films(number: int) -> str:
    return "1 film" if number == 1 else f"{number} films"


def _texts_of(story: Mapping[str, Any]) -> list[tuple[str, str]]:
    texts = [("title", story["title"]), ("city", story["city"])]
    texts += [("list of partners", partner) for partner in story["partners"]]
    texts += [("text", paragraph) for paragraph in story["paragraphs"]]
    return texts


def _text(value: Any, field: str, max_chars: int) -> str:
    if not is_unicode_text(value) or not value.strip() or len(value.strip()) > max_chars:
        raise InvalidRequestError(f"{field} must be text of 1 to {max_chars} characters.", f"invalid_{field}")
    return " ".join(value.split())


def _texts(value: Any, field: str, max_items: int, max_chars: int, *, required: bool) -> list[str]:
    if not isinstance(value, list) or len(value) > max_items or (required and not value):
        least = 1 if required else 0
        raise InvalidRequestError(f"{field} must be a list of {least} to {max_items} texts.", f"invalid_{field}")
    texts = [_text(item, field, max_chars) if isinstance(item, str) else None for item in value]
    if any(text is None for text in texts):
        raise InvalidRequestError(f"each of {field} must be text of 1 to {max_chars} characters.", f"invalid_{field}")
    return [text for text in texts if text is not None]


def _date(value: Any, field: str) -> str:
    try:
        return date.fromisoformat(value).isoformat() if isinstance(value, str) and len(value) == 10 else _bad(field)
    except ValueError:
        return _bad(field)


def _bad(field: str) -> str:
    raise InvalidRequestError(f"{field} must be a date such as 2012-03-05.", f"invalid_{field}")
