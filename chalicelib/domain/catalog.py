"""The catalog model: what of a film is public, what a field office sees, and where a film is listed.

Responses are built from explicit allowlists: a field that is not named here never leaves the system.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, is_dataclass
from enum import Enum
from typing import Any

from chalicelib.domain.film import Film

# What the public may know about a published film. Media are stored as keys and become URLs on the way out.
PUBLIC_FIELDS = (
    "video_id", "title", "title_en", "description", "country", "topics", "workshop", "language", "duration_s",
    "published_at", "highlighted",
)  # fmt: skip
# Listings whose published films are counted (GET /countries, /topics, /workshops).
COUNTED = ("country", "topic", "workshop")
# Images and the storyboard, stored as keys: `poster_key` becomes `poster_url` in a response.
MEDIA_KEYS = ("poster_key", "sprite_key", "storyboard_key")
# What a field office sees of its own upload.
UPLOAD_FIELDS = (
    "video_id", "status", "reason_code", "reason", "title", "country", "topics", "workshop", "language",
    "filename", "size_bytes", "duration_s", "created_at", "status_changed_at", "author", "description",
)  # fmt: skip


@dataclass(frozen=True)
class Listing:
    """Where a film is listed before and after a change, and the public record the new entries carry."""

    old_facets: list[str] = field(default_factory=list)
    new_facets: list[str] = field(default_factory=list)
    record: Mapping[str, Any] = field(default_factory=dict)


def listing_facets(film: Film) -> list[str]:
    """Every listing a published film appears in: all films, its country, each topic, its workshop."""
    facets = ["all", f"country#{film.country}"]
    facets += [f"topic#{topic}" for topic in film.topics]
    if film.workshop:
        facets.append(f"workshop#{film.workshop}")
    if film.highlighted:
        facets.append("highlight")
    return facets


def counted_facets(facets: list[str]) -> list[str]:
    return [facet for facet in facets if facet.split("#", 1)[0] in COUNTED]


def public_record(film: Film) -> dict[str, Any]:
    """The public part of a film, with media still as storage keys (what listing entries store)."""
    record = _fields(film, PUBLIC_FIELDS)
    author = film.author
    record["author"] = {"first_name": author and author.first_name, "age": author and author.age}
    record["renditions"] = [
        {"name": r.name, "key": r.key, "width": r.width, "height": r.height} for r in film.renditions
    ]
    for key in MEDIA_KEYS:
        record[key] = getattr(film, key)
    record["subtitles"] = [{"language": s.language, "key": s.key} for s in film.subtitles]
    return record


def media_keys(film: Film) -> frozenset[str]:
    """Every object the catalog lists for a film: its renditions, poster, sprite, storyboard and
    subtitles. Publishing makes exactly these public; nothing else under the film's prefix (a
    replaced subtitles file, a leftover) ever is."""
    keys = {r.key for r in film.renditions} | {s.key for s in film.subtitles}
    keys |= {key for key in (getattr(film, name) for name in MEDIA_KEYS) if key}
    return frozenset(keys)


def public_view(record: Mapping[str, Any], media_base_url: str) -> dict[str, Any]:
    """A public record as the website receives it: media keys replaced by URLs."""
    view = {key: value for key, value in record.items() if key not in ("renditions", "subtitles", *MEDIA_KEYS)}
    view["renditions"] = [
        {"name": r["name"], "url": f"{media_base_url}/{r['key']}", "width": r["width"], "height": r["height"]}
        for r in record.get("renditions", [])
    ]
    view["subtitles"] = [
        {"language": s["language"], "url": f"{media_base_url}/{s['key']}"} for s in record.get("subtitles", [])
    ]
    for key in MEDIA_KEYS:
        url_field = key.removesuffix("_key") + "_url"
        view[url_field] = f"{media_base_url}/{record[key]}" if record.get(key) else None
    return view


# What an editor sees to decide: the upload view plus the editorial state (never the uploader's key).
EDITOR_FIELDS = (*UPLOAD_FIELDS, "title_en", "description", "author", "sensitive", "highlighted", "consent",
                 "published_at", "office_id")  # fmt: skip


def editor_view(film: Film) -> dict[str, Any]:
    view = _fields(film, EDITOR_FIELDS)
    view["subtitle_languages"] = [subtitles.language for subtitles in film.subtitles]
    return view


def preview_keys(film: Film) -> tuple[str, str | None] | None:
    """What an editor watches before deciding: the smallest rendition (quick to load on any
    connection) and the poster; None before the film is transcoded."""
    renditions = sorted(film.renditions, key=lambda r: r.width * r.height)
    return (renditions[0].key, film.poster_key) if renditions else None


def upload_view(film: Film) -> dict[str, Any]:
    return _fields(film, UPLOAD_FIELDS)


def _fields(film: Film, names: tuple[str, ...]) -> dict[str, Any]:
    """The named fields that hold a value, as plain JSON values (a field at its empty default says
    nothing: a live film always has its upload's title, country and filename)."""
    values = ((name, getattr(film, name)) for name in names)
    return {name: _plain(value) for name, value in values if value is not None and value != ""}


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return dict(value)
    return value
