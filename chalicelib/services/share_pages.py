"""Share pages (domain/share_page.py) written, rewritten and withdrawn as what they show changes.

A film's page is one of its media (`films/{id}/share.html`): written private after a publish or a change of a
published film commits, made public with the rest by the tagging (services/media_exposure.py), deleted and out
of the CDN's cache in the first step of an unpublish or a takedown, before the commit.

A workshop's page (`films/workshops/{slug}/share.html`) is public exactly while the workshop has a published
film: written when it gains its first, rewritten when its story or its films change, deleted and out of the
CDN's cache when its last published film goes (before that film's unpublish or takedown commits).

Pages are written only where the media's and the website's addresses are known (the functions), never by the
operator's tools (cli/target.py), which know neither: there writing one raises, and the film's exposure is
left to the functions' sweep.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from chalicelib.domain.film import Film, Status
from chalicelib.domain.object_keys import WORKSHOP_PAGES, workshop_share_key
from chalicelib.domain.share_page import (
    ShareLinks,
    share_image_of,
    share_page,
    share_page_key,
    workshop_share_page,
)
from chalicelib.observability import count, logger
from chalicelib.services.dependencies import Dependencies

HTML = "text/html; charset=utf-8"
# Enough of a workshop's listing to find a published film other than the one leaving it.
FILMS_READ = 2


def links(deps: Dependencies) -> ShareLinks:
    """The addresses a page names; raises where they are unknown (the operator's tools say `-`)."""
    found = ShareLinks(deps.settings.media_base_url, deps.settings.site_url)
    if not all(url.startswith(("https://", "http://")) for url in (found.media_base_url, found.site_url)):
        raise RuntimeError("the media's and the website's addresses are unknown here: no share page written")
    return found


def write_film_page(deps: Dependencies, film: Film) -> None:
    """The film's page as the film reads now, written private: the tagging after it makes it public while the
    film is published. Should the write fail, whatever page was there is made private, never left showing an
    old text."""
    key = share_page_key(film.video_id)
    try:
        deps.media.write_text(key, share_page(film, links(deps)), HTML)
    except Exception:
        deps.media.set_public(key, False)
        raise


def withdraw(deps: Dependencies, film: Film) -> None:
    """First step of an unpublish or a takedown of `film` (as read before it): its page deleted and out of the
    CDN's cache, and its workshop's page rewritten without it (deleted when it was the workshop's last
    published film). Whatever S3 answers, the change goes on: its media are untagged already, and each
    failure is logged and counted."""
    withdraw_film_page(deps, film.video_id)
    if film.workshop and film.status is Status.PUBLISHED:
        refresh = partial(refresh_workshop_page, deps, film.workshop, film.video_id)
        _best_effort(film.video_id, "workshop share page", refresh)


def withdraw_film_page(deps: Dependencies, video_id: str, *, invalidate: bool = True) -> None:
    """The film's page deleted (and out of the CDN's cache unless the caller empties it for all the film's
    media), best effort: its media's untagging came first."""
    key = share_page_key(video_id)
    _best_effort(video_id, "film share page deleted", partial(deps.media.delete, key))
    if invalidate:
        deps.media_cache.invalidate(f"/{key}")  # never raises: a failure is logged and counted by the adapter


def refresh_left_workshop(deps: Dependencies, before: Film, after: Film) -> None:
    """After a commit: the page of the workshop a published film left (unpublished, taken down, or moved to
    another workshop by an edit), rewritten from the catalog, best effort (a failure is logged and counted).
    The workshop it is published in is the exposure's (services/media_exposure.py)."""
    left = before.workshop
    if before.status is not Status.PUBLISHED or not left:
        return
    if after.status is Status.PUBLISHED and after.workshop == left:
        return
    _best_effort(after.video_id, "workshop share page", partial(refresh_workshop_page, deps, left))


def story_changed(deps: Dependencies, slug: str) -> None:
    """After a workshop's story was written or deleted: its page rewritten, when it has one (a published film),
    best effort (a failure is logged and counted)."""
    if deps.catalog.count_of(f"workshop#{slug}"):
        _best_effort(f"workshop-{slug}", "workshop share page", partial(refresh_workshop_page, deps, slug))


def refresh_workshop_page(deps: Dependencies, slug: str, leaving: str | None = None) -> None:
    """Workshop `slug`'s page as the catalog reads now (without film `leaving`, about to stop being public):
    written and public when the workshop has a published film, its image the newest one's; deleted and out of
    the CDN's cache when it has none."""
    key = workshop_share_key(slug)
    records, _ = deps.catalog.list_published(f"workshop#{slug}", FILMS_READ, None)
    shown = [record for record in records if record["video_id"] != leaving]
    if not shown:
        try:
            deps.media.set_public(key, False)  # should the deletion fail, what stays is private
            deps.media.delete(key)
        finally:
            deps.media_cache.invalidate(f"/{key}")
        return
    found = links(deps)
    story = deps.catalog.get_workshop_story(slug)
    image = share_image_of(shown[0], found.media_base_url)
    deps.media.write_text(key, workshop_share_page(slug, story, image, found), HTML)
    deps.media.set_public(key, True)


def finish_workshop_pages(deps: Dependencies) -> dict[str, int]:
    """The sweep's part: every workshop with a published film has its page, and no other workshop has one. It
    writes the pages of workshops published before their pages existed, and finishes what a failed step left
    (`SharePagesUnfinished`). Only where the addresses are known (the functions' sweep). Returns counts."""
    done = {"written": 0, "deleted": 0}
    try:
        links(deps)
    except RuntimeError:
        return done
    published = set(deps.catalog.list_counts("workshop"))
    paged = {key.removeprefix(WORKSHOP_PAGES).split("/", 1)[0] for key in deps.media.keys(WORKSHOP_PAGES)}
    for slug in sorted(published ^ paged):
        if _best_effort(f"workshop-{slug}", "workshop share page", partial(refresh_workshop_page, deps, slug)):
            done["written" if slug in published else "deleted"] += 1
    if any(done.values()):
        logger.info("workshop share pages brought in line", extra=done)
    return done


def _best_effort(video_id: str, step: str, work: Callable[[], object]) -> bool:
    """Whether `work` went through."""
    try:
        work()
    # A page left behind is private or names only public text; the failure is counted for the operators.
    except Exception:
        count("SharePagesUnfinished")
        logger.exception("a share page step failed", extra={"video_id": video_id, "step": step})
        return False
    return True
