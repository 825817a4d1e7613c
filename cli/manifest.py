"""A workshop's list of films (a CSV, as Excel or LibreOffice saves one) read and checked row by row.

Comma-, semicolon- (what Excel writes where the decimal mark is a comma: AZ, RU, most of Europe) and
tab-separated files are read alike, in UTF-8 with or without a byte-order mark. Every mistake of every
row is told at once, in a facilitator's words, naming the column to fix; whether a value is allowed is
decided by the same rules the API applies (chalicelib/domain/metadata.py), with the topics and
countries that the stage publishes for this key.
"""

from __future__ import annotations

import csv
import difflib
import io
import mimetypes
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.metadata import (
    CONTAINER_TYPES,
    DESCRIPTION_MAX_CHARS,
    FIRST_NAME_MAX_CHARS,
    MAX_AGE,
    MAX_TOPICS,
    MIN_AGE,
    TITLE_MAX_CHARS,
    parse_upload_request,
)
from chalicelib.domain.public_text import check_film_texts

REQUIRED = ("file", "title", "first_name", "age", "topics", "country")
OPTIONAL = ("language", "workshop", "description")
# Identity protection for the child of a row (docs/PROTECTION.md): each column to `protect_identity`'s kind.
PROTECTION = {"blur_faces": "faces", "disguise_voice": "voice"}
COLUMNS = REQUIRED + OPTIONAL + tuple(PROTECTION)
# A column name that seems to ask for identity protection without being one of PROTECTION's ("Blur face",
# "Hide faces", "protect_identity"): the list is refused rather than the request dropped.
PROTECTION_LIKE = re.compile(r"blur|face|voice|disguise|protect|hide|hidden|anonym|identity|pixel")
# How a spreadsheet says yes or no (an empty cell is no).
YES, NO = frozenset({"yes", "y", "true", "1"}), frozenset({"no", "n", "false", "0", ""})
PROTECTION_WORDS = {
    "blur_faces": "blur the faces of the film, so that the child cannot be recognised",
    "disguise_voice": "disguise the child's voice",
}
DELIMITERS = (",", ";", "\t")
NO_SIZE_LIMIT = 2**62  # the size is checked against the stage's rules with the film's length (cli/precheck.py)
KINDS = "MP4, MOV, 3GP, MKV, WebM or AVI"


class ManifestError(Exception):
    """The list cannot be read at all (not UTF-8, no header, a required column missing)."""


@dataclass(frozen=True)
class Film:
    """One row that passed every check: the file and the details `POST /uploads` receives."""

    row: int
    path: Path
    details: dict[str, Any]


@dataclass(frozen=True)
class Row:
    """One row as read: its number in the spreadsheet (the header is row 1) and its cells by column."""

    number: int
    cells: dict[str, str]
    # Cells beyond the last column the first row names: a comma inside a cell that is not in quotes.
    surplus: tuple[str, ...] = ()
    columns: int = 0

    def shape_mistake(self) -> str | None:
        """A row with more cells than the first row has columns: said as such, since every column after
        the stray separator is read from the wrong cell, and blaming them would send the facilitator the
        wrong way."""
        if not self.surplus:
            return None
        extra = len(self.surplus)
        return (
            f"this row has {self.columns + extra} cells, {'one' if extra == 1 else extra} more than the "
            f"{self.columns} columns the first row names: a cell holds the separator (a comma or semicolon)? "
            "Put that cell in quotes, or remove the separator."
        )


def column_name(header: str) -> str:
    """'First name', 'first-name' and 'FIRST_NAME' are all the column first_name."""
    return re.sub(r"[\s-]+", "_", header.strip().lower())


