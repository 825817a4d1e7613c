"""Editors' lists of published and of unpublished films, newest first, searchable by title, the child's
first name or the workshop: Queries on the editors' own listing entries, page by page. The failed films
(Needs attention) are services/attention.py's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.domain.catalog import editor_list_view, status_facet
from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.film import LISTED, Status
from chalicelib.domain.metadata import is_unicode_text
from chalicelib.domain.paging import parse_limit
from chalicelib.services import attention
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.editorial import PREVIEW_TTL_S

DEFAULT_PAGE = 24
MAX_PAGE = 100
SEARCH_MAX_CHARS = 80
# A search reads at most this many pages of the list per request before it answers with what it found
# and a cursor to go on: a rare word never turns one request into a read of every film.
SEARCH_READS = 5


def films_in(deps: Dependencies, params: Mapping[str, str]) -> dict[str, Any]:
    status = (params.get("status") or "").upper()
    if status == Status.FAILED:
        return attention.needs_attention(deps, params)
    if status not in LISTED:
        raise InvalidRequestError("status must be published, unpublished or failed.", "invalid_status")
    facet = status_facet(status)
    limit = parse_limit(params.get("limit"), DEFAULT_PAGE, MAX_PAGE)
    text = _search(params.get("q"))
    # The cursor is the catalog's: it refuses one that this list did not return.
    cursor = params.get("cursor") or None
    items: list[dict[str, Any]] = []
    for _ in range(SEARCH_READS if text else 1):
        records, cursor = deps.catalog.list_published(facet, limit - len(items), cursor, containing=text)
        items += records
        if len(items) >= limit or cursor is None:
            break
    return {
        "status": status,
        "items": [_with_poster(deps, editor_list_view(record), record) for record in items],
        "next_cursor": cursor,
    }


def _with_poster(deps: Dependencies, view: dict[str, Any], record: Mapping[str, Any]) -> dict[str, Any]:
    poster = record.get("poster_key")
    view["poster_url"] = deps.media.presign_get(poster, PREVIEW_TTL_S) if poster else None
    return view


def _search(value: str | None) -> str | None:
    text = " ".join((value or "").split()).casefold()
    if len(text) > SEARCH_MAX_CHARS or not is_unicode_text(text):
        raise InvalidRequestError(f"search for text of at most {SEARCH_MAX_CHARS} characters.", "invalid_search")
    return text or None
