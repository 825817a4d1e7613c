"""The public catalog the website reads: listings, one film, counts per country, topic and workshop.

Every request is a GetItem or a Query on a key or index made for it (a combined filter reads its most
selective value's listing, a bounded number of entries per page); nothing reads the whole catalog.
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain.catalog import public_record, public_view
from chalicelib.domain.errors import GoneError, InvalidRequestError, NotFoundError
from chalicelib.domain.film import Status
from chalicelib.domain.metadata import parse_country, parse_topic, parse_workshop
from chalicelib.domain.paging import parse_limit
from chalicelib.domain.share_page import workshop_share_url
from chalicelib.domain.workshops import public_story
from chalicelib.services.dependencies import Dependencies

DEFAULT_PAGE = 20
MAX_PAGE = 100


def public_film(deps: Dependencies, video_id: str) -> dict[str, Any]:
    film = deps.catalog.get_film(video_id)
    if film is not None and film.status is not Status.PUBLISHED and film.ever_published:
        # Unpublished or taken down: the website says it is gone, and nothing else about it.
        raise GoneError("This film is no longer available.")
    if film is None or film.status is not Status.PUBLISHED:
        raise NotFoundError(f"No published film {video_id!r}.")
    return public_view(public_record(film), deps.settings.media_base_url)


def list_films(deps: Dependencies, params: dict[str, str]) -> dict[str, Any]:
    filters = _filters(deps, params)
    limit = parse_limit(params.get("limit"), DEFAULT_PAGE, MAX_PAGE)
    # The cursor is the catalog's: it refuses one that these filters' listings did not return. A page
    # may hold fewer than `limit` films while a cursor says more may follow (a combined filter's read
    # is bounded per page).
    records, next_cursor = deps.catalog.list_matching(filters, limit, params.get("cursor") or None)
    base = deps.settings.media_base_url
    return {"items": [public_view(r, base) for r in records], "next_cursor": next_cursor}


def _filters(deps: Dependencies, params: dict[str, str]) -> dict[str, str]:
    """Any combination of country, topic, workshop and highlight (all of them hold), validated."""
    filters: dict[str, str] = {}
    if params.get("highlight"):
        if params["highlight"] != "true":
            raise InvalidRequestError("highlight takes one value: true.", "invalid_filter")
        filters["highlight"] = "true"
    if params.get("country"):
        filters["country"] = parse_country(params["country"])
    if params.get("topic"):
        filters["topic"] = parse_topic(params["topic"], deps.settings.topics)
    if params.get("workshop"):
        filters["workshop"] = parse_workshop(params["workshop"])
    return filters


def countries(deps: Dependencies) -> dict[str, Any]:
    import pycountry

    counts = deps.catalog.list_counts("country")
    items = [
        {"country": code, "name": getattr(pycountry.countries.get(alpha_2=code), "name", code), "films": n}
        for code, n in sorted(counts.items())
    ]
    return {"items": items}


def topics(deps: Dependencies) -> dict[str, Any]:
    counts = deps.catalog.list_counts("topic")
    return {"items": [{"topic": topic, "films": counts.get(topic, 0)} for topic in sorted(deps.settings.topics)]}


def workshops(deps: Dependencies) -> dict[str, Any]:
    counts = deps.catalog.list_counts("workshop")
    return {"items": [{"workshop": workshop, "films": n} for workshop, n in sorted(counts.items())]}


def workshop(deps: Dependencies, workshop_id: str, params: dict[str, str]) -> dict[str, Any]:
    """A workshop's page: "the full list of the individual videos produced here"."""
    try:
        slug = parse_workshop(workshop_id)
    except InvalidRequestError:
        raise NotFoundError(f"No workshop {workshop_id!r}.") from None
    # The story shows only beside published films: a workshop without any stays private, story and all,
    # whatever the cursor (the count is kept in the same transactions as the listings).
    published = deps.catalog.count_of(f"workshop#{slug}")
    if not published:
        raise NotFoundError(f"No published films from workshop {workshop_id!r}.")
    films = list_films(deps, {**params, "workshop": slug})
    story = deps.catalog.get_workshop_story(slug)
    return {
        "workshop": slug,
        "films": published,
        "story": public_story(story) if story else None,
        "share_url": workshop_share_url(slug, deps.settings.media_base_url),
        **films,
    }
