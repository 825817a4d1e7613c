"""An in-memory film catalog (ports.FilmCatalog, the part a lifecycle change needs): films, their listing
entries, the audit trail and the media marks, with the same conditions as the DynamoDB adapter: a change
is refused (StaleTransitionError) unless the film is in a status it expects, the transition is allowed and,
when checked, the version is the one read; a refused change writes nothing, its audit entry included.
`fail_next` makes the next write fail as a crashed or throttled call would, before anything is stored."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from typing import Any

from chalicelib.domain.catalog import filter_facets
from chalicelib.domain.change import Change
from chalicelib.domain.errors import StaleTransitionError
from chalicelib.domain.film import Film, HistoryStep, Status, allowed_sources
from chalicelib.domain.fingerprint import Duplicate, Fingerprint

_DEFAULTS = {each.name: each.default for each in fields(Film)}


@dataclass
class InMemoryCatalog:
    films: dict[str, Film] = field(default_factory=dict)
    # Per film: the facets it is listed in, and the record each entry carries.
    listings: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    audit: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    marks: dict[str, tuple[str, str]] = field(default_factory=dict)
    stories: dict[str, dict[str, Any]] = field(default_factory=dict)
    applied: list[Change] = field(default_factory=list)
    fail_next: Exception | None = None
    _marks: Iterator[int] = field(default_factory=itertools.count)

    def create_film(self, film: Film) -> None:
        assert film.video_id not in self.films, "the adapter's attribute_not_exists(pk)"
        self.films[film.video_id] = replace(film, history=(HistoryStep(film.status, film.status_changed_at),))

    def get_film(self, video_id: str) -> Film | None:
        return self.films.get(video_id)

    def apply(self, change: Change) -> None:
        if self.fail_next is not None:
            failure, self.fail_next = self.fail_next, None
            raise failure
        stored = self.films.get(change.video_id)
        target = change.target
        allowed = change.expect & allowed_sources(target) if target is not None else change.expect
        if (
            stored is None
            or stored.status not in allowed
            or (change.checks_version and stored.version != change.before.version)
        ):
            raise StaleTransitionError(f"film {change.video_id} cannot be changed from where it is.")
        # A removed attribute reads back as the field's default, as the adapter's `film_of` reads it.
        removed = {name: _DEFAULTS[name] for name in change.remove_fields()}
        film = replace(stored, **change.set_fields(), **removed)
        if target is Status.DELETED:  # a tombstone keeps its id, times, history and version, and its mark
            since = film.takedown_unfinished_since
            film = Film(stored.video_id, target, stored.created_at, change.at, takedown_unfinished_since=since)
            film = replace(film, version=stored.version)
        elif target is not None:
            film = replace(film, status=target, status_changed_at=change.at)
        if target is not None:
            film = replace(film, history=(*stored.history, HistoryStep(target, change.at)))
        if change.checks_version:
            film = replace(film, version=stored.version + 1)
        self.films[change.video_id] = film
        if change.listed is not None:
            self.listings[change.video_id] = {facet: dict(change.listed.record) for facet in change.listed.facets}
        if change.audit is not None:
            self.audit.setdefault(change.video_id, []).append({**change.audit.as_record(), "at": change.at})
        self.applied.append(change)

    def listed_facets(self, video_id: str) -> list[str]:
        return list(self.listings.get(video_id, {}))

    def latest_published(self, facet: str, limit: int) -> list[dict[str, Any]]:
        """The first `limit` records in `facet`, newest first."""
        records = [entries[facet] for entries in self.listings.values() if facet in entries]
        records.sort(key=lambda record: record.get("published_at") or "", reverse=True)
        return records[:limit]

    def count_of(self, facet: str) -> int:
        return sum(1 for entries in self.listings.values() if facet in entries)

    def get_workshop_story(self, workshop: str) -> dict[str, Any] | None:
        return self.stories.get(workshop)

    def audit_trail(self, video_id: str) -> list[dict[str, Any]]:
        return list(self.audit.get(video_id, []))

    def mark_media_due(self, video_id: str, at: str) -> str:
        mark = f"mark-{next(self._marks)}"
        self.marks[mark] = (video_id, at)
        return mark

    def clear_media_due(self, video_id: str, mark: str) -> None:
        self.marks.pop(mark, None)

    def get_films(self, video_ids: Iterable[str]) -> list[Film]:
        return [self.films[video_id] for video_id in dict.fromkeys(video_ids) if video_id in self.films]

    def fingerprints_near(self, office_id: str, workshop: str | None) -> list[tuple[str, Fingerprint]]:
        """As the adapter reads them: the office's films, and the workshop's published ones."""
        return [
            (film.video_id, film.fingerprint)
            for film in self.films.values()
            if film.fingerprint is not None
            and (
                film.office_id == office_id
                or (
                    workshop is not None
                    and film.workshop == workshop
                    and filter_facets({"workshop": workshop})[0] in self.listings.get(film.video_id, {})
                )
            )
        ]

    def add_duplicates(self, video_id: str, duplicates: Iterable[Duplicate]) -> bool:
        film = self.films.get(video_id)
        if film is None or film.status is Status.DELETED:
            return False
        known = {d.video_id: d for d in (*film.duplicates, *duplicates)}
        self.films[video_id] = replace(film, duplicates=tuple(sorted(known.values(), key=lambda d: d.video_id)))
        return True
