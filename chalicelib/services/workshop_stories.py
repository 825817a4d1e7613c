"""Workshop stories: an editor writes one, or deletes it; the public workshop page shows it with the
workshop's films, and its share page is written again. Each write and deletion is in the workshop's audit
trail (`workshop-{slug}`)."""

from __future__ import annotations

from typing import Any

from chalicelib.clock import now_iso
from chalicelib.domain.errors import InvalidRequestError, NotFoundError
from chalicelib.domain.film import Status
from chalicelib.domain.metadata import parse_workshop
from chalicelib.domain.public_text import check_film_texts
from chalicelib.domain.workshops import parse_story, public_story, safety_warnings
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.editorial import REVIEW_PAGE
from chalicelib.services.share_pages import story_changed

# A workshop ends with ten to fifteen films: its listing is read whole to check them, in one page.
WORKSHOP_FILMS_READ = 100


def write_story(deps: Dependencies, editor: str, workshop_id: str, body: Any) -> dict[str, Any]:
    slug = _slug(workshop_id)
    check_film_texts({"workshop": slug})  # the slug is public with the story
    story, warnings = parse_story(body)
    deps.catalog.put_workshop_story(slug, {**story, "updated_by": editor, "updated_at": now_iso()})
    deps.catalog.record_audit(f"workshop-{slug}", now_iso(), {"actor": editor, "action": "story_written"})
    story_changed(deps, slug)
    return {"workshop": slug, "story": story, "warnings": warnings + safety_warnings(_films_of(deps, slug))}


def preview_story(deps: Dependencies, workshop_id: str, body: Any) -> dict[str, Any]:
    """The story as `write_story` would publish it (checked the same way, with the same warnings), saved
    nowhere: the editor sees the workshop's page as it would look before it goes public."""
    slug = _slug(workshop_id)
    check_film_texts({"workshop": slug})
    story, warnings = parse_story(body)
    return {"workshop": slug, "story": story, "warnings": warnings + safety_warnings(_films_of(deps, slug))}


def delete_story(deps: Dependencies, editor: str, workshop_id: str) -> dict[str, Any]:
    """The story goes from the catalog, and with it from the public workshop page at once."""
    slug = _slug(workshop_id)
    if not deps.catalog.delete_workshop_story(slug):
        raise NotFoundError(f"Workshop {slug} has no story to delete.", "story_not_found")
    deps.catalog.record_audit(f"workshop-{slug}", now_iso(), {"actor": editor, "action": "story_deleted"})
    story_changed(deps, slug)
    return {"workshop": slug, "story": None}


def story_for_editor(deps: Dependencies, workshop_id: str) -> dict[str, Any]:
    """The story as written (or none yet), with the warnings about the workshop's films."""
    slug = _slug(workshop_id)
    story = deps.catalog.get_workshop_story(slug)
    return {
        "workshop": slug,
        "story": public_story(story) if story else None,
        "warnings": safety_warnings(_films_of(deps, slug)),
    }


def _films_of(deps: Dependencies, slug: str) -> list[dict[str, Any]]:
    """What needs care in the workshop's published films (its listing) and those waiting for review,
    as the catalog holds them."""
    records = deps.catalog.latest_published(f"workshop#{slug}", WORKSHOP_FILMS_READ)
    ids = [record["video_id"] for record in records]
    ids += deps.catalog.list_by_status(Status.READY, "9999", REVIEW_PAGE)
    return [
        {"sensitive": film.sensitive, "protect_identity": getattr(film, "protect_identity", None)}
        for film in deps.catalog.get_films(ids)
        if film.workshop == slug
    ]


def _slug(workshop_id: str) -> str:
    try:
        return parse_workshop(workshop_id)
    except InvalidRequestError:
        raise NotFoundError(f"No workshop {workshop_id!r}.") from None
