"""Share pages: small HTML pages that link previewers (chat apps, social networks) read without running
scripts, one per published film and one per workshop with a published film. Each head names what is shared
(Open Graph and Twitter card tags, a canonical link, an image as an absolute URL with its size); each body
leads to the website's page for it.

A page shows nothing the public website does not: a film's titles, description, the author's first name and
age and its share image (the poster's picture, letterboxed: the protected one for a protected film, since
the catalog lists only the published outputs); a workshop's story (title, city, dates, first paragraph) and
the share image of one of its published films. A text the public-text check refuses (domain/public_text.py)
is left out, never shown. Every value is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.film import Film
from chalicelib.domain.ladder import SHARE_IMAGE_HEIGHT, SHARE_IMAGE_WIDTH
from chalicelib.domain.object_keys import SHARE_NAME, media_key, workshop_share_key
from chalicelib.domain.public_text import check_public_text

SITE_NAME = "OneMinutesJr"
NO_TITLE = "A one-minute film"
ABOUT_FILM = "A one-minute film made by young people in a OneMinutesJr workshop."
ABOUT_WORKSHOP = "One-minute films that young people made about their own lives in a OneMinutesJr workshop."
# Previewers cut descriptions around here; a longer one ends with an ellipsis.
DESCRIPTION_CHARS = 200


@dataclass(frozen=True)
class ShareLinks:
    """Where the pages and what they name live: the media's public base URL (the pages and their images) and
    the website's (the film's and the workshop's pages)."""

    media_base_url: str
    site_url: str


@dataclass(frozen=True)
class ShareImage:
    """What a page's preview shows, as an absolute URL, with its size in pixels."""

    url: str
    width: int
    height: int


def share_page_key(video_id: str) -> str:
    return media_key(video_id, SHARE_NAME)


def share_url(video_id: str, media_base_url: str) -> str:
    return f"{media_base_url}/{share_page_key(video_id)}"


def workshop_share_url(slug: str, media_base_url: str) -> str:
    return f"{media_base_url}/{workshop_share_key(slug)}"


def film_page_url(video_id: str, site_url: str) -> str:
    return f"{site_url}/film.html?id={video_id}"


def workshop_page_url(slug: str, site_url: str) -> str:
    return f"{site_url}/workshop.html?id={slug}"


def share_image_of(record: Mapping[str, Any], media_base_url: str) -> ShareImage | None:
    """A film's image for previews, from its public record (domain/catalog.py's `public_record`): its share
    image; for a film transcoded before share images were made, its poster, at its top rendition's size."""
    if record.get("share_image_key"):
        return ShareImage(f"{media_base_url}/{record['share_image_key']}", SHARE_IMAGE_WIDTH, SHARE_IMAGE_HEIGHT)
    if not record.get("poster_key"):
        return None
    sizes = [(r["width"], r["height"]) for r in record.get("renditions", [])]
    width, height = max(sizes, default=(0, 0), key=lambda size: size[0] * size[1])
    return ShareImage(f"{media_base_url}/{record['poster_key']}", width, height)


def share_page(film: Film, links: ShareLinks) -> str:
    """The share page of `film` (a published film), as UTF-8 text."""
    title = _public("title", film.title) or NO_TITLE
    title_en = _public("English title", film.title_en)
    shown_title = f"{title} ({title_en})" if title_en and title_en != title else title
    author = film.author
    by = f"By {author.first_name}, {author.age}. " if author and author.first_name else ""
    summary = _shorten(f"{by}{_public('description', film.description) or ABOUT_FILM}")
    record = {
        "share_image_key": film.share_image_key,
        "poster_key": film.poster_key,
        "renditions": [{"width": r.width, "height": r.height} for r in film.renditions],
    }
    return _document(
        Shared(
            title=shown_title,
            summary=summary,
            page=share_url(film.video_id, links.media_base_url),
            target=film_page_url(film.video_id, links.site_url),
            image=share_image_of(record, links.media_base_url),
            kind="video.other",
            watch="Watch the film",
            language=film.language or "en",
        )
    )


