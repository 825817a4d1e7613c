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
from typing import Any, TypeVar

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

T = TypeVar("T")
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
    """The film's page as the film reads now, written private (the tagging after it makes it public while the
    film is published), emptied from the CDN's cache when it replaced another text (an edit shows at once).
    Should the write fail, whatever page was there is made private, never left showing an old text. A takedown
    that finished while it was written (deleting the film's objects before the page landed) has the page
    deleted after it."""
    key = share_page_key(film.video_id)
    try:
        _replace(deps, key, share_page(film, links(deps)))
    except Exception:
        deps.media.set_public(key, False)
        raise
    now = deps.catalog.get_film(film.video_id)
    if now is None or now.status is Status.DELETED:
        deps.media.delete(key)


def _replace(deps: Dependencies, key: str, text: str) -> None:
    """A page written (private), and out of the CDN's cache when it replaced another text: a page written where
    there was none (a publish: a withdrawal deleted the last one and emptied the cache) or with the same text
    (new subtitles) costs no invalidation, which CloudFront bills per path."""
    old = deps.media.read_text(key)
    deps.media.write_text(key, text, HTML)
    if old is not None and old != text:
        deps.media_cache.invalidate(f"/{key}")  # never raises: a failure is logged and counted by the adapter


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
    written and public when the workshop has a published film, its image the newest one's; deleted when it
    has none; out of the CDN's cache when its text changed or it went. A withdrawal that committed while the
    page was written (its own deletion before this write) is seen in a second read, and the page deleted.
    Should the write fail, whatever page was there is made private, never left showing an old text (the sweep
    writes it again)."""
    key = workshop_share_key(slug)
    text = _workshop_page(deps, slug, leaving)
    if text is None:
        _delete_workshop_page(deps, key)
        return
    try:
        _replace(deps, key, text)
    except Exception:
        deps.media.set_public(key, False)
        deps.media_cache.invalidate(f"/{key}")
        raise
    deps.media.set_public(key, True)
    if not _shown(deps, slug, leaving):
        _delete_workshop_page(deps, key)


def _shown(deps: Dependencies, slug: str, leaving: str | None) -> list[dict[str, Any]]:
    """The workshop's published films as the catalog reads now, without film `leaving`."""
    records = deps.catalog.latest_published(f"workshop#{slug}", FILMS_READ)
    return [record for record in records if record["video_id"] != leaving]


def _workshop_page(deps: Dependencies, slug: str, leaving: str | None = None) -> str | None:
    """The workshop's page as it should read now; None when it has no published film."""
    shown = _shown(deps, slug, leaving)
    if not shown:
        return None
    found = links(deps)
    image = share_image_of(shown[0], found.media_base_url)
    return workshop_share_page(slug, deps.catalog.get_workshop_story(slug), image, found)


def _delete_workshop_page(deps: Dependencies, key: str) -> None:
    try:
        deps.media.set_public(key, False)  # should the deletion fail, what stays is private
        deps.media.delete(key)
    finally:
        deps.media_cache.invalidate(f"/{key}")


def _bring_in_line(deps: Dependencies, slug: str) -> str | None:
    """The workshop's page brought in line with the catalog when it is not (missing, stray, private, or an old
    text after a rewrite that failed): "written" or "deleted"; None when it was in line. A small read per
    workshop (its films, its story, its page and its tag): the page is rewritten, and the CDN's cache emptied,
    only when it differs."""
    key = workshop_share_key(slug)
    text = _workshop_page(deps, slug)
    if text is None and not deps.media.keys(key):
        return None
    if text is not None and deps.media.read_text(key) == text and deps.media.is_public(key):
        return None
    refresh_workshop_page(deps, slug)
    return "deleted" if text is None else "written"


def finish_workshop_pages(deps: Dependencies) -> dict[str, int]:
    """The sweep's part: every workshop with a published film has its page, as its story and films read now,
    public; no other workshop has one. It writes the pages of workshops published before their pages existed,
    and finishes what a failed step left (`SharePagesUnfinished`): a page left private or with an old text
    after a failed rewrite, a stray page. Only where the addresses are known (the functions' sweep). Returns
    counts."""
    done = {"written": 0, "deleted": 0}
    try:
        links(deps)
    except RuntimeError:
        return done
    published = set(deps.catalog.list_counts("workshop"))
    paged = {key.removeprefix(WORKSHOP_PAGES).split("/", 1)[0] for key in deps.media.keys(WORKSHOP_PAGES)}
    for slug in sorted(published | paged):
        if what := _best_effort(f"workshop-{slug}", "workshop share page", partial(_bring_in_line, deps, slug)):
            done[what] += 1
    if any(done.values()):
        logger.info("workshop share pages brought in line", extra=done)
    return done


def _best_effort(video_id: str, step: str, work: Callable[[], T]) -> T | None:
    """What `work` answered; None when it failed (logged and counted)."""
    try:
        return work()
    # A page left behind is private or names only public text; the failure is counted for the operators.
    except Exception:
        count("SharePagesUnfinished")
        logger.exception("a share page step failed", extra={"video_id": video_id, "step": step})
        return None
