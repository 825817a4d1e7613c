from dataclasses import replace

from chalicelib.domain.catalog import listing_facets, media_keys, public_record, public_view, upload_view
from chalicelib.domain.film import Film, FilmRendition, Status, SubtitleTrack
from chalicelib.domain.metadata import Author

FILM = Film(
    video_id="0b8f6a52-8a0e-4f1e-9a53-2a4f7d3e2c11",
    status=Status.PUBLISHED,
    created_at="2026-11-25T09:00:00Z",
    status_changed_at="2026-11-25T10:00:00Z",
    title="My street",
    country="AZ",
    topics=("violence", "hiv-aids"),
    workshop="baku-2012",
    author=Author("Leyla", 14),
    office_id="office-az",
    upload_key="uploads/x/source.mp4",
    upload_etag="abc",
    reason="internal",
    reason_code="x",
    filename="leyla aliyeva.mp4",
    duration_s=60.0,
    published_at="2026-11-25T10:00:00Z",
    renditions=(FilmRendition("720p", "films/x/720p.mp4", 1280, 720),),
    poster_key="films/x/poster.jpg",
    sprite_key="films/x/sprite.jpg",
)


def test_public_view_holds_only_public_fields():
    view = public_view(public_record(FILM), "https://media.example")
    assert set(view) == {"video_id", "title", "country", "topics", "workshop", "author", "duration_s", "published_at",
                         "renditions", "poster_url", "sprite_url", "storyboard_url", "subtitles"}  # fmt: skip
    assert view["author"] == {"first_name": "Leyla", "age": 14}
    assert view["renditions"] == [
        {"name": "720p", "url": "https://media.example/films/x/720p.mp4", "width": 1280, "height": 720}
    ]
    text = repr(view)
    for private in ("office-az", "uploads/", "leyla aliyeva", "internal", "abc"):
        assert private not in text


def test_an_office_sees_status_and_reason_but_not_storage():
    view = upload_view(FILM)
    assert view["reason_code"] == "x"
    assert "upload_key" not in view and "office_id" not in view


def test_a_film_is_listed_everywhere_a_visitor_would_look_for_it():
    assert listing_facets(FILM) == ["all", "country#AZ", "topic#violence", "topic#hiv-aids", "workshop#baku-2012"]


def test_the_media_made_public_are_exactly_the_objects_a_film_lists():
    film = replace(FILM, subtitles=(SubtitleTrack("en", "films/x/subtitles/en-0123456789ab.vtt"),))
    assert media_keys(film) == {
        "films/x/720p.mp4",
        "films/x/poster.jpg",
        "films/x/sprite.jpg",
        "films/x/subtitles/en-0123456789ab.vtt",
    }
    assert "films/x/storyboard.vtt" not in media_keys(film), "a key the film does not name is never public"
    assert media_keys(Film("x", Status.READY, FILM.created_at, FILM.created_at)) == frozenset()
