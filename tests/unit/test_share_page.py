"""Share pages as previewers read them (domain/share_page.py): a film's and a workshop's head tags, their image
with its size (the share image, or the poster of a film made before share images), every value escaped, and a
text the public-text check refuses left out."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.domain.film import Film, FilmRendition, Status
from chalicelib.domain.metadata import Author
from chalicelib.domain.share_page import (
    ShareImage,
    ShareLinks,
    share_image_of,
    share_page,
    workshop_share_page,
)
from tests.share_head import Head

VIDEO_ID = "6f1c1c3e-2f0e-4a55-9d7a-5b7f0c2a9e11"
LINKS = ShareLinks("https://media.example", "https://films.example")
FILM = Film(
    video_id=VIDEO_ID,
    status=Status.PUBLISHED,
    created_at="2026-12-01T10:00:00.000Z",
    status_changed_at="2026-12-01T10:00:00.000Z",
    title="My street",
    description="Where we play after school.",
    workshop="baku-2012",
    author=Author("Leyla", 14),
    renditions=(
        FilmRendition("360p", f"films/{VIDEO_ID}/360p.mp4", 640, 360),
        FilmRendition("720p", f"films/{VIDEO_ID}/720p.mp4", 1280, 720),
    ),
    poster_key=f"films/{VIDEO_ID}/poster.jpg",
    share_image_key=f"films/{VIDEO_ID}/share.jpg",
)
STORY = {
    "title": "Baku, spring 2012",
    "city": "Baku",
    "country": "AZ",
    "starts_on": "2012-03-05",
    "ends_on": "2012-03-09",
    "paragraphs": ["Twelve young people filmed their streets.", "Then they showed them."],
}


def test_a_film_s_page_names_its_share_image_with_its_size_and_leads_to_the_player() -> None:
    head = Head(share_page(FILM, LINKS))

    assert head.meta["og:image"] == f"https://media.example/films/{VIDEO_ID}/share.jpg"
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "630")
    assert head.meta["twitter:image"] == head.meta["og:image"]
    assert head.meta["og:description"] == "By Leyla, 14. Where we play after school."
    assert head.canonical == head.meta["og:url"] == f"https://media.example/films/{VIDEO_ID}/share.html"
    assert f"https://films.example/film.html?id={VIDEO_ID}" in head.links


def test_a_film_made_before_share_images_shows_its_poster_at_its_largest_rendition_s_size() -> None:
    head = Head(share_page(replace(FILM, share_image_key=None), LINKS))

    assert head.meta["og:image"] == f"https://media.example/films/{VIDEO_ID}/poster.jpg"
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1280", "720")


def test_a_film_without_images_has_no_image_tags() -> None:
    head = Head(share_page(replace(FILM, share_image_key=None, poster_key=None), LINKS))

    assert not any(name.endswith(":image") or name.startswith("og:image") for name in head.meta)


def test_a_description_the_public_text_check_refuses_is_left_out() -> None:
    head = Head(share_page(replace(FILM, description="Call me on +994 12 345 67 89"), LINKS))

    assert "345" not in head.meta["og:description"]
    assert head.meta["og:description"].startswith("By Leyla, 14. A one-minute film")


def test_a_workshop_s_page_tells_its_story_with_a_film_s_image_and_leads_to_the_workshop() -> None:
    image = ShareImage("https://media.example/films/x/share.jpg", 1200, 630)

    html = workshop_share_page("baku-2012", STORY, image, LINKS)

    head = Head(html)
    assert head.meta["og:title"] == "Baku, spring 2012"
    assert (
        head.meta["og:description"] == "Baku, AZ · 2012-03-05 to 2012-03-09. Twelve young people filmed their streets."
    )
    assert head.meta["og:image"] == image.url and head.meta["og:image:width"] == "1200"
    assert head.meta["og:type"] == "website" and head.meta["twitter:card"] == "summary_large_image"
    assert head.canonical == head.meta["og:url"] == "https://media.example/films/workshops/baku-2012/share.html"
    assert "https://films.example/workshop.html?id=baku-2012" in head.links
    assert "<script" not in html


def test_a_workshop_without_a_story_is_named_from_its_slug_and_a_refused_paragraph_is_left_out() -> None:
    bare = Head(workshop_share_page("baku-2012", None, None, LINKS))
    refused = Head(
        workshop_share_page("baku-2012", {**STORY, "paragraphs": ["We met at 12 Nizami Street."]}, None, LINKS)
    )

    assert bare.meta["og:title"] == "Films from the Baku 2012 workshop"
    assert "og:image" not in bare.meta
    assert "Nizami" not in refused.meta["og:description"]


def test_a_hostile_story_title_is_text_never_markup() -> None:
    html = workshop_share_page("baku-2012", {**STORY, "title": '<script>alert("x")</script> & "us"'}, None, LINKS)

    assert "<script" not in html
    assert Head(html).meta["og:title"] == '<script>alert("x")</script> & "us"'


def test_a_listing_record_gives_its_film_s_image() -> None:
    record = {"share_image_key": "films/x/share.jpg", "poster_key": "films/x/poster.jpg", "renditions": []}

    assert share_image_of(record, "https://m") == ShareImage("https://m/films/x/share.jpg", 1200, 630)
    assert share_image_of({"renditions": []}, "https://m") is None
