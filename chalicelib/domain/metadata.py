"""Validation of the metadata a field office sends with an upload (docs/API.md, "What a field office sends").

Only what may become public about a child is accepted: a first name and an age; the public texts
(title, description, workshop) are checked by `domain/public_text.py`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.protection import (
    Protection,
    parse_protection,
    parse_protection_answer,
    parse_protection_correction,
    record_of,
)
from chalicelib.domain.public_text import check_film_texts

TITLE_MAX_CHARS = 120
DESCRIPTION_MAX_CHARS = 2000
FIRST_NAME_MAX_CHARS = 40
MIN_AGE = 5
MAX_AGE = 25
MAX_TOPICS = 5

# Extension -> content types a browser or tool may announce for it.
CONTAINER_TYPES: dict[str, frozenset[str]] = {
    ".mp4": frozenset({"video/mp4"}),
    ".m4v": frozenset({"video/mp4", "video/x-m4v"}),
    ".mov": frozenset({"video/quicktime"}),
    ".3gp": frozenset({"video/3gpp"}),
    ".mkv": frozenset({"video/x-matroska", "video/matroska"}),
    ".webm": frozenset({"video/webm"}),
    ".avi": frozenset({"video/x-msvideo", "video/avi", "video/msvideo"}),
}

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_WORKSHOP = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_NAME_PUNCTUATION = frozenset("-'\u2019")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Author:
    first_name: str
    age: int


@dataclass(frozen=True)
class UploadFile:
    """The file an upload announces: all a draft needs (`POST /uploads` with `"draft": true`)."""

    filename: str
    extension: str
    size_bytes: int
    content_type: str


@dataclass(frozen=True)
class UploadRequest:
    """A validated request to upload one film."""

    title: str
    country: str
    topics: tuple[str, ...]
    author: Author
    filename: str
    extension: str
    size_bytes: int
    content_type: str
    language: str | None = None
    workshop: str | None = None
    description: str | None = None
    # Identity protection asked for by the field office (domain/protection.py); never public.
    protect_identity: Protection | None = None


def parse_upload_request(body: Any, topics: frozenset[str], max_upload_bytes: int) -> UploadRequest:
    """Check every field of a `POST /uploads` body; raise `InvalidRequestError` naming what to fix."""
    file = parse_upload_file(body, max_upload_bytes)
    request = UploadRequest(
        title=_required_text(body, "title", TITLE_MAX_CHARS),
        country=parse_country(body.get("country")),
        topics=_topics(body.get("topics"), topics),
        author=_author(body.get("author")),
        filename=file.filename,
        extension=file.extension,
        size_bytes=file.size_bytes,
        content_type=file.content_type,
        language=_optional_pattern(body, "language", _LANGUAGE, "a BCP 47 tag such as 'az' or 'en-GB'"),
        workshop=_optional_pattern(body, "workshop", _WORKSHOP, "a lowercase slug such as 'baku-2012'"),
        description=_optional_text(body, "description", DESCRIPTION_MAX_CHARS),
        protect_identity=parse_protection(body.get("protect_identity")),
    )
    check_film_texts({"title": request.title, "description": request.description, "workshop": request.workshop})
    return request


def parse_upload_file(body: Any, max_upload_bytes: int) -> UploadFile:
    """The file a `POST /uploads` body announces (name, size, type), checked as for any upload."""
    if not isinstance(body, Mapping):
        raise InvalidRequestError("The request body must be a JSON object.", "invalid_json")
    extension = _extension(_required_text(body, "filename", 255))
    return UploadFile(
        filename=str(body["filename"]).strip(),
        extension=extension,
        size_bytes=_size(body.get("size_bytes"), max_upload_bytes),
        content_type=_content_type(body.get("content_type"), extension),
    )


# What a draft's `POST /uploads` may hold: its file, and how it is sent. The details come with the PATCH that
# completes it (`DETAILS`).
DRAFT_FIELDS = ("filename", "size_bytes", "content_type", "multipart", "draft")
DETAILS = ("title", "country", "topics", "author", "language", "workshop", "description", "protect_identity")


def parse_draft_flag(body: Any) -> bool:
    """Whether a `POST /uploads` body asks for a draft (`"draft": true`): its details come later."""
    value = body.get("draft", False) if isinstance(body, Mapping) else False
    if not isinstance(value, bool):
        raise InvalidRequestError("draft must be true or false.", "invalid_draft")
    return value


def parse_draft_request(body: Any, max_upload_bytes: int) -> UploadFile:
    """A draft's `POST /uploads`: only its file, checked as for any upload; details are refused here (they
    would be stored unchecked or lost): they complete the draft with `PATCH /uploads/{id}`."""
    file = parse_upload_file(body, max_upload_bytes)
    _only(body, DRAFT_FIELDS, "a draft's POST /uploads takes", "send the details with PATCH /uploads/{video_id}")
    return file


def parse_completion(body: Any, file: UploadFile, topics: frozenset[str], max_upload_bytes: int) -> UploadRequest:
    """The details that complete a draft of `file` (`PATCH /uploads/{id}`), every one checked as a full
    `POST /uploads` checks it (the public-text check included)."""
    if not isinstance(body, Mapping) or not body:
        raise InvalidRequestError(f"Send a JSON object with the film's details: {', '.join(DETAILS)}.", "invalid_json")
    _only(body, DETAILS, "a draft is completed with", "its file cannot change: upload it again as a new film")
    parse_protection_answer(body.get("protect_identity"))
    sent = {"filename": file.filename, "size_bytes": file.size_bytes, "content_type": file.content_type}
    return parse_upload_request({**body, **sent}, topics, max_upload_bytes)


def _only(body: Mapping[str, Any], allowed: tuple[str, ...], what: str, advice: str) -> None:
    unknown = set(body) - set(allowed)
    if unknown:
        raise InvalidRequestError(
            f"{', '.join(sorted(unknown))}: {what} only {', '.join(allowed)}; {advice}.", "invalid_field"
        )


def parse_country(value: Any) -> str:
    """An ISO 3166-1 alpha-2 code, upper case."""
    import pycountry  # loaded on first use: keeps it out of every cold start

    if not isinstance(value, str) or len(value) != 2 or pycountry.countries.get(alpha_2=value.upper()) is None:
        raise InvalidRequestError(
            f"country must be an ISO 3166-1 alpha-2 code such as 'AZ' or 'KG'; got {value!r}.",
            "invalid_country",
        )
    return value.upper()


def parse_topic(value: Any, vocabulary: frozenset[str]) -> str:
    if not isinstance(value, str) or value not in vocabulary:
        raise InvalidRequestError(
            f"unknown topic {value!r}; topics are: {', '.join(sorted(vocabulary))}.", "invalid_topic"
        )
    return value


def parse_workshop(value: Any) -> str:
    if not isinstance(value, str) or not _WORKSHOP.fullmatch(value):
        raise InvalidRequestError(
            f"workshop must be a lowercase slug such as 'baku-2012'; got {value!r}.", "invalid_workshop"
        )
    return value


def is_unicode_text(value: Any) -> TypeGuard[str]:
    """A string that is Unicode text: JSON can carry lone UTF-16 surrogates (`"\\ud800"`), which no
    UTF-8 store, page or log takes."""
    return isinstance(value, str) and not _SURROGATE.search(value)


def _required_text(body: Mapping[str, Any], field: str, max_chars: int) -> str:
    value = body.get(field)
    if value is None:
        raise InvalidRequestError(f"{field} is required.", "missing_field")
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequestError(f"{field} must be a non-empty string.", f"invalid_{field}")
    if not is_unicode_text(value):
        message = f"{field} holds a character that is not Unicode text (a lone surrogate)."
        raise InvalidRequestError(message, f"invalid_{field}")
    if len(value.strip()) > max_chars:
        raise InvalidRequestError(
            f"{field} is {len(value.strip())} characters long; at most {max_chars} are allowed.", f"invalid_{field}"
        )
    return value.strip()


def _optional_text(body: Mapping[str, Any], field: str, max_chars: int) -> str | None:
    if body.get(field) in (None, ""):
        return None
    return _required_text(body, field, max_chars)


def _optional_pattern(body: Mapping[str, Any], field: str, pattern: re.Pattern[str], example: str) -> str | None:
    value = body.get(field)
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InvalidRequestError(f"{field} must be {example}; got {value!r}.", f"invalid_{field}")
    return value


def _topics(value: Any, vocabulary: frozenset[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise InvalidRequestError("topics must be a non-empty list of topic slugs.", "invalid_topic")
    if len(value) > MAX_TOPICS:
        raise InvalidRequestError(f"at most {MAX_TOPICS} topics are allowed; got {len(value)}.", "invalid_topic")
    return tuple(dict.fromkeys(parse_topic(topic, vocabulary) for topic in value))


def _author(value: Any) -> Author:
    if not isinstance(value, Mapping):
        raise InvalidRequestError("author must be an object with first_name and age.", "invalid_author")
    first_name = value.get("first_name")
    if not isinstance(first_name, str) or not first_name.strip():
        raise InvalidRequestError("author.first_name is required.", "invalid_author")
    first_name = first_name.strip()
    if len(first_name) > FIRST_NAME_MAX_CHARS or not all(c.isalpha() or c in _NAME_PUNCTUATION for c in first_name):
        raise InvalidRequestError(
            "author.first_name must be the child's first name only: one word of letters, "
            f"at most {FIRST_NAME_MAX_CHARS} characters, no surname.",
            "invalid_author",
        )
    age = value.get("age")
    if isinstance(age, bool) or not isinstance(age, int) or not MIN_AGE <= age <= MAX_AGE:
        raise InvalidRequestError(
            f"author.age must be a whole number of years from {MIN_AGE} to {MAX_AGE}; got {age!r}.", "invalid_author"
        )
    unexpected = set(value) - {"first_name", "age"}
    if unexpected:
        raise InvalidRequestError(
            f"author may hold only first_name and age; remove {', '.join(sorted(unexpected))}.", "invalid_author"
        )
    return Author(first_name=first_name, age=age)


def _extension(filename: str) -> str:
    dot = filename.rfind(".")
    extension = filename[dot:].lower() if dot > 0 else ""
    if extension not in CONTAINER_TYPES:
        raise InvalidRequestError(
            f"filename must end in one of {', '.join(sorted(CONTAINER_TYPES))}; got {filename!r}.", "invalid_filename"
        )
    return extension


def _size(value: Any, max_upload_bytes: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRequestError("size_bytes must be the file's size in bytes, a positive integer.", "invalid_size")
    if value > max_upload_bytes:
        raise InvalidRequestError(
            f"the file is {value} bytes; at most {max_upload_bytes} bytes ({max_upload_bytes // 2**20} MiB) "
            "are accepted.",
            "too_large",
        )
    return value


def _content_type(value: Any, extension: str) -> str:
    allowed = CONTAINER_TYPES[extension]
    if not isinstance(value, str) or value.lower() not in allowed:
        raise InvalidRequestError(
            f"content_type for a {extension} file must be {' or '.join(sorted(allowed))}; got {value!r}.",
            "invalid_content_type",
        )
    return value.lower()


# What a field office may correct in its own film before it is published (`PATCH /uploads/{id}`).
CORRECTABLE = ("title", "author", "topics", "language", "workshop", "description", "protect_identity")
_OPTIONAL = ("language", "workshop", "description")


def parse_correction(
    body: Any,
    current_author: Mapping[str, Any] | None,
    topics: frozenset[str],
    current_protection: Protection | None = None,
) -> dict[str, Any]:
    """The fields a correction changes, each checked as `POST /uploads` checks it; `None` for an optional
    field (language, workshop, description) sent empty or null removes it. `author` may name only the
    first name or only the age: the other is kept from `current_author`; `protect_identity` likewise keeps
    the kind it does not name from `current_protection`, and may turn protection on, never off."""
    if not isinstance(body, Mapping) or not body:
        raise InvalidRequestError(f"Send a JSON object with any of: {', '.join(CORRECTABLE)}.", "invalid_json")
    unknown = set(body) - set(CORRECTABLE)
    if unknown:
        raise InvalidRequestError(
            f"{', '.join(sorted(unknown))} cannot be corrected; correctable fields are {', '.join(CORRECTABLE)}.",
            "invalid_field",
        )
    changes: dict[str, Any] = {}
    if "title" in body:
        changes["title"] = _required_text(body, "title", TITLE_MAX_CHARS)
    if "author" in body:
        if not isinstance(body["author"], Mapping):
            raise InvalidRequestError("author must be an object with first_name and/or age.", "invalid_author")
        author = _author({**(current_author or {}), **body["author"]})
        changes["author"] = {"first_name": author.first_name, "age": author.age}
    if "topics" in body:
        changes["topics"] = list(_topics(body["topics"], topics))
    if "language" in body:
        changes["language"] = _optional_pattern(body, "language", _LANGUAGE, "a BCP 47 tag such as 'az' or 'en-GB'")
    if "workshop" in body:
        changes["workshop"] = _optional_pattern(body, "workshop", _WORKSHOP, "a lowercase slug such as 'baku-2012'")
    if "description" in body:
        changes["description"] = _optional_text(body, "description", DESCRIPTION_MAX_CHARS)
    if "protect_identity" in body:
        # As JSON, like every correction's value (compared with the upload's view, recorded in the audit).
        corrected = parse_protection_correction(body["protect_identity"], current_protection)
        changes["protect_identity"] = record_of(corrected) if corrected else None
    check_film_texts(changes)
    return changes
