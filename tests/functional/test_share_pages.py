"""A published film's share page: what link previewers read without running scripts (its head's Open Graph
and Twitter tags, a canonical link, the poster as an absolute URL), leading to the film's page; written when
the film is published, written again when its text changes, private from the first step of an unpublish and
gone after a takedown."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

from chalicelib import wiring
from chalicelib.services import editorial, media_exposure
from tests.functional.conftest import CONSENT, MEDIA_BASE_URL, SITE_URL, TAKEDOWN, get, post_json, publish
from tests.functional.factories import write_ready_film

HOSTILE_TITLE = '<script>alert("hi")</script> Our "street" & <b>us</b>'


class Head(HTMLParser):
    """The page's meta tags (by property or name), canonical link, links and text, as a previewer reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.links: list[str] = []
        self.scripts = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta[values.get("property") or values["name"]] = values.get("content", "")
        elif tag == "link" and values.get("rel") == "canonical":
            self.canonical = values["href"]
        elif tag == "a":
            self.links.append(values["href"])
        elif tag == "script":
            self.scripts += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def share_page_key(video_id: str) -> str:
    return f"films/{video_id}/share.html"


def read_page(stack: Any, video_id: str) -> tuple[Head, str, dict[str, Any]]:
    stored = stack.client("s3").get_object(Bucket=stack.name("MediaBucket"), Key=share_page_key(video_id))
    html = stored["Body"].read().decode()
    head = Head()
    head.feed(html)
    return head, html, stored


def is_public(key: str) -> bool:
    return wiring.dependencies().media.is_public(key)


def exists(stack: Any, key: str) -> bool:
    listed = stack.client("s3").list_objects_v2(Bucket=stack.name("MediaBucket"), Prefix=key).get("Contents", [])
    return any(item["Key"] == key for item in listed)


def test_a_published_film_has_a_share_page_that_previewers_read_without_scripts(api, stack):
    video_id = write_ready_film(stack, title="Мой двор", title_en="My yard", description="Our yard at dawn.")
    assert publish(api, stack, video_id).status_code == 200

    share_url = f"{MEDIA_BASE_URL}/{share_page_key(video_id)}"
    assert get(api, f"/videos/{video_id}").json_body["share_url"] == share_url
    head, _, stored = read_page(stack, video_id)
    assert stored["ContentType"].startswith("text/html")
    assert head.scripts == 0
    poster = f"{MEDIA_BASE_URL}/films/{video_id}/poster.jpg"
    assert head.meta["og:title"] == "Мой двор (My yard)"
    assert head.meta["og:description"] == "By Leyla, 14. Our yard at dawn."
    assert head.meta["og:image"] == poster
    assert head.meta["og:type"] == "video.other"
    assert head.meta["og:url"] == share_url
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.canonical == share_url
    assert f"{SITE_URL}/film.html?id={video_id}" in head.links, "the page leads to the player"
    assert is_public(share_page_key(video_id)), "the CDN serves it"
    assert is_public(f"films/{video_id}/poster.jpg"), "and its image"


def test_a_hostile_title_is_shown_as_text_never_as_markup(api, stack):
    video_id = write_ready_film(stack, title=HOSTILE_TITLE)
    assert publish(api, stack, video_id).status_code == 200

    head, html, _ = read_page(stack, video_id)
    assert "<script" not in html and "<b>" not in html
    assert head.scripts == 0
    assert head.meta["og:title"] == HOSTILE_TITLE, "escaped, read back as the same text"
    assert HOSTILE_TITLE in "".join(head.text)


def test_an_edited_title_is_written_to_the_share_page(api, stack):
    video_id = write_ready_film(stack, title="First title")
    assert publish(api, stack, video_id).status_code == 200
    editor = stack.keys["editor"]

    edited = api.http.request(
        "PATCH",
        f"/videos/{video_id}",
        body=b'{"title": "A better title"}',
        headers={"x-api-key": editor, "content-type": "application/json"},
    )

    assert edited.status_code == 200, edited.body
    head, _, _ = read_page(stack, video_id)
    assert head.meta["og:title"] == "A better title"
    assert is_public(share_page_key(video_id)), "written again, and public again"


def test_an_unpublished_film_s_share_page_is_no_longer_served(api, stack):
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    assert is_public(share_page_key(video_id))

    assert post_json(api, f"/videos/{video_id}/unpublish", {}, stack.keys["editor"]).status_code == 200

    assert not is_public(share_page_key(video_id))
    assert get(api, f"/videos/{video_id}").status_code == 410


def test_a_taken_down_film_s_share_page_is_gone(api, stack):
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    assert exists(stack, share_page_key(video_id))

    taken_down = api.http.request(
        "DELETE", f"/videos/{video_id}", headers={"x-api-key": stack.keys["editor"]}, body=json.dumps(TAKEDOWN)
    )

    assert taken_down.status_code == 200, taken_down.body
    assert not exists(stack, share_page_key(video_id))


def test_where_the_addresses_are_unknown_nothing_is_exposed_until_the_functions_sweep_writes_the_page(api, stack):
    """The operator's tools (cli/target.py) know neither the media's nor the website's address: a publish's
    exposure they finish leaves the film's media private, never a share page naming "-"."""
    video_id = write_ready_film(stack)
    assert post_json(api, f"/videos/{video_id}/consent", CONSENT, stack.keys["editor"]).status_code == 200
    deps = wiring.dependencies()
    tools = replace(deps, settings=replace(deps.settings, media_base_url="-", site_url="-"))

    editorial.publish(tools, "editor", video_id, {})

    assert not is_public(share_page_key(video_id)) and not is_public(f"films/{video_id}/poster.jpg")
    later = datetime.now(UTC) + timedelta(minutes=16)
    assert media_exposure.finish_due(tools, later) == {"finished": 0, "failed": 1}
    assert media_exposure.finish_due(deps, later) == {"finished": 1, "failed": 0}
    head, _, _ = read_page(stack, video_id)
    assert head.meta["og:url"].startswith(MEDIA_BASE_URL) and is_public(share_page_key(video_id))
