"""A published film's share page: a small HTML page that link previewers (chat apps, social networks) read
without running scripts. Its head names the film (Open Graph and Twitter card tags, a canonical link); its
body leads to the film's page on the website.

It shows nothing the public film does not: the title, the English title, the description, the author's first
name and age, the poster (the protected one for a protected film: the catalog's poster is the published
one). A text the public-text check refuses (domain/public_text.py) is left out, never shown. Every value is
HTML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.film import Film
from chalicelib.domain.object_keys import SHARE_NAME, media_key
from chalicelib.domain.public_text import check_public_text

SITE_NAME = "OneMinutesJr"
NO_TITLE = "A one-minute film"
# Previewers cut descriptions around here; a longer one ends with an ellipsis.
DESCRIPTION_CHARS = 200


@dataclass(frozen=True)
class ShareLinks:
    """Where the page and what it names live: the media's public base URL (the page and its image) and the
    website's (the film's page)."""

    media_base_url: str
    site_url: str


def share_page_key(video_id: str) -> str:
    return media_key(video_id, SHARE_NAME)


def share_url(video_id: str, media_base_url: str) -> str:
    return f"{media_base_url}/{share_page_key(video_id)}"


def film_page_url(video_id: str, site_url: str) -> str:
    return f"{site_url}/film.html?id={video_id}"


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


def share_page(film: Film, links: ShareLinks) -> str:
    """The share page of `film` (a published film), as UTF-8 text."""
    title = _public("title", film.title) or NO_TITLE
    title_en = _public("English title", film.title_en)
    shown_title = f"{title} ({title_en})" if title_en and title_en != title else title
    author = film.author
    by = f"By {author.first_name}, {author.age}. " if author and author.first_name else ""
    description = _public("description", film.description)
    summary = _shorten(f"{by}{description or 'A one-minute film made by young people in a OneMinutesJr workshop.'}")
    page = share_url(film.video_id, links.media_base_url)
    player = film_page_url(film.video_id, links.site_url)
    image = f"{links.media_base_url}/{film.poster_key}" if film.poster_key else None
    e = escape
    meta = [
        ("og:type", "video.other"),
        ("og:site_name", SITE_NAME),
        ("og:title", shown_title),
        ("og:description", summary),
        ("og:url", page),
        *([("og:image", image), ("og:image:alt", f"A still from {shown_title}")] if image else []),
        ("twitter:card", "summary_large_image"),
        ("twitter:title", shown_title),
        ("twitter:description", summary),
        *([("twitter:image", image)] if image else []),
    ]
    tags = "\n".join(
        f'  <meta {"name" if name.startswith("twitter:") else "property"}="{e(name)}" content="{e(value)}">'
        for name, value in meta
    )
    picture = f'<img src="{e(image)}" alt="Watch {e(shown_title)}" width="640">' if image else ""
    poster = f'<p><a href="{e(player)}">{picture}</a></p>\n' if image else ""
    language = e(film.language or "en")
    return (
        "<!doctype html>\n"
        f'<html lang="{language}">\n<head>\n  <meta charset="utf-8">\n'
        '  <meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"  <title>{e(shown_title)} · {SITE_NAME}</title>\n"
        f'  <meta name="description" content="{e(summary)}">\n'
        f'  <link rel="canonical" href="{e(page)}">\n'
        f"{tags}\n</head>\n<body>\n"
        f"<h1>{e(shown_title)}</h1>\n<p>{e(summary)}</p>\n{poster}"
        f'<p><a href="{e(player)}">Watch the film on {SITE_NAME}</a></p>\n</body>\n</html>\n'
    )
