"""The catalog model: what of a film is public, what a field office sees, and where a film is listed.

Responses are built from explicit allowlists: a field that is not named here never leaves the system.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, is_dataclass
from enum import Enum
from typing import Any

from chalicelib.domain.film import Film
from chalicelib.domain.object_keys import SHARE_NAME, media_key

# What the public may know about a published film. Media are stored as keys and become URLs on the way out.
PUBLIC_FIELDS = (
    "video_id",
    "title",
    "title_en",
    "description",
    "country",
    "topics",
    "workshop",
    "language",
    "duration_s",
    "published_at",
    "highlighted",
)
# Listings whose published films are counted (GET /countries, /topics, /workshops; the highlights'
# count only chooses the listing a combined filter reads).
COUNTED = ("country", "topic", "workshop", "highlight")
# Images and the storyboard, stored as keys: `poster_key` becomes `poster_url` in a response.
MEDIA_KEYS = ("poster_key", "sprite_key", "storyboard_key", "share_image_key")
# Streaming manifests, stored as keys: `hls_key` becomes `streaming: {hls: URL}` in a response.
STREAMING_KEYS = {"hls": "hls_key"}
# What a field office sees of its own upload.
UPLOAD_FIELDS = (
    "video_id",
    "status",
    "reason_code",
    "reason",
    "title",
    "country",
    "topics",
    "workshop",
    "language",
    "filename",
    "size_bytes",
    "duration_s",
    "created_at",
    "status_changed_at",
    "author",
    "description",
    "protect_identity",
)


@dataclass(frozen=True)
class Listing:
    """Where a film is listed before and after a change, the record the new entries carry, and the
    time they are sorted by (newest first; the record's `published_at` unless given)."""

    old_facets: list[str] = field(default_factory=list)
    new_facets: list[str] = field(default_factory=list)
    record: Mapping[str, Any] = field(default_factory=dict)
    sort_at: str | None = None


# The filters a visitor combines, each with the field of the public record it tests. Each value has
# its own listing (`country#AZ`, `topic#hiv-aids`, `workshop#baku-2012`, `highlight`): a combination
# is read from its most selective value's listing, the other filters tested on each entry's record.
FILTERS = {"country": "country", "topic": "topics", "workshop": "workshop", "highlight": "highlighted"}
# Joined the parts of a combined facet in the form before one entry per filter value (one entry per
# combination): `ops relist` recognises and replaces such entries.
FACET_JOINER = "&"


def filter_facets(filters: Mapping[str, str]) -> list[str]:
    """The listing of each filter's value (already validated), in FILTERS order: `["all"]` without
    filters, `["country#AZ", "topic#hiv-aids", "highlight"]`, ..."""
    return [_part(name, filters[name]) for name in FILTERS if filters.get(name)] or ["all"]


def most_selective(facets: list[str], counts: Mapping[str, int]) -> str:
    """The listing holding the fewest films (first in FILTERS order on a tie): a combined filter reads
    it and tests the others on its entries, so it reads as few entries as it can."""
    return min(facets, key=lambda facet: (counts.get(facet, 0), facets.index(facet)))


def left_to_test(filters: Mapping[str, str], facet: str) -> dict[str, str]:
    """The filters that the listing `facet` does not answer by itself: each is tested on an entry's record."""
    return {name: value for name, value in filters.items() if value and name in FILTERS and _part(name, value) != facet}


def listing_facets(film: Film) -> list[str]:
    """Every public listing a published film appears in: all films, its country, each of its topics, its
    workshop, the highlights. One more filter adds one entry, whatever the others hold."""
    facets = ["all", _part("country", film.country), *(_part("topic", topic) for topic in film.topics)]
    facets += [_part("workshop", film.workshop)] if film.workshop else []
    return facets + (["highlight"] if film.highlighted else [])


def combined_facets(film: Film) -> list[str]:
    """The listings of the form before one entry per filter value: one for each combination of its
    country, each topic, its workshop and its highlight (57 for a highlighted film with five topics and
    a workshop). Nothing writes them any more; the migration's test and the benchmark write them to
    show what `ops relist` replaces."""
    choices: list[list[str | None]] = [[None, _part("country", film.country)]]
    choices.append([None, *(_part("topic", topic) for topic in film.topics)])
    choices.append([None, _part("workshop", film.workshop)] if film.workshop else [None])
    choices.append([None, "highlight"] if film.highlighted else [None])
    return [FACET_JOINER.join(part for part in combo if part) or "all" for combo in itertools.product(*choices)]


def status_facet(status: str) -> str:
    return f"status#{status}"


def counted_facets(facets: list[str]) -> list[str]:
    return [facet for facet in facets if is_counted(facet)]


def is_counted(facet: str) -> bool:
    """Counters exist for single listings (a country, a topic, a workshop, the highlights), the ones that
    a combined filter chooses among."""
    return FACET_JOINER not in facet and facet.split("#", 1)[0] in COUNTED


def counted_already(listed: list[str]) -> set[str]:
    """The counters that a film's entries, as they stand, are counted in. The combined form kept no
    highlight counter: a film still listed in that form is counted there when it is relisted."""
    counted = set(counted_facets(listed))
    if any(FACET_JOINER in facet for facet in listed):
        counted.discard("highlight")
    return counted


def search_text(film: Film) -> str:
    """What an editor's search looks in: titles, the child's first name and the workshop, case-folded."""
    first_name = film.author.first_name if film.author else None
    words = [film.title, film.title_en, first_name, film.workshop]
    return " | ".join(str(word) for word in words if word).casefold()


def _part(name: str, value: str) -> str:
    return "highlight" if name == "highlight" else f"{name}#{value}"


def public_record(film: Film) -> dict[str, Any]:
    """The public part of a film, with media still as storage keys (what listing entries store)."""
    record = _fields(film, PUBLIC_FIELDS)
    author = film.author
    record["author"] = {"first_name": author and author.first_name, "age": author and author.age}
    record["renditions"] = [
        {"name": r.name, "key": r.key, "width": r.width, "height": r.height} for r in film.renditions
    ]
    for key in (*MEDIA_KEYS, *STREAMING_KEYS.values()):
        record[key] = getattr(film, key)
    record["subtitles"] = [{"language": s.language, "key": s.key} for s in film.subtitles]
    return record


def media_keys(film: Film) -> frozenset[str]:
    """Every object the catalog lists for a film: its renditions and their HLS playlists, the master
    playlist, poster, sprite, storyboard and subtitles. Publishing makes exactly these public; nothing else
    under the film's prefix (a replaced subtitles file, a leftover) ever is."""
    keys = {r.key for r in film.renditions} | {s.key for s in film.subtitles}
    keys |= {r.playlist_key for r in film.renditions if r.playlist_key}
    names = (*MEDIA_KEYS, *STREAMING_KEYS.values())
    keys |= {key for key in (getattr(film, name) for name in names) if key}
    return frozenset(keys)


def public_view(record: Mapping[str, Any], media_base_url: str) -> dict[str, Any]:
    """A public record as the website receives it: media keys replaced by URLs."""
    # An allowlist again: listing entries may carry more (an editor's search text) than the public sees.
    view = {key: record[key] for key in (*PUBLIC_FIELDS, "author") if record.get(key) is not None}
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
    view["share_url"] = f"{media_base_url}/{media_key(record['video_id'], SHARE_NAME)}"
    # A film made before HLS streams nothing: its page plays an MP4 rendition.
    view["streaming"] = {
        protocol: f"{media_base_url}/{record[key]}" for protocol, key in STREAMING_KEYS.items() if record.get(key)
    }
    return view


# What an editor sees to decide: the upload view plus the editorial state (never the uploader's key).
EDITOR_FIELDS = (
    *UPLOAD_FIELDS,
    "title_en",
    "description",
    "author",
    "sensitive",
    "highlighted",
    "consent",
    "published_at",
    "office_id",
    "protection_applied",
    "source_delete_after",
    "source_deleted_at",
)


def editor_view(film: Film) -> dict[str, Any]:
    view = {**_fields(film, EDITOR_FIELDS), **draft_view(film)}
    view["subtitle_languages"] = [subtitles.language for subtitles in film.subtitles]
    # What an editor sends back to act only on the film as shown (`POST /videos/{id}/publish`'s `version`).
    view["version"] = film.version
    return view


# What an editor's list shows of each film (from its listing entry): enough to recognise and act on it.
EDITOR_LIST_FIELDS = (
    "video_id",
    "title",
    "title_en",
    "country",
    "topics",
    "workshop",
    "language",
    "duration_s",
    "published_at",
    "highlighted",
    "author",
)


def editor_list_view(record: Mapping[str, Any]) -> dict[str, Any]:
    return {field: record[field] for field in EDITOR_LIST_FIELDS if record.get(field) is not None}


def preview_keys(film: Film) -> tuple[str, str | None] | None:
    """What an editor watches before deciding: the smallest rendition (quick to load on any
    connection) and the poster; None before the film is transcoded."""
    renditions = sorted(film.renditions, key=lambda r: r.width * r.height)
    return (renditions[0].key, film.poster_key) if renditions else None


def upload_view(film: Film) -> dict[str, Any]:
    return {**_fields(film, UPLOAD_FIELDS), **draft_view(film)}


def draft_view(film: Film) -> dict[str, Any]:
    """A draft says so, and when it is deleted whole unless its details are completed; nothing for any other."""
    return {"draft": True, "delete_after": film.source_delete_after} if film.draft else {}


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
