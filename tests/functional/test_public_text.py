"""Public text through the HTTP API: an address, phone number or map point in a title, description,
workshop or subtitle line is refused with a 400 naming the field, and nothing changes (issue 22, item 4)."""

from __future__ import annotations

from tests.functional.conftest import get, post_json, upload_body
from tests.functional.factories import write_ready_film
from tests.functional.test_editorial import call, error_of
from tests.functional.test_workshop_stories import STORY

LEYLA = "Leyla at 12 Nizami street, +994501234567"


def test_an_upload_with_an_address_or_phone_in_its_texts_is_refused_and_nothing_is_made(api, stack):
    office = stack.keys["office"]
    for change, field, code in (
        ({"title": LEYLA}, "title", "contact_details"),
        ({"description": "We filmed at 40.4093, 49.8671 every day."}, "description", "place_too_precise"),
        ({"workshop": "nizami-kucesi-12-apt-5-baku"}, "workshop", "place_too_precise"),
        ({"title": "Our yard, AZ1000"}, "title", "place_too_precise"),
    ):
        response = post_json(api, "/uploads", upload_body(**change), office)
        assert error_of(response) == (400, code), change
        assert response.json_body["message"].startswith(f"The {field} seems to hold "), response.json_body
    assert get(api, "/uploads", office).json_body["items"] == [], "no film was made"
    warned = post_json(api, "/uploads", upload_body(title="School No. 5 in Baku"), office)
    assert warned.status_code == 201
    assert [warning["code"] for warning in warned.json_body["warnings"]] == ["venue_named"]


def test_an_office_s_correction_with_an_address_is_refused_and_the_film_keeps_its_texts(api, stack):
    office = stack.keys["office"]
    video_id = post_json(api, "/uploads", upload_body(), office).json_body["video_id"]
    before = get(api, f"/uploads/{video_id}", office).json_body
    for change in ({"description": "Call me: (012) 498-12-34"}, {"workshop": "mkr-8-ev-14"}):
        response = call(api, "patch", f"/uploads/{video_id}", office, change)
        assert error_of(response)[0] == 400 and f"The {next(iter(change))} seems" in response.json_body["message"]
    assert get(api, f"/uploads/{video_id}", office).json_body == before


def test_an_editor_s_edit_or_subtitles_with_an_address_are_refused_and_change_nothing(api, stack):
    editor = stack.keys["editor"]
    video_id = write_ready_film(stack)
    before = get(api, f"/videos/{video_id}/editorial", editor).json_body
    for change, name in (
        ({"title_en": LEYLA}, "English title"),
        ({"title": "ул. Низами 12"}, "title"),
        ({"description": "Write to leyla.aliyeva2012@mail.ru"}, "description"),
        ({"workshop": "building-5-block-3-yasamal"}, "workshop"),
    ):
        response = call(api, "patch", f"/videos/{video_id}", editor, change)
        assert error_of(response)[0] == 400 and response.json_body["message"].startswith(f"The {name} seems")
    srt = b"1\n00:00:01,000 --> 00:00:04,000\nMy street.\n\n2\n00:00:05,000 --> 00:00:08,000\nNizami k\xc3\xbc\xc3\xa7\xc9\x99 12\n"
    response = call(api, "put", f"/videos/{video_id}/subtitles/en", editor, srt, {"content-type": "text/plain"})
    assert error_of(response) == (400, "place_too_precise")
    assert "cue 2" in response.json_body["message"]
    after = get(api, f"/videos/{video_id}/editorial", editor).json_body
    # (the preview's links are signed anew at each request)
    assert {**after, "preview": None} == {**before, "preview": None}, "nothing changed"
    subtitles = f"films/{video_id}/subtitles/"
    listed = stack.client("s3").list_objects_v2(Bucket=stack.name("MediaBucket"), Prefix=subtitles)
    assert listed.get("KeyCount") == 0, "no subtitle file was stored"
    story = call(api, "put", "/workshops/nizami-kucesi-12-apt-5-baku/story", editor, STORY)
    assert error_of(story) == (400, "place_too_precise") and story.json_body["message"].startswith("The workshop ")
    assert get(api, "/workshops/nizami-kucesi-12-apt-5-baku/story", editor).json_body["story"] is None
    named = call(api, "patch", f"/videos/{video_id}", editor, {"description": "Filmed at школа №5."})
    assert named.status_code == 200 and [w["code"] for w in named.json_body["warnings"]] == ["venue_named"]
