"""The public API as the website uses it: true to its OpenAPI document, built from an allowlist,
answered by Queries on keys and indexes (never a Scan)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from chalicelib import wiring
from chalicelib.api.openapi import openapi_document
from tests.functional.conftest import CONSENT, get, post_json, upload_body
from tests.functional.factories import write_ready_film
from tests.functional.test_workshop_stories import STORY

DOCUMENT = openapi_document()
SECRETS = (
    "office-caucasus",
    "consent forms",
    "uploads/",
    "editor Anna",
    "Aliyeva",
    "safeguarding",
    "source.mp4",
    "reason",
    "upload_key",
    "history",
)


def validator(schema_name: str) -> Draft202012Validator:
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": DOCUMENT["components"]}
    return Draft202012Validator(schema)


@pytest.fixture
def no_scans(stack):
    """Fails any request that would Scan the catalog."""
    calls: list[str] = []

    def count(event_name: str, **_: Any) -> None:
        calls.append(event_name.rsplit(".", 1)[-1])
        if event_name.endswith(".Scan"):
            raise AssertionError("a request path scanned the catalog")

    client = wiring.dependencies().catalog._client
    client.meta.events.register("before-call.dynamodb.*", count)
    yield calls
    client.meta.events.unregister("before-call.dynamodb.*", count)


def make_catalog(api, stack, published: str, hidden: str) -> dict[str, str]:
    """What editors do to two READY films: everything a visitor may see on one, published; the other not."""
    editor = {"x-api-key": stack.keys["editor"], "content-type": "application/json"}
    api.http.put(
        f"/videos/{published}/subtitles/en",
        headers={**editor, "content-type": "text/vtt"},
        body=b"WEBVTT\n\n00:01.000 --> 00:04.000\nMy street\n",
    )
    api.http.patch(f"/videos/{published}", headers=editor, body=json.dumps({"sensitive": True, "title_en": "Street"}))
    post_json(api, f"/videos/{published}/consent", CONSENT, stack.keys["editor"])
    post_json(api, f"/videos/{published}/publish", {"safeguarding_confirmed": True}, stack.keys["editor"])
    post_json(api, f"/videos/{published}/highlight", {"highlighted": True}, stack.keys["editor"])
    post_json(api, f"/videos/{hidden}/consent", CONSENT, stack.keys["editor"])
    api.http.put("/workshops/baku-2012/story", headers=editor, body=json.dumps(STORY))
    return {"published": published, "hidden": hidden}


@pytest.fixture
def catalog(api, stack):
    """One published film with everything a visitor may see, one READY film nobody published: both from the
    factory, whose fields are those the pipeline writes (the API's answers are made from the catalog alone)."""
    published = write_ready_film(stack, title="My street", description="A walk home.", language="az")
    hidden = write_ready_film(stack, title="Leyla Aliyeva at school")
    return make_catalog(api, stack, published, hidden)


@pytest.fixture
def pipeline_catalog(api, stack, clips):
    """The same two films uploaded and made by the real pipeline (validation and transcode write what they
    measured, their history, the upload's key and tag): none of that may reach a public answer."""
    body = upload_body(title="My street", description="A walk home.", language="az")
    published = post_json(api, "/uploads", body, stack.keys["office"]).json_body["video_id"]
    hidden = post_json(api, "/uploads", upload_body(title="Leyla Aliyeva at school"), stack.keys["office"]).json_body[
        "video_id"
    ]
    for video_id in (published, hidden):
        stack.put_upload(video_id, clips["valid"])
    stack.run_pipeline()
    return make_catalog(api, stack, published, hidden)


def public_responses(api, catalog) -> list[tuple[str, str, Any]]:
    published = catalog["published"]
    paths = [
        ("/videos", "FilmList"),
        ("/videos?country=AZ", "FilmList"),
        ("/videos?topic=leave-no-child-out", "FilmList"),
        ("/videos?workshop=baku-2012", "FilmList"),
        ("/videos?highlight=true", "FilmList"),
        ("/videos?limit=1", "FilmList"),
        ("/videos?country=AZ&topic=leave-no-child-out&highlight=true", "FilmList"),
        (f"/videos/{published}", "Film"),
        ("/countries", "CountryCounts"),
        ("/topics", "TopicCounts"),
        ("/workshops", "WorkshopCounts"),
        ("/workshops/baku-2012", "Workshop"),
        (f"/videos/{catalog['hidden']}", "Error"),
        ("/videos?limit=500", "Error"),
    ]
    return [(path, schema, get(api, path).json_body) for path, schema in paths]


def test_responses_match_the_openapi_document(api, catalog, no_scans):
    for path, schema, body in public_responses(api, catalog):
        errors = list(validator(schema).iter_errors(body))
        assert errors == [], (path, [error.message for error in errors])
    assert get(api, "/openapi.json").json_body["openapi"] == "3.1.0"
    assert "Scan" not in no_scans and "Query" in no_scans


def test_nothing_private_or_unpublished_appears_in_any_public_response(api, pipeline_catalog, no_scans):
    catalog = pipeline_catalog
    for path, _, body in public_responses(api, catalog):
        text = json.dumps(body)
        if catalog["hidden"] not in path:  # a 404 may repeat the id it was asked for, and nothing else
            assert catalog["hidden"] not in text, path
        for secret in SECRETS:
            assert secret not in text, (path, secret)


def test_a_published_film_shows_what_the_website_needs(api, catalog):
    film = get(api, f"/videos/{catalog['published']}").json_body
    assert {
        "renditions",
        "poster_url",
        "storyboard_url",
        "subtitles",
        "duration_s",
        "title",
        "title_en",
        "description",
        "country",
        "topics",
        "workshop",
        "author",
    } <= set(film)
    assert film["author"] == {"first_name": "Leyla", "age": 14}
    assert film["highlighted"] is True


def test_the_workshop_page_carries_its_story(api, catalog):
    page = get(api, "/workshops/baku-2012").json_body
    assert page["story"]["city"] == "Baku" and page["story"]["paragraphs"] == STORY["paragraphs"]
    assert [item["video_id"] for item in page["items"]] == [catalog["published"]]
