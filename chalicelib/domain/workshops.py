"""A workshop's story, as an editor writes it for the public workshop page.

The story says where and when young people met and what they made, like the programme's own
articles, but it must never make a child locatable: the place is a city, nothing finer. Every text of
it is checked as all public text is (`domain/public_text.py`): addresses, phones and map points are
refused, a named school, shelter or centre brings a warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.metadata import is_unicode_text, parse_country
from chalicelib.domain.public_text import check_public_text, venue_warnings

STORY_FIELDS = ("title", "city", "country", "starts_on", "ends_on", "partners", "paragraphs")
TITLE_MAX_CHARS = 160
CITY_MAX_CHARS = 60
PARTNER_MAX_CHARS = 120
MAX_PARTNERS = 12
PARAGRAPH_MAX_CHARS = 2000
MAX_PARAGRAPHS = 12


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
    texts = _texts_of(story)
    for name, text in texts:
        check_public_text(name, text)
    return story, venue_warnings(texts)


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
    """Each public text of the story, with its place in the user's words."""
    texts = [("story's title", story["title"]), ("city", story["city"])]
    texts += [(f"name of partner {number}", partner) for number, partner in enumerate(story["partners"], 1)]
    texts += [(f"text of paragraph {n}", paragraph) for n, paragraph in enumerate(story["paragraphs"], 1)]
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