def read_rows(path: Path) -> tuple[list[Row], list[str]]:
    """The rows of the list, and the columns it has that this command does not read."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ManifestError(
            f"{path.name} is not saved as UTF-8, so letters such as ə, ş or ж would come out wrong: in Excel "
            "choose File > Save As > 'CSV UTF-8', in LibreOffice tick 'Edit filter settings' and pick UTF-8."
        ) from None
    except OSError as error:
        raise ManifestError(f"{path} cannot be read: {error.strerror}.") from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ManifestError(f"{path.name} is empty: its first row names the columns ({', '.join(REQUIRED)}).")
    delimiter = max(DELIMITERS, key=lambda d: len(set(map(column_name, lines[0].split(d))) & set(COLUMNS)))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [column_name(cell) for cell in next(reader)]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ManifestError(
            f"{path.name} has no column {', '.join(repr(c) for c in missing)}: its first row must name the columns "
            f"{', '.join(REQUIRED)} (and, if you like, {', '.join(OPTIONAL + tuple(PROTECTION))}); "
            f"it names {', '.join(header)}."
        )
    looks_like_protection = [name for name in header if name not in COLUMNS and PROTECTION_LIKE.search(name)]
    if looks_like_protection:
        # Read as an unknown column, a child's protection would be dropped with only a note: when in doubt, stop.
        raise ManifestError(
            f"{path.name} has the column {', '.join(repr(c) for c in looks_like_protection)}, which this command "
            f"does not read: to hide a child's identity, name the columns exactly {' and '.join(PROTECTION)} "
            "(yes or no in each row). Nothing was sent."
        )
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # an empty line at the end, as spreadsheets write them
        surplus = tuple(cell for cell in cells[len(header) :] if cell.strip())
        named = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name}
        rows.append(Row(number, named, surplus, len(header)))
    return rows, [name for name in header if name and name not in COLUMNS]


def split_topics(text: str) -> list[str]:
    return [topic.strip() for topic in re.split(r"[;,]", text) if topic.strip()]


def _topic_words(text: str) -> tuple[str, ...]:
    return tuple(word for word in re.split(r"[^0-9a-z]+", text.casefold()) if word and word != "and")


def topic_named(text: str, topics: frozenset[str]) -> str:
    """The stage's topic a facilitator means: `HIV and AIDS` (as the upload page shows it), `hiv_aids` or
    `Juvenile Justice` are `hiv-aids` and `juvenile-justice`; anything else is kept, to be told as a mistake."""
    words = _topic_words(text)
    return next((topic for topic in sorted(topics) if _topic_words(topic) == words), text)


def details_of(cells: Mapping[str, str], topics: frozenset[str] = frozenset()) -> dict[str, Any]:
    """What `POST /uploads` receives for a row (its age as a number when it is one, its topics as the
    stage spells them)."""
    age: Any = cells.get("age", "")
    details: dict[str, Any] = {
        "title": cells.get("title", ""),
        "country": cells.get("country", "").upper(),
        "topics": [topic_named(topic, topics) for topic in split_topics(cells.get("topics", ""))],
        "author": {"first_name": cells.get("first_name", ""), "age": int(age) if age.isdigit() else age},
    }
    for optional in OPTIONAL:
        if cells.get(optional):
            details[optional] = cells[optional]
    asked = {kind: cells.get(column, "").casefold() in YES for column, kind in PROTECTION.items()}
    if any(asked.values()):
        details["protect_identity"] = asked
    return details


class RowChecker:
    """Tells every mistake of a row, each naming its column (`label` says how: a CSV column or a flag)."""

    def __init__(
        self, topics: frozenset[str], countries: frozenset[str], folder: Path, label: Mapping[str, str] | None = None
    ) -> None:
        self.topics, self.countries, self.folder = topics, countries, folder
        self.label = label or {}

    def mistakes(self, cells: Mapping[str, str]) -> list[str]:
        details = details_of(cells, self.topics)
        return [
            *self._file(cells.get("file", "")),
            *self._title(details["title"]),
            *self._first_name(details["author"]["first_name"]),
            *self._age(cells.get("age", "")),
            *self._topics(details["topics"]),
            *self._country(cells.get("country", "")),
            *self._language(cells.get("language", "")),
            *self._workshop(cells.get("workshop", "")),
            *self._description(cells.get("description", "")),
            *[mistake for column in PROTECTION for mistake in self._yes_or_no(column, cells.get(column, ""))],
        ]

    def file_usable(self, name: str) -> bool:
        """The file is there and of a kind the project takes (so it can be measured)."""
        return not self._file(name)

    def film(self, row: Row) -> Film:
        return Film(row.number, (self.folder / row.cells["file"]).resolve(), details_of(row.cells, self.topics))

    # Each column: whether the API's own rules accept the value, and if not, what to write instead.

    def _says(self, column: str, text: str) -> str:
        return f"{self.label.get(column, column)}: {text}"

    def _accepted(self, **change: Any) -> bool:
        body: dict[str, Any] = {
            "title": "A film",
            "country": "AZ",
            "topics": [min(self.topics, default="")],
            "author": {"first_name": "Ana", "age": MIN_AGE},
            "filename": "film.mp4",
            "size_bytes": 1,
            "content_type": "video/mp4",
        }
        for field, value in change.items():
            if field in ("first_name", "age"):
                body["author"] = {**body["author"], field: value}
            else:
                body[field] = value
        try:
            parse_upload_request(body, self.topics or frozenset({""}), NO_SIZE_LIMIT)
        except InvalidRequestError:
            return False
        return True

    def _file(self, name: str) -> list[str]:
        if not name:
            return [self._says("file", "empty: write the film's file name, such as my-street.mp4.")]
        path = self.folder / name
        if not path.is_file():
            return [self._says("file", f"there is no file {name!r} in {self.folder}{self._nearest(name) or '.'}")]
        content_type = mimetypes.guess_type(path.name)[0] or ""
        if path.suffix.lower() not in CONTAINER_TYPES or not self._accepted(
            filename=path.name, content_type=content_type
        ):
            return [self._says("file", f"{name!r} is not a kind of video the project takes: use {KINDS}.")]
        return []

    def _nearest(self, name: str) -> str:
        """'; did you mean 'our-yard.mp4'?' for the film in the folder whose name is nearest, if one is near."""
        try:
            films = [path.name for path in self.folder.iterdir() if path.suffix.lower() in CONTAINER_TYPES]
        except OSError:
            return ""
        near = difflib.get_close_matches(name, films, n=1, cutoff=0.6)
        return f"; did you mean {near[0]!r}?" if near else ""

    def _public_text(self, field: str, text: str) -> list[str]:
        """An address, phone or map point in a text that becomes public, told as the API tells it."""
        try:
            check_film_texts({field: text})
        except InvalidRequestError as refused:
            return [self._says(field, refused.message)]
        return []

    def _title(self, title: str) -> list[str]:
        if not title:
            return [self._says("title", "empty: write the film's title.")]
        if refused := self._public_text("title", title):
            return refused
        if not self._accepted(title=title):
            return [self._says("title", f"{len(title)} characters long; a title has at most {TITLE_MAX_CHARS}.")]
        return []

    def _first_name(self, name: str) -> list[str]:
        if not name:
            return [self._says("first_name", "empty: write the child's first name.")]
        if not self._accepted(first_name=name):
            return [
                self._says(
                    "first_name",
                    f"{name!r}: write the child's first name only, one word of letters "
                    f"(at most {FIRST_NAME_MAX_CHARS}); never a surname: only the first name and the "
                    "age are ever published.",
                )
            ]
        return []

    def _age(self, age: str) -> list[str]:
        if not age:
            return [self._says("age", f"empty: write the child's age in years, a number from {MIN_AGE} to {MAX_AGE}.")]
        if not (age.isdigit() and self._accepted(age=int(age))):
            return [
                self._says(
                    "age",
                    f"{age!r} is not an age the project takes: write the child's age in years "
                    f"as a number from {MIN_AGE} to {MAX_AGE}, such as 14.",
                )
            ]
        return []

    def _topics(self, topics: list[str]) -> list[str]:
        choices = ", ".join(sorted(self.topics))
        if not topics:
            return [self._says("topics", f"empty: write one to {MAX_TOPICS} of: {choices}.")]
        unknown = [topic for topic in topics if not self._accepted(topics=[topic])]
        found = []
        if unknown:
            names = ", ".join(repr(topic) for topic in unknown)
            found.append(
                self._says(
                    "topics",
                    f"{names} {'is' if len(unknown) == 1 else 'are'} not among the "
                    f"project's topics: write one to {MAX_TOPICS} of: {choices}.",
                )
            )
        if len(topics) > MAX_TOPICS:
            found.append(self._says("topics", f"{len(topics)} topics; a film has at most {MAX_TOPICS}."))
        return found

    def _country(self, code: str) -> list[str]:
        if not code:
            return [self._says("country", "empty: write the country's two-letter code, such as AZ or KG.")]
        if not self._accepted(country=code):
            return [self._says("country", f"{code!r} is not a two-letter country code: write {country_hint(code)}.")]
        if self.countries and code.upper() not in self.countries:
            return [
                self._says(
                    "country",
                    f"{code.upper()}: your office's key uploads films for {', '.join(sorted(self.countries))} only.",
                )
            ]
        return []

    def _language(self, language: str) -> list[str]:
        if language and not self._accepted(language=language):
            return [
                self._says(
                    "language",
                    f"{language!r} is not a language code: write {language_hint(language)}, or leave it empty.",
                )
            ]
        return []

    def _workshop(self, workshop: str) -> list[str]:
        if workshop and (refused := self._public_text("workshop", workshop)):
            return refused
        if workshop and not self._accepted(workshop=workshop):
            slug = re.sub(r"[^a-z0-9]+", "-", workshop.lower()).strip("-") or "baku-2012"
            return [
                self._says(
                    "workshop",
                    f"{workshop!r}: write the workshop's short name in small letters, digits "
                    f"and dashes, such as {slug!r}, or leave it empty.",
                )
            ]
        return []

    def _description(self, description: str) -> list[str]:
        if description and (refused := self._public_text("description", description)):
            return refused
        if description and not self._accepted(description=description):
            return [self._says("description", f"{len(description)} characters long; at most {DESCRIPTION_MAX_CHARS}.")]
        return []

    def _yes_or_no(self, column: str, value: str) -> list[str]:
        if value.casefold() in YES | NO:
            return []
        return [
            self._says(
                column,
                f"{value!r}: write yes to {PROTECTION_WORDS[column]} (the film then takes longer to prepare), "
                "or no, or leave it empty.",
            )
        ]


def country_hint(text: str) -> str:
    """'Azerbaijan' -> 'AZ (Azerbaijan)'; otherwise an example."""
    import pycountry

    try:
        country = pycountry.countries.lookup(text.strip())
    except LookupError:
        return "its two-letter code, such as AZ (Azerbaijan) or KG (Kyrgyzstan)"
    return f"{country.alpha_2} ({country.name})"


def language_hint(text: str) -> str:
    """'Azerbaijani' -> 'az (Azerbaijani)'; otherwise examples."""
    import pycountry

    try:
        language = pycountry.languages.lookup(text.strip())
    except LookupError:
        language = None
    code = getattr(language, "alpha_2", None)
    return f"{code} ({language.name})" if language and code else "a short code such as az, ru, ky or en"
