"""A change of one film, as a lifecycle command (domain/lifecycle.py) returns it and the catalog writes it.

A Change says everything a change of a film is: the statuses the film must still be in (and, for a person's
change, the version read), the film as it will be (typed: the catalog writes the fields that differ, and
those the change names), where it is listed afterwards, its audit entry, what happens to which media are
public and when, and the next stage's message. The catalog adapter writes the film, its listing entries and
counters and the audit entry in one transaction (a crash never keeps one without the other);
`services/changes.py` applies the media side effects around that commit in the order `Media` names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import Any

from chalicelib.domain.catalog import listing_facets, public_record, search_text, status_facet
from chalicelib.domain.film import LISTED, Film, Status
from chalicelib.domain.stages import Stage

# What the catalog keeps itself for every change (the status's clock and history, the version): never a
# field a command writes.
BOOKKEEPING = frozenset({"video_id", "status", "status_changed_at", "created_at", "history", "version"})
_DEFAULTS = {each.name: each.default for each in fields(Film)}


class Media(Enum):
    """What a change does to which of the film's media are public, and in what order around its commit."""

    UNCHANGED = "unchanged"
    # Public only after the commit: a mark before it (what the sweep finds should the tagging never happen),
    # the tags after it, following what the catalog says then.
    EXPOSE = "expose"
    # Private before anything else, and again after the commit (a change that read the film as PUBLISHED may
    # have tagged them in between), the CDN's cache emptied then.
    HIDE = "hide"
    # Private before anything else, whatever S3 answers (the change goes on); the deletions after the commit
    # are the takedown's (services/takedown.py).
    REMOVE = "remove"


@dataclass(frozen=True)
class AuditEntry:
    """Who did what to the film: written in the change's own transaction."""

    actor: str
    action: str
    details: Mapping[str, Any] = field(default_factory=dict)

    def as_record(self) -> dict[str, Any]:
        return {"actor": self.actor, "action": self.action, "details": dict(self.details)}


@dataclass(frozen=True)
class Listed:
    """The listing entries a film stands in after a change: one per facet, each carrying `record`, sorted by
    `sort_at`. The catalog replaces whatever entries the film stood in before."""

    facets: tuple[str, ...]
    record: Mapping[str, Any]
    sort_at: str | None


@dataclass(frozen=True)
class Change:
    """One change of one film, as the catalog writes it (see the module's docstring)."""

    before: Film
    after: Film
    at: str
    # The film must still be in one of these (and at `before.version` when `checks_version`).
    expect: frozenset[Status]
    audit: AuditEntry | None = None
    listed: Listed | None = None
    media: Media = Media.UNCHANGED
    # The stage whose queue gets the film's message once the change is committed (domain/stages.py).
    next_stage: Stage | None = None
    # Media objects the catalog no longer lists (old subtitles): private before the commit, deleted and out of
    # the CDN's cache after it.
    forget: tuple[str, ...] = ()
    # Fields written (or removed, at their default) whatever `before` held: a change that does not check the
    # version (a stage's completion, the sweep's) may have read the film earlier.
    writes: tuple[str, ...] = ()
    # The raw upload goes as soon as the change is committed (a protected film's, at its publication).
    deletes_source: bool = False
    checks_version: bool = True

    @property
    def video_id(self) -> str:
        return self.before.video_id

    @property
    def target(self) -> Status | None:
        """The status the film moves to; None for a change within its status."""
        return self.after.status if self.after.status is not self.before.status else None

    def set_fields(self) -> dict[str, Any]:
        """The fields the change writes: those that differ from the film read (or it names), with a value."""
        return {name: value for name, value in self._changed().items() if value != _DEFAULTS[name]}

    def remove_fields(self) -> tuple[str, ...]:
        """The fields the change removes: those that go back to their default (the film reads the same)."""
        return tuple(name for name, value in self._changed().items() if value == _DEFAULTS[name])

    def _changed(self) -> dict[str, Any]:
        names = (each.name for each in fields(Film) if each.name not in BOOKKEEPING)
        return {
            name: getattr(self.after, name)
            for name in names
            if name in self.writes or getattr(self.after, name) != getattr(self.before, name)
        }


def listed_as(film: Film) -> Listed:
    """Where a film in its (new) status is listed: a published film in every public listing it belongs to
    and in the editors' list of published films; an unpublished one only in the editors' list; any other
    nowhere."""
    record = {**public_record(film), "search": search_text(film)}
    if film.status is Status.PUBLISHED and film.published_at:
        return Listed((*listing_facets(film), status_facet(Status.PUBLISHED.value)), record, film.published_at)
    facets = (status_facet(film.status.value),) if film.status in LISTED else ()
    return Listed(facets, record, film.status_changed_at)
