from dataclasses import replace

from chalicelib.domain.catalog import (
    combined_facets,
    counted_already,
    counted_facets,
    filter_facets,
    left_to_test,
    listing_facets,
    media_keys,
    most_selective,
    public_record,
    public_view,
    search_text,
    upload_view,
)
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
    renditions=(FilmRendition("720p", "films/x/720p.mp4", 1280, 720, playlist_key="films/x/720p.m3u8"),),
    poster_key="films/x/poster.jpg",
    sprite_key="films/x/sprite.jpg",
    share_image_key="films/x/share.jpg",
    hls_key="films/x/hls.m3u8",
)


def test_public_view_holds_only_public_fields():
    view = public_view(public_record(FILM), "https://media.example")
    assert set(view) == {
        "video_id",
        "title",
        "country",
        "topics",
        "workshop",
        "author",
        "duration_s",
        "published_at",
        "renditions",
        "poster_url",
        "sprite_url",
        "storyboard_url",
        "share_image_url",
        "subtitles",
        "streaming",
        "share_url",
    }
    assert view["streaming"] == {"hls": "https://media.example/films/x/hls.m3u8"}
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


def test_a_film_is_listed_once_per_filter_value():
    facets = listing_facets(FILM)
    assert facets == ["all", "country#AZ", "topic#violence", "topic#hiv-aids", "workshop#baku-2012"]
    highlighted = listing_facets(replace(FILM, highlighted=True))
    assert highlighted == [*facets, "highlight"], "one more filter adds one entry, not twice as many"
    assert sorted(counted_facets(highlighted)) == [
        "country#AZ",
        "highlight",
        "topic#hiv-aids",
        "topic#violence",
        "workshop#baku-2012",
    ]


def test_a_combination_reads_its_rarest_value_and_tests_the_others():
    filters = {"country": "AZ", "topic": "hiv-aids", "highlight": "true"}
    facets = filter_facets(filters)
    assert facets == ["country#AZ", "topic#hiv-aids", "highlight"]
    rarest = most_selective(facets, {"country#AZ": 40, "topic#hiv-aids": 7, "highlight": 9})
    assert rarest == "topic#hiv-aids"
    assert left_to_test(filters, rarest) == {"country": "AZ", "highlight": "true"}
    assert most_selective(facets, {"country#AZ": 40, "highlight": 9}) == "topic#hiv-aids", "no counter: no film"


def test_the_combined_form_is_recognised_so_relisting_counts_its_highlight():
    old = combined_facets(replace(FILM, highlighted=True))
    assert len(old) == 2 * 3 * 2 * 2 and "country#AZ&topic#violence&highlight" in old
    assert "highlight" not in counted_already(old), "the combined form kept no highlight counter"
    assert "highlight" in counted_already(listing_facets(replace(FILM, highlighted=True)))


def test_no_filter_is_the_listing_of_all_films():
    assert filter_facets({}) == ["all"]


def test_an_editor_searches_titles_first_names_and_workshops_in_any_case():
    text = search_text(replace(FILM, title_en="My Street"))
    assert all(word in text for word in ("my street", "leyla", "baku-2012"))
    assert "office" not in text


def test_search_text_never_reaches_the_public():
    record = {**public_record(FILM), "search": search_text(FILM)}
    assert "search" not in public_view(record, "https://media.example")


def test_the_media_made_public_are_exactly_the_objects_a_film_lists():
    film = replace(FILM, subtitles=(SubtitleTrack("en", "films/x/subtitles/en-0123456789ab.vtt"),))
    assert media_keys(film) == {
        "films/x/720p.mp4",
        "films/x/720p.m3u8",
        "films/x/hls.m3u8",
        "films/x/poster.jpg",
        "films/x/sprite.jpg",
        "films/x/share.jpg",
        "films/x/subtitles/en-0123456789ab.vtt",
    }
    assert "films/x/storyboard.vtt" not in media_keys(film), "a key the film does not name is never public"
    assert media_keys(Film("x", Status.READY, FILM.created_at, FILM.created_at)) == frozenset()


def test_a_film_made_before_hls_streams_nothing_and_plays_its_renditions():
    old = replace(FILM, hls_key=None, renditions=(FilmRendition("720p", "films/x/720p.mp4", 1280, 720),))
    assert public_view(public_record(old), "https://media.example")["streaming"] == {}
    assert media_keys(old) == {"films/x/720p.mp4", "films/x/poster.jpg", "films/x/sprite.jpg", "films/x/share.jpg"}
