"""Editorial rules: what an editor may change, and what must be true before a film goes public.

Nothing is public until an editor publishes it, and publishing needs recorded consent: the
guardian's consent and the child's own assent, with a reference to where they are kept. A film
flagged sensitive (a victim or an offender tells their story) also needs an explicit safeguarding
confirmation at the moment it is published.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.domain.errors import ConflictError, InvalidRequestError
from chalicelib.domain.film import Film
from chalicelib.domain.metadata import (
    DESCRIPTION_MAX_CHARS,
    MAX_TOPICS,
    TITLE_MAX_CHARS,
    is_unicode_text,
    parse_topic,
    parse_workshop,
)
from chalicelib.domain.protection import check_protected
from chalicelib.domain.public_text import check_film_texts

EDITABLE = ("title", "title_en", "description", "topics", "workshop", "sensitive")
REFERENCE_MAX_CHARS = 200


def parse_consent(body: Any) -> dict[str, Any]:
    """`{guardian_consent: true, child_assent: true, reference}`: both given, and where the forms are."""
    if not isinstance(body, Mapping):
        raise InvalidRequestError("The request body must be a JSON object.", "invalid_json")
    if body.get("guardian_consent") is not True or body.get("child_assent") is not True:
        raise InvalidRequestError(
            "Record consent only when both are given: guardian_consent and child_assent must be true.",
            "invalid_consent",
        )
    reference = body.get("reference")
    if not is_unicode_text(reference) or not reference.strip() or len(reference) > REFERENCE_MAX_CHARS:
        raise InvalidRequestError(
            f"reference must say where the signed forms are kept (1 to {REFERENCE_MAX_CHARS} characters).",
            "invalid_consent",
        )
    return {"guardian_consent": True, "child_assent": True, "reference": reference.strip()}


def parse_edit(body: Any, vocabulary: frozenset[str]) -> dict[str, Any]:
    """The fields an editor changes; `None` for an optional field removes it."""
    if not isinstance(body, Mapping) or not body:
        raise InvalidRequestError(f"Send a JSON object with any of: {', '.join(EDITABLE)}.", "invalid_json")
    unknown = set(body) - set(EDITABLE)
    if unknown:
        raise InvalidRequestError(
            f"{', '.join(sorted(unknown))} cannot be edited; editable fields are {', '.join(EDITABLE)}.",
            "invalid_field",
        )
    changes: dict[str, Any] = {}
    for field in ("title", "title_en"):
        if field in body:
            changes[field] = _text(body[field], field, TITLE_MAX_CHARS, required=field == "title")
    if "description" in body:
        changes["description"] = _text(body["description"], "description", DESCRIPTION_MAX_CHARS, required=False)
    if "topics" in body:
        topics = body["topics"]
        if not isinstance(topics, list) or not topics or len(topics) > MAX_TOPICS:
            raise InvalidRequestError(f"topics must be a list of 1 to {MAX_TOPICS} topic slugs.", "invalid_topic")
        changes["topics"] = tuple(dict.fromkeys(parse_topic(topic, vocabulary) for topic in topics))
    if "workshop" in body:
        changes["workshop"] = None if body["workshop"] in (None, "") else parse_workshop(body["workshop"])
    if "sensitive" in body:
        if not isinstance(body["sensitive"], bool):
            raise InvalidRequestError("sensitive must be true or false.", "invalid_field")
        changes["sensitive"] = body["sensitive"]
    check_film_texts(changes)
    return changes


def parse_seen_version(body: Any) -> int | None:
    """The `version` of the film the editor saw before publishing, when the request says (None otherwise)."""
    seen = body.get("version") if isinstance(body, Mapping) else None
    if seen is None:
        return None
    if isinstance(seen, bool) or not isinstance(seen, int) or seen < 0:
        raise InvalidRequestError(
            "version must be the film's version the editor saw (a whole number).", "invalid_version"
        )
    return seen


def check_unchanged(film: Film, seen_version: int | None) -> None:
    """Refuse to act on a film that changed since the editor saw it at `seen_version` (a protection asked, a title
    edited, a sensitive flag set): what was confirmed is not what would be published."""
    if seen_version is not None and seen_version != film.version:
        raise ConflictError(
            f"Film {film.video_id} changed since it was shown (version {seen_version}, now {film.version}): look at "
            "it again before publishing.",
            "film_changed",
        )


def check_publishable(film: Film, safeguarding_confirmed: bool) -> None:
    consent = film.consent or {}
    if not (consent.get("guardian_consent") and consent.get("child_assent")):
        raise ConflictError(
            "Record the guardian's consent and the child's assent before publishing.",
            "consent_missing",
        )
    if film.sensitive and not safeguarding_confirmed:
        raise ConflictError(
            'This film is flagged sensitive: publish it with {"safeguarding_confirmed": true} once the '
            "safeguarding review is done.",
            "safeguarding_required",
        )
    check_protected(film.protect_identity, film.protection_applied)


def _text(value: Any, field: str, max_chars: int, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidRequestError(f"{field} cannot be empty.", f"invalid_{field}")
        return None
    if not is_unicode_text(value) or len(value.strip()) > max_chars:
        raise InvalidRequestError(f"{field} must be text of at most {max_chars} characters.", f"invalid_{field}")
    return value.strip()
