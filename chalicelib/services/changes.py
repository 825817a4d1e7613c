"""Applying a lifecycle command's change (domain/lifecycle.py): the catalog's one transaction, and around
it the media side effects in the order the change names, then the next stage's message.

Media stop being public before anything else (`Media.HIDE`, `Media.REMOVE`) and become public only after
the commit (`Media.EXPOSE`, services/media_exposure.py): whatever fails in between, it fails private. The
film's share page is deleted and out of the CDN's cache in that first step, and its workshop's page rewritten
without it, or deleted with its last published film (services/share_pages.py).
"""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.domain.change import Change, Media
from chalicelib.domain.object_keys import media_of
from chalicelib.observability import logger
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.handoff import send_to
from chalicelib.services.media_exposure import expose_after_commit, mark_before_commit, set_media_public, sync_media
from chalicelib.services.share_pages import refresh_left_workshop, withdraw, withdraw_film_page


def apply(deps: Dependencies, change: Change, on_lost: Callable[[], None] | None = None) -> bool:
    """Applies `change`; raises what the catalog raised (StaleTransitionError when the film moved on), after
    bringing the media back in line. `on_lost` runs when the commit failed, before an exposure's mark is
    settled (what to leave behind is the caller's). Returns False when the media of a film made public are
    not public yet (S3 failed after the commit: the sweep finishes it), True otherwise."""
    video_id = change.video_id
    _before_commit(deps, change)
    mark = mark_before_commit(deps, video_id) if change.media is Media.EXPOSE else None
    try:
        deps.catalog.apply(change)
    except Exception:
        if change.media is Media.HIDE:
            # The commit did not happen: its share pages written again and its media public again, as the
            # catalog still says (or left to the sweep, by the mark).
            expose_after_commit(deps, video_id, mark_before_commit(deps, video_id))
        elif change.forget:
            sync_media(deps, video_id)  # the commit did not happen: public again what the catalog still lists
        if on_lost is not None:
            on_lost()
            if mark is not None:
                expose_after_commit(deps, video_id, mark)
        raise
    for key in change.forget:
        _forget(deps, key)
    exposed = True
    if change.media is Media.HIDE:
        # And again once the catalog says so: another editor's change that read the film as PUBLISHED before
        # this commit may have tagged its media public since the first untagging (and written its share page).
        set_media_public(deps, change.before, public=False)
        withdraw_film_page(deps, video_id, invalidate=False)
    elif mark is not None:
        exposed = expose_after_commit(deps, video_id, mark)
    if change.media is not Media.UNCHANGED:
        refresh_left_workshop(deps, change.before, change.after)
    if change.next_stage is not None:
        send_to(deps, change.next_stage, change.after)
    return exposed


def _before_commit(deps: Dependencies, change: Change) -> None:
    """What stops being public does so first: should anything after fail, it fails private."""
    if change.media is Media.HIDE:
        # The CDN's cache is emptied once, after the commit.
        set_media_public(deps, change.before, public=False, empty_cache=False)
        withdraw(deps, change.before)
    elif change.media is Media.REMOVE:
        _hide_whatever_happens(deps, change.video_id)
        withdraw(deps, change.before)
    for key in change.forget:
        # What the catalog is to stop listing stops being public first: should its deletion fail, it is private.
        deps.media.set_public(key, False)


def _forget(deps: Dependencies, key: str) -> None:
    """An object the catalog no longer lists: deleted (an old text is gone, not just unlisted), and out of the
    CDN's cache whatever S3 answered. Untagged again first: a change that read the film before this commit may
    have tagged it public since the untagging before it. The change has committed by now, so a refusal is
    logged, not raised: what S3 kept is private, and goes with the film's media when the film does."""
    try:
        deps.media.set_public(key, False)
        deps.media.delete(key)
    except Exception:
        logger.exception("an object the catalog no longer lists was not deleted", extra={"key": key})
    finally:
        deps.media_cache.invalidate(f"/{key}")


def _hide_whatever_happens(deps: Dependencies, video_id: str) -> None:
    """Private before the change (a takedown's tombstone): should this or the untagging after it fail, the
    change still goes through, and the step after the commit untags again."""
    try:
        deps.media.set_public(media_of(video_id), False)
    # Whatever stops it (a denied action, S3 down), the change still goes through; the failure is logged.
    except Exception:
        logger.exception("a takedown step failed", extra={"video_id": video_id, "step": "media_public"})
