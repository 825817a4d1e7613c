"""Editorial decisions and the public catalog: publish, unpublish, list, show."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from chalicelib.clock import now_iso
from chalicelib.domain.catalog import listing_facets, public_record, public_view
from chalicelib.domain.errors import ConflictError, InvalidRequestError, NotFoundError, StaleTransitionError
from chalicelib.domain.film import Status, is_video_id
from chalicelib.domain.metadata import parse_country, parse_topic, parse_workshop
from chalicelib.observability import count
from chalicelib.services.dependencies import Dependencies

DEFAULT_PAGE = 20
MAX_PAGE = 100


def publish(deps: Dependencies, video_id: str) -> dict[str, Any]:
    film = _existing(deps, video_id)
    try:
        deps.catalog.publish(video_id, now_iso(), film, listing_facets(film), public_record(film))
    except StaleTransitionError:
        raise ConflictError(
            f"Film {video_id} is {film['status']}; only a READY or UNPUBLISHED film can be published."
        ) from None
    count("FilmsPublished")
    return {"video_id": video_id, "status": Status.PUBLISHED.value}


def unpublish(deps: Dependencies, video_id: str) -> dict[str, Any]:
    film = _existing(deps, video_id)
    try:
        deps.catalog.unpublish(video_id, now_iso(), listing_facets(film))
    except StaleTransitionError:
        raise ConflictError(f"Film {video_id} is {film['status']}; only a PUBLISHED film can be unpublished.") from None
    return {"video_id": video_id, "status": Status.UNPUBLISHED.value}


def public_film(deps: Dependencies, video_id: str) -> dict[str, Any]:
    film = deps.catalog.get_film(video_id) if is_video_id(video_id) else None
    if film is None or film["status"] != Status.PUBLISHED.value:
        raise NotFoundError(f"No published film {video_id!r}.")
    return public_view(public_record(film), deps.settings.media_base_url)


def list_films(deps: Dependencies, params: dict[str, str]) -> dict[str, Any]:
    facet = _facet(deps, params)
    limit = _limit(params.get("limit"))
    start_after = decode_cursor(params["cursor"], facet) if params.get("cursor") else None
    records, last = deps.catalog.list_published(facet, limit, start_after)
    base = deps.settings.media_base_url
    return {"items": [public_view(r, base) for r in records], "next_cursor": encode_cursor(last) if last else None}


def encode_cursor(last_key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(last_key, sort_keys=True).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, facet: str) -> dict[str, Any]:
    """The position a cursor points at, refused unless it belongs to the listing asked for."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        key = None
    valid = (
        isinstance(key, dict)
        and set(key) == {"pk", "sk", "gsi1pk", "gsi1sk"}
        and all(isinstance(v, str) for v in key.values())
        and key["gsi1pk"] == f"LIST#{facet}"
        and key["sk"] == f"LIST#{facet}"
    )
    if not valid:
        raise InvalidRequestError("cursor is not one this listing returned; start again without it.", "invalid_cursor")
    return dict(key)


def _facet(deps: Dependencies, params: dict[str, str]) -> str:
    filters = [name for name in ("country", "topic", "workshop") if params.get(name)]
    if len(filters) > 1:
        raise InvalidRequestError("filter by one of country, topic or workshop at a time.", "invalid_filter")
    if params.get("country"):
        return f"country#{parse_country(params['country'])}"
    if params.get("topic"):
        return f"topic#{parse_topic(params['topic'], deps.settings.topics)}"
    if params.get("workshop"):
        return f"workshop#{parse_workshop(params['workshop'])}"
    return "all"


def _limit(value: str | None) -> int:
    if value is None:
        return DEFAULT_PAGE
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise InvalidRequestError(f"limit must be a whole number from 1 to {MAX_PAGE}; got {value!r}.", "invalid_limit")
    return int(value)


def _existing(deps: Dependencies, video_id: str) -> dict[str, Any]:
    film = deps.catalog.get_film(video_id) if is_video_id(video_id) else None
    if film is None or film["status"] == Status.DELETED.value:
        raise NotFoundError(f"No film {video_id!r}.")
    return film
