"""Cursors are signed with the stack's own key: a made-up or altered one is `400 invalid_cursor` on every
listing, and no cursor makes a workshop's story public before the workshop has a published film
(issue 22, item 5)."""

from __future__ import annotations

import base64
import json

import pytest

from chalicelib import wiring
from chalicelib.adapters.film_items import film_key
from tests.functional.conftest import get, post_json, publish, upload_body
from tests.functional.factories import write_ready_film
from tests.functional.test_editorial import call, error_of
from tests.functional.test_workshop_stories import STORY


def hand_made(key: dict[str, str]) -> str:
    """A cursor as an attacker makes one: the base64 of a key of their choice."""
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def listing_key(facet: str, video_id: str) -> dict[str, str]:
    pk = film_key(video_id)["pk"]
    return {"pk": pk, "sk": f"LIST#{facet}", "gsi1pk": f"LIST#{facet}", "gsi1sk": f"2012-03-09T00:00:00Z#{video_id}"}


def test_a_hand_made_cursor_shows_no_story_of_a_workshop_without_a_published_film(api, stack):
    editor = stack.keys["editor"]
    video_id = write_ready_film(stack, workshop="secret-2012")
    assert call(api, "put", "/workshops/secret-2012/story", editor, STORY).status_code == 200
    assert get(api, "/workshops/secret-2012").status_code == 404
    cursor = hand_made(listing_key("workshop#secret-2012", video_id))
    response = get(api, f"/workshops/secret-2012?cursor={cursor}")
    assert error_of(response) == (404, "not_found"), "the story stays private, and so does the slug"
    assert "Young offenders" not in response.body.decode()
    # Once the workshop has a published film, the same hand-made cursor is refused as a forgery.
    publish(api, stack, write_ready_film(stack, workshop="secret-2012"))
    assert error_of(get(api, f"/workshops/secret-2012?cursor={cursor}")) == (400, "invalid_cursor")


def test_no_cursor_makes_a_story_public_while_its_workshop_has_no_published_film(api, stack):
    editor = stack.keys["editor"]
    first, second = (write_ready_film(stack, workshop="baku-2012") for _ in range(2))
    for video_id in (first, second):
        publish(api, stack, video_id)
    assert call(api, "put", "/workshops/baku-2012/story", editor, STORY).status_code == 200
    page = get(api, "/workshops/baku-2012?limit=1").json_body
    assert page["story"] == STORY and page["next_cursor"]
    for video_id in (first, second):
        assert call(api, "post", f"/videos/{video_id}/unpublish", editor).status_code == 200
    # A cursor this API made, kept from when the workshop had films: now that it has none, nothing shows.
    assert error_of(get(api, f"/workshops/baku-2012?limit=1&cursor={page['next_cursor']}")) == (404, "not_found")


def every_listing(api, stack):
    """Each listing that pages, with a cursor it returned itself: (path, key, cursor)."""
    office, editor = stack.keys["office"], stack.keys["editor"]
    for _ in range(2):
        publish(api, stack, write_ready_film(stack, workshop="baku-2012"))
        post_json(api, "/uploads", upload_body(), office)
    listings = [
        ("/videos?limit=1", None),
        ("/videos?country=AZ&limit=1", None),
        ("/workshops/baku-2012?limit=1", None),
        ("/uploads?limit=1", office),
        ("/editorial/films?status=published&limit=1", editor),
    ]
    for path, key in listings:
        cursor = get(api, path, key).json_body["next_cursor"]
        assert cursor, path
        assert get(api, f"{path}&cursor={cursor}", key).status_code == 200, "its own cursor pages on"
        yield path, key, cursor


def test_a_made_up_or_altered_cursor_is_refused_on_every_listing(api, stack):
    for path, key, cursor in every_listing(api, stack):
        payload, mac = cursor.split(".")
        position = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        later = {**position, "gsi1sk" if "gsi1sk" in position else "gsi2sk": "0000"}
        made_up = [
            hand_made(position),  # the very key this listing returned, unsigned
            f"{hand_made(later)}.{mac}",  # another position under the listing's own signature
            f"{payload}.{mac[:-2]}{'AA' if not mac.endswith('AA') else 'BA'}",  # the signature altered
            f"{payload}.{mac}.{mac}",
            f"{payload}={mac}",
            cursor + "A" * 2000,  # longer than any cursor the API makes
        ]
        for forged in made_up:
            assert error_of(get(api, f"{path}&cursor={forged}", key)) == (400, "invalid_cursor"), (path, forged)


def test_the_signing_key_is_the_stack_s_own_secret_read_once_per_container(api, stack):
    secrets = stack.client("secretsmanager")
    [secret] = secrets.list_secrets()["SecretList"]
    assert secret["ARN"] == stack.env["CURSOR_SIGNING_KEY_ARN"] and secret["Name"].endswith("-CursorSigningKey")
    reads = []
    wiring._client("secretsmanager").meta.events.register(
        "before-call.secretsmanager.GetSecretValue", lambda **_: reads.append(1)
    )
    for path, key, _ in every_listing(api, stack):
        assert get(api, path, key).status_code == 200
    assert len(reads) == 1, "the key is read once, then kept"


@pytest.mark.parametrize("cursor", ["bm90LWEtY3Vyc29y", "a.b", "%C3%A4.%C3%B6", "...."])
def test_garbage_is_refused_too(api, stack, cursor):
    assert error_of(get(api, f"/videos?cursor={cursor}")) == (400, "invalid_cursor")