def workshop_share_page(slug: str, story: Mapping[str, Any] | None, image: ShareImage | None, links: ShareLinks) -> str:
    """The share page of workshop `slug` (which has a published film), from its story when it has one, with
    `image` (one of its published films')."""
    story = story or {}
    name = " ".join(word.capitalize() for word in slug.split("-"))
    title = _public("story's title", story.get("title")) or f"Films from the {name} workshop"
    city = _public("city", story.get("city"))
    place = ", ".join(part for part in (city, story.get("country")) if part)
    dates = " to ".join(str(story[field]) for field in ("starts_on", "ends_on") if story.get(field))
    paragraphs: Sequence[str] = story.get("paragraphs") or ()
    first = _public("text of paragraph 1", paragraphs[0]) if paragraphs else None
    where = " · ".join(part for part in (place, dates) if part)
    summary = _shorten(f"{where + '. ' if where else ''}{first or ABOUT_WORKSHOP}")
    return _document(
        Shared(
            title=title,
            summary=summary,
            page=workshop_share_url(slug, links.media_base_url),
            target=workshop_page_url(slug, links.site_url),
            image=image,
            kind="website",
            watch="Watch the workshop's films",
            language="en",
        )
    )


@dataclass(frozen=True)
class Shared:
    """What one share page says, its texts checked already."""

    title: str
    summary: str
    page: str
    target: str
    image: ShareImage | None
    kind: str
    watch: str
    language: str


def _document(shared: Shared) -> str:
    e = escape
    image = shared.image
    pictured = []
    if image is not None:
        pictured = [
            ("og:image", image.url),
            ("og:image:type", "image/jpeg"),
            ("og:image:width", str(image.width)),
            ("og:image:height", str(image.height)),
            ("og:image:alt", f"A still from {shared.title}"),
        ]
    meta = [
        ("og:type", shared.kind),
        ("og:site_name", SITE_NAME),
        ("og:title", shared.title),
        ("og:description", shared.summary),
        ("og:url", shared.page),
        *pictured,
        ("twitter:card", "summary_large_image"),
        ("twitter:title", shared.title),
        ("twitter:description", shared.summary),
        *([("twitter:image", image.url)] if image else []),
    ]
    tags = "\n".join(
        f'  <meta {"name" if name.startswith("twitter:") else "property"}="{e(name)}" content="{e(value)}">'
        for name, value in meta
    )
    poster = ""
    if image is not None:
        picture = f'<img src="{e(image.url)}" alt="{e(shared.watch)}: {e(shared.title)}" width="600">'
        poster = f'<p><a href="{e(shared.target)}">{picture}</a></p>\n'
    return (
        "<!doctype html>\n"
        f'<html lang="{e(shared.language)}">\n<head>\n  <meta charset="utf-8">\n'
        '  <meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"  <title>{e(shared.title)} · {SITE_NAME}</title>\n"
        f'  <meta name="description" content="{e(shared.summary)}">\n'
        f'  <link rel="canonical" href="{e(shared.page)}">\n'
        f"{tags}\n</head>\n<body>\n"
        f"<h1>{e(shared.title)}</h1>\n<p>{e(shared.summary)}</p>\n{poster}"
        f'<p><a href="{e(shared.target)}">{e(shared.watch)} on {SITE_NAME}</a></p>\n</body>\n</html>\n'
    )


def _public(field: str, text: str | None) -> str | None:
    """`text` when the public-text check lets it through; None when it is empty or refused."""
    if not text:
        return None
    try:
        check_public_text(field, text)
    except InvalidRequestError:
        return None
    return text


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DESCRIPTION_CHARS else text[: DESCRIPTION_CHARS - 1].rstrip() + "…"
