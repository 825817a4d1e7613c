"""Workshop stories: written by an editor, shown with the workshop's published films, never a venue."""

from __future__ import annotations

from chalicelib import wiring
from tests.functional.conftest import get, publish
from tests.functional.test_editorial import call, error_of, ready_film

STORY = {
    "title": "Young offenders and victims of violence tell their stories",
    "city": "Baku",
    "country": "AZ",
    "starts_on": "2012-03-05",
    "ends_on": "2012-03-09",
    "partners": ["NGO Reliable Future", "One Minutes Foundation"],
    "paragraphs": ["Fifteen children and teenagers came together this week.", "13 films were finished."],
}


def test_a_workshop_page_tells_its_story_with_its_films(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips)
    written = call(api, "put", "/workshops/baku-2012/story", editor, STORY)
    assert written.status_code == 200 and written.json_body["warnings"] == []
    assert get(api, "/workshops/baku-2012").status_code == 404, "no published film: the story stays private"
    publish(api, stack, video_id)
    page = get(api, "/workshops/baku-2012").json_body
    assert page["story"] == STORY and [item["video_id"] for item in page["items"]] == [video_id]
    assert "updated_by" not in page["story"]
    assert get(api, "/workshops/baku-2012/story", editor).json_body["story"] == STORY


def test_an_editor_deletes_a_workshops_story_and_the_public_page_no_longer_tells_it(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips)
    publish(api, stack, video_id)
    assert call(api, "put", "/workshops/baku-2012/story", editor, STORY).status_code == 200
    assert call(api, "delete", "/workshops/baku-2012/story", stack.keys["office"]).status_code == 403

    deleted = call(api, "delete", "/workshops/baku-2012/story", editor)

    assert (deleted.status_code, deleted.json_body) == (200, {"workshop": "baku-2012", "story": None})
    page = get(api, "/workshops/baku-2012").json_body
    assert page["story"] is None and [item["video_id"] for item in page["items"]] == [video_id]
    assert get(api, "/workshops/baku-2012/story", editor).json_body["story"] is None
    trail = wiring.dependencies().catalog.audit_trail("workshop-baku-2012")
    assert [(entry["action"], entry["actor"]) for entry in trail] == [
        ("story_written", "editor Anna"),
        ("story_deleted", "editor Anna"),
    ]
    assert error_of(call(api, "delete", "/workshops/baku-2012/story", editor)) == (404, "story_not_found")


def test_a_story_never_gives_a_place_finer_than_the_city(api, stack):
    editor = stack.keys["editor"]
    for change in (
        {"city": "Baku, Nizami district"},
        {"paragraphs": ["We met at 12 Nizami street."]},
        {"paragraphs": ["Ul. Lenina 5, second floor"]},
        {"partners": ["AZ1000 Baku"]},
    ):
        response = call(api, "put", "/workshops/baku-2012/story", editor, {**STORY, **change})
        assert error_of(response) == (400, "place_too_precise"), change
    assert get(api, "/workshops/baku-2012/story", editor).json_body["story"] is None, "nothing was stored"
    named = {**STORY, "paragraphs": ["They are helped at the Psycho-Social Rehabilitation Center."]}
    warned = call(api, "put", "/workshops/baku-2012/story", editor, named).json_body
    assert [w["code"] for w in warned["warnings"]] == ["venue_named"]
    assert error_of(call(api, "put", "/workshops/baku-2012/story", editor, {**STORY, "ends_on": "2012-03-01"})) == (
        400,
        "invalid_dates",
    )
    assert call(api, "put", "/workshops/baku-2012/story", stack.keys["office"], STORY).status_code == 403


def test_the_editor_is_warned_when_the_workshop_has_sensitive_films(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips)
    assert call(api, "patch", f"/videos/{video_id}", editor, {"sensitive": True}).status_code == 200
    warnings = call(api, "put", "/workshops/baku-2012/story", editor, STORY).json_body["warnings"]
    assert [w["code"] for w in warnings] == ["sensitive_films"]
    assert "1 film" in warnings[0]["message"]
    assert [w["code"] for w in get(api, "/workshops/baku-2012/story", editor).json_body["warnings"]] == [
        "sensitive_films"
    ]
    assert get(api, "/workshops/other-2013/story", editor).json_body == {
        "workshop": "other-2013",
        "story": None,
        "warnings": [],
    }


def test_a_story_is_previewed_as_it_would_be_published_and_nothing_is_stored(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips)
    publish(api, stack, video_id)
    named = {**STORY, "paragraphs": ["They are helped at the Psycho-Social Rehabilitation Center."]}

    previewed = call(api, "post", "/workshops/baku-2012/story/preview", editor, named)

    assert previewed.status_code == 200
    assert previewed.json_body["story"] == named
    assert [w["code"] for w in previewed.json_body["warnings"]] == ["venue_named"]
    assert get(api, "/workshops/baku-2012").json_body["story"] is None, "the public page tells nothing yet"
    assert get(api, "/workshops/baku-2012/story", editor).json_body["story"] is None
    assert wiring.dependencies().catalog.audit_trail("workshop-baku-2012") == [], "a preview is no write"
    # Refused as a write would be, before anything is public.
    too_precise = {**STORY, "paragraphs": ["We met at 12 Nizami street."]}
    assert error_of(call(api, "post", "/workshops/baku-2012/story/preview", editor, too_precise)) == (
        400,
        "place_too_precise",
    )
    assert call(api, "post", "/workshops/baku-2012/story/preview", stack.keys["office"], STORY).status_code == 403
