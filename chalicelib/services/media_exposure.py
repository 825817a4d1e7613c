"""Which of a film's media the CDN may serve: exactly what the catalog lists for a PUBLISHED film, nothing
for any other.

Public means exactly what the catalog lists: making a film's media public tags the objects its record
names (renditions, poster, sprite, storyboard, subtitles) and nothing else under `films/{id}/`; making
them private untags the whole prefix (the safe direction) and empties the CDN's cache for it.

Media become public only after the catalog says so (commit, then tag): `expose_after_commit` runs
after a publish or a change to a published film has committed. Whoever tags public reads the film
again afterwards and untags if it is no longer PUBLISHED, so an unpublish, a protection change or a
takedown that committed meanwhile always wins. A catalog mark (`mark_before_commit`) is written before
the commit and cleared once the tags are right: a tagging that failed, or a function that died between the
two, is finished by the sweep (`finish_due`) or by `ops sync-media`; `MediaExposureUnfinished` counts
each such failure.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.clock import now_iso
from chalicelib.domain.catalog import media_keys
from chalicelib.domain.film import Film, Status
from chalicelib.domain.object_keys import media_of, media_paths
from chalicelib.domain.retention import iso
from chalicelib.domain.share_page import share_page_key
from chalicelib.observability import count, logger
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.share_pages import refresh_workshop_page, write_film_page

# At most this many films brought in line per sweep; the next run, minutes later, takes the rest.
SWEEP_BATCH = 100
# A mark younger than this may belong to a request still running (no Lambda runs longer than 15 minutes):
# it is left to that request, or its clearing could come before that request's tagging fails.
IN_FLIGHT = timedelta(minutes=15)


def settled_before(now: datetime | None = None) -> str:
    """Marks made before this moment belong to no request still running."""
    return iso((now or datetime.now(UTC)) - IN_FLIGHT)


def mark_before_commit(deps: Dependencies, video_id: str) -> str:
    """Before a commit that may make media public: the mark that the sweep finds if their tagging
    never happens (it failed, or the function died in between). Returns the mark."""
    return deps.catalog.mark_media_due(video_id, now_iso())


def expose_after_commit(deps: Dependencies, video_id: str, mark: str) -> bool:
    """After a commit that may have left the film PUBLISHED: its media follow what the catalog says now.
    True when done; False when S3 failed (counted and logged): the mark stays and the sweep finishes it.
    A film that is not PUBLISHED now was made private by whatever moved it: nothing to do but the mark."""
    film = deps.catalog.get_film(video_id)
    if film is None or film.status is not Status.PUBLISHED:
        deps.catalog.clear_media_due(video_id, mark)
        return True
    try:
        write_film_page(deps, film)
        # No cache to empty for media becoming public; one that stopped being so meanwhile empties it.
        sync_media(deps, video_id, empty_cache=False)
        if film.workshop:
            refresh_workshop_page(deps, film.workshop)  # its first published film, or one more
    # Any failure leaves the film published and its media private: safe, and finished later.
    except Exception:
        count("MediaExposureUnfinished")
        logger.exception("media not made public after the commit; the sweep finishes it", extra={"video_id": video_id})
        return False
    deps.catalog.clear_media_due(video_id, mark)
    return True


def sync_media(deps: Dependencies, video_id: str, *, empty_cache: bool = True) -> None:
    """A film's media are public exactly when the catalog, read now, says PUBLISHED (after a commit, after
    a race, or as a repair)."""
    film = deps.catalog.get_film(video_id)
    if film is None or film.status is Status.DELETED:
        return
    public = film.status is Status.PUBLISHED
    set_media_public(deps, film, public=public, empty_cache=empty_cache)
    if public:
        # A change that ends publication may have committed between that read and the tagging: then its
        # own untagging may have come before ours, and the media must not stay public.
        now = deps.catalog.get_film(video_id)
        if now is not None and now.status is not Status.PUBLISHED and now.status is not Status.DELETED:
            set_media_public(deps, now, public=False)


def set_media_public(deps: Dependencies, film: Film, *, public: bool, empty_cache: bool = True) -> None:
    """A film's media become readable through the CDN, or stop being so at once (its cache emptied).

    Public is exactly the objects the film's record lists and its share page, never "everything under
    films/{id}/"; private is the whole prefix, the share page included."""
    prefix = media_of(film.video_id)
    if public:
        deps.media.expose_exactly(prefix, media_keys(film) | {share_page_key(film.video_id)})
        return
    deps.media.set_public(prefix, False)
    if empty_cache:
        deps.media_cache.invalidate(media_paths(film.video_id))


def sync_all_media(deps: Dependencies) -> dict[str, int]:
    """Every film's media made public or private as its status says: public exactly what a published
    film's record lists, every other film's media private whatever its status (one being rendered again
    included). Once after a deploy, or as a repair; it also finishes every tagging left unfinished."""
    done = {"public": 0, "private": 0}
    for status in Status:
        if status is Status.DELETED:
            continue  # a tombstone's media are deleted (services/takedown.py finishes what is left)
        for video_id in deps.catalog.every_in_status(status):
            sync_media(deps, video_id, empty_cache=False)  # the cache ages out in minutes; no invalidation storm
            done["public" if status is Status.PUBLISHED else "private"] += 1
    for video_id, mark in deps.catalog.media_due(settled_before()):
        deps.catalog.clear_media_due(video_id, mark)  # every film was just brought in line
    logger.info("media synchronised with the catalog", extra=done)
    return done


def finish_due(deps: Dependencies, now: datetime | None = None) -> dict[str, int]:
    """The sweep's part: every film whose tagging did not finish after its commit, brought in line with
    the catalog. Returns counts: finished, and failed (tried again on the next run)."""
    done = {"finished": 0, "failed": 0}
    for video_id, mark in deps.catalog.media_due(settled_before(now)):
        if done["finished"] + done["failed"] == SWEEP_BATCH:
            break
        if expose_after_commit(deps, video_id, mark):
            done["finished"] += 1
        else:
            done["failed"] += 1
    if any(done.values()):
        logger.info("media exposure finished", extra=done)
    return done
