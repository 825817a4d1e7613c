"""How a film is stored: its item's keys, the indexes it stands in, and the typed `Film` it reads as.

A film is `pk=FILM#{id}, sk=FILM`; index `gsi2` lists an office's uploads (`OFFICE#{office}`, by
creation time), `gsi3` films by status (by the time they entered it), `gsi4` work that is due (a
sparse index): films whose source is still to be deleted (`SOURCE_DUE`, by when, while
`source_delete_after` is set) and tombstones whose takedown left something behind
(`TAKEDOWN_UNFINISHED`, by when it began, while `takedown_unfinished_since` is set), and films whose
media are to be brought in line with their status after a commit (`MEDIA_DUE`: one item per request
that marked it, `sk=MEDIA_DUE#{mark}`, beside the film's, since a published film may stand in the index
for its source too).
Only this module
and the catalog adapter know these names; the use cases see `Film`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from chalicelib.domain.film import FILM_FIELDS, Film, FilmRendition, HistoryStep, Status, SubtitleTrack
from chalicelib.domain.fingerprint import Fingerprint, stored_duplicates
from chalicelib.domain.metadata import Author
from chalicelib.domain.protection import ProtectedMaster, Protection, VoiceDisguise

FILM_SK = "FILM"
OFFICE_INDEX = "gsi2"
STATUS_INDEX = "gsi3"
DUE_INDEX = "gsi4"
SOURCE_DUE_PK = "SOURCE_DUE"
TAKEDOWN_UNFINISHED_PK = "TAKEDOWN_UNFINISHED"
MEDIA_DUE_PK = "MEDIA_DUE"
MEDIA_DUE_SK = "MEDIA_DUE#"
DUE_KEYS = ("gsi4pk", "gsi4sk")
# The fields that place a film in the work-due index (gsi4): a tombstone has no source left to delete,
# so a film stands there for one of them at most.
DUE_FIELDS = ("source_delete_after", "takedown_unfinished_since")
# What a takedown keeps: a tombstone (id, status, times, history), so a late event can never bring
# the film back, with the keys that find it by id and by status. Everything else about the film
# and the child goes, its place in the office's listing too.
TOMBSTONE_KEEPS = frozenset(
    {"video_id", "status", "status_changed_at", "created_at", "history", "version", "takedown_unfinished_since"}
)
TOMBSTONE_REMOVES = (*sorted(FILM_FIELDS - TOMBSTONE_KEEPS), "gsi2pk", "gsi2sk", *DUE_KEYS)


def film_pk(video_id: str) -> str:
    return f"FILM#{video_id}"


def film_key(video_id: str) -> dict[str, str]:
    return {"pk": film_pk(video_id), "sk": FILM_SK}


def video_id_of(item: Mapping[str, Any]) -> str:
    return str(item["pk"]).removeprefix("FILM#")


def office_pk(office_id: str) -> str:
    return f"OFFICE#{office_id}"


def status_keys(status: Status, at: str) -> dict[str, str]:
    """Where a film in `status` since `at` stands in the status index."""
    return {"gsi3pk": status.value, "gsi3sk": at}


def source_due_keys(due: str) -> dict[str, str]:
    """Where a film whose source is to be deleted at `due` stands in the source index."""
    return {"gsi4pk": SOURCE_DUE_PK, "gsi4sk": due}


def takedown_unfinished_keys(since: str) -> dict[str, str]:
    """Where a tombstone whose takedown began at `since` and left something behind stands in the index."""
    return {"gsi4pk": TAKEDOWN_UNFINISHED_PK, "gsi4sk": since}


def media_due_key(video_id: str, mark: str) -> dict[str, str]:
    return {"pk": film_pk(video_id), "sk": f"{MEDIA_DUE_SK}{mark}"}


def media_due_item(video_id: str, mark: str, at: str) -> dict[str, str]:
    """One request's mark, made at `at`, that a film's media are to follow its status."""
    return {**media_due_key(video_id, mark), "gsi4pk": MEDIA_DUE_PK, "gsi4sk": at}


def media_due_of(item: Mapping[str, Any]) -> tuple[str, str]:
    """The film and the mark an index entry of `MEDIA_DUE` names."""
    return video_id_of(item), str(item["sk"]).removeprefix(MEDIA_DUE_SK)


def film_item(film: Film) -> dict[str, Any]:
    """A new film as the table stores it (plain values), with the keys of the indexes it belongs to.
    Fields at their default are left out: the item holds what is known of the film."""
    values = {field.name: getattr(film, field.name) for field in fields(Film)}
    stored = {name: value for name, value in values.items() if value != _DEFAULTS[name]}
    return {
        **stored,
        **film_key(film.video_id),
        "gsi2pk": office_pk(film.office_id),
        "gsi2sk": film.created_at,
        **status_keys(film.status, film.status_changed_at),
        **(source_due_keys(film.source_delete_after) if film.source_delete_after else {}),
        "history": [HistoryStep(film.status, film.status_changed_at)],
    }


def film_of(item: Mapping[str, Any]) -> Film:
    """The film an item (read back as plain values) describes; table keys and unknown names are left behind."""
    values = {name: _READERS.get(name, _same)(value) for name, value in item.items() if name in FILM_FIELDS}
    return Film(**values)


def check_field_names(names: Any) -> None:
    """Every name written to a film is one of `Film`'s fields: nothing is stored that reads back lost."""
    unknown = set(names) - FILM_FIELDS
    if unknown:
        raise ValueError(f"not fields of a film: {sorted(unknown)}")


def _same(value: Any) -> Any:
    return value


_DEFAULTS = {field.name: field.default for field in fields(Film)}
_READERS: dict[str, Any] = {
    "status": Status,
    "topics": tuple,
    "duration_s": float,
    "author": lambda value: Author(first_name=value["first_name"], age=int(value["age"])),
    "renditions": lambda values: tuple(
        FilmRendition(
            name=v["name"],
            key=v["key"],
            width=int(v["width"]),
            height=int(v["height"]),
            playlist_key=v.get("playlist_key"),
        )
        for v in values
    ),
    # Stored as the map `{faces, voice}` (a `Protection`'s fields, as dynamodb_items writes any dataclass).
    "protect_identity": Protection.of,
    "protection_applied": Protection.of,
    "protected_master": ProtectedMaster.of,
    "fingerprint": Fingerprint.of,
    # A string set of `{video_id}:{same}`, added to by each side of a match (ADD needs no list to exist).
    "duplicates": stored_duplicates,
    "subtitles": lambda values: tuple(SubtitleTrack(language=v["language"], key=v["key"]) for v in values),
    # A disguise recorded before the disguise became a path (a pitch and a shift, which a search undoes)
    # reads as none: the protection stage refuses such a film (voice_disguise_missing) until its voice is
    # asked again, which draws a seed.
    "voice_disguise": lambda value: VoiceDisguise(seed=int(value["seed"])) if "seed" in value else None,
    "history": lambda values: tuple(HistoryStep(status=Status(v["status"]), at=v["at"]) for v in values),
}
