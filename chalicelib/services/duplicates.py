"""Duplicates: a film whose picture is the same as another film's of its office or workshop
(domain/fingerprint.py says when), recorded on both films once the later one is READY, and shown to
editors beside both and to the office beside the later one ("already sent as ...").

The fingerprint is taken by the stage that reads the source (the transcode, or the protection stage for
a protected film) and kept on the film's item. A takedown's tombstone keeps neither the fingerprint nor
the film's duplicates, and a film gone or taken down is shown as no one's duplicate: a film taken down and
sent again is a new film.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chalicelib.domain.errors import ConflictError
from chalicelib.domain.film import Film, Status
from chalicelib.domain.fingerprint import Duplicate, duplicates_among
from chalicelib.domain.protection import KINDS, record_of
from chalicelib.observability import count, logger
from chalicelib.services.dependencies import Dependencies


def record_duplicates(deps: Dependencies, film: Film) -> list[Duplicate]:
    """The films of `film`'s office and workshop that are the same film, recorded on both sides."""
    if film.fingerprint is None:
        return []
    near = deps.catalog.fingerprints_near(film.office_id, film.workshop)
    found = duplicates_among(film.fingerprint, [(other, print_) for other, print_ in near if other != film.video_id])
    if not found or not deps.catalog.add_duplicates(film.video_id, found):
        return []
    for duplicate in found:
        deps.catalog.add_duplicates(duplicate.video_id, [Duplicate(film.video_id, duplicate.same)])
    count("FilmsWithDuplicates")
    logger.info("same film as others", extra={"duplicates": [d.stored() for d in found]})
    return found


def duplicates_for_editor(deps: Dependencies, film: Film) -> list[dict[str, Any]]:
    """`[{video_id, title, status, same, protect_identity, draft}]`: the films still there that are the same as
    this one, the identity protection each asked for, and whether it is a draft (its office has not completed its
    details: no title yet, and no editor reviews it)."""
    return [
        {
            "video_id": other.video_id,
            "title": other.title,
            "status": other.status.value,
            "same": same,
            "protect_identity": record_of(other.protect_identity),
            "draft": other.draft,
        }
        for other, same in _still_there(deps, film.duplicates)
    ]


def check_protected_as_its_copies(deps: Dependencies, film: Film) -> None:
    """A film is not published with less identity protection than a copy of it asked for: whoever sent the
    copy knew the child and asked to hide them (when in doubt, it stays private). The editor asks for the same
    protection here (`PUT /videos/{id}/protection`), and publishes the protected version."""
    asked = record_of(film.protect_identity)
    for other, _same in _still_there(deps, film.duplicates):
        wanted = record_of(other.protect_identity)
        missing = [kind for kind in KINDS if wanted[kind] and not asked[kind]]
        if missing:
            names = {"faces": "blurred faces", "voice": "a disguised voice"}
            named = "A copy whose details its office has not completed" if other.draft else f"“{other.title}”"
            raise ConflictError(
                f"{named} (film {other.video_id}) is the same film and asked for "
                f"{' and '.join(names[kind] for kind in missing)}: ask for the same protection here before "
                "publishing. Nothing was published.",
                "copy_protected",
            )


def already_sent(deps: Dependencies, films: Iterable[Film]) -> dict[str, list[dict[str, Any]]]:
    """Per film, the same office's earlier films that are the same film (`[{video_id, title, draft}]`): what the
    office's row says it was already sent as (a draft: its details not completed, no editor sees it). One read for
    them all; another office's film is never named."""
    films = [film for film in films if film.duplicates]
    others = {
        other.video_id: other
        for other, _ in _still_there(deps, [duplicate for film in films for duplicate in film.duplicates])
    }
    sent: dict[str, list[dict[str, Any]]] = {}
    for film in films:
        earlier = [others.get(duplicate.video_id) for duplicate in film.duplicates]
        sent[film.video_id] = [
            {"video_id": other.video_id, "title": other.title, "draft": other.draft}
            for other in earlier
            if other is not None and other.office_id == film.office_id and other.created_at < film.created_at
        ]
    return sent


def _still_there(deps: Dependencies, duplicates: Iterable[Duplicate]) -> list[tuple[Film, str]]:
    wanted = list(duplicates)
    if not wanted:
        return []
    films = {other.video_id: other for other in deps.catalog.get_films(d.video_id for d in wanted)}
    return [
        (films[d.video_id], d.same.value)
        for d in wanted
        if d.video_id in films and films[d.video_id].status is not Status.DELETED
    ]
