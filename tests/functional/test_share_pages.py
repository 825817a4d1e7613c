"""Share pages: what link previewers read without running scripts (its head's Open Graph and Twitter tags, a
canonical link, the share image as an absolute URL with its size). A published film's leads to the film's page:
written when the film is published, written again when its text changes, deleted in the first step of an
unpublish or a takedown. A workshop's leads to the workshop's page: written with its first published film,
written again when its story changes, deleted when its last published film goes."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib import wiring
from chalicelib.services import editorial, media_exposure, share_pages
from tests.functional.conftest import CONSENT, MEDIA_BASE_URL, SITE_URL, TAKEDOWN, get, post_json, publish
from tests.functional.factories import write_ready_film
from tests.functional.test_editorial import call, media_distribution
from tests.functional.test_media_exposure import invalidated_paths
from tests.functional.test_media_validation import ingest
from tests.functional.test_workshop_stories import STORY
from tests.share_head import Head

WORKSHOP_PAGE = "films/workshops/baku-2012/share.html"

HOSTILE_TITLE = '<script>alert("hi")</script> Our "street" & <b>us</b>'


def share_page_key(video_id: str) -> str:
    return f"films/{video_id}/share.html"


def read_page(stack: Any, video_id: str) -> tuple[Head, str, dict[str, Any]]:
    return read_key(stack, share_page_key(video_id))


def read_key(stack: Any, key: str) -> tuple[Head, str, dict[str, Any]]:
    stored = stack.client("s3").get_object(Bucket=stack.name("MediaBucket"), Key=key)
    html = stored["Body"].read().decode()
    return Head(html), html, stored


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
    image = f"{MEDIA_BASE_URL}/films/{video_id}/share.jpg"
    assert head.meta["og:title"] == "Мой двор (My yard)"
    assert head.meta["og:description"] == "By Leyla, 14. Our yard at dawn."
    assert head.meta["og:image"] == image
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "630")
    assert head.meta["og:type"] == "video.other"
    assert head.meta["og:url"] == share_url
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.canonical == share_url
    assert f"{SITE_URL}/film.html?id={video_id}" in head.links, "the page leads to the player"
    assert is_public(share_page_key(video_id)), "the CDN serves it"
    assert is_public(f"films/{video_id}/share.jpg"), "and its image"


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


def test_an_edited_title_leaves_the_cdn_s_cache_at_once(api, stack, monkeypatch):
    """Previewers must not be served the old title (a child's full name, say) for s-maxage after an edit."""
    distribution_id = media_distribution(stack, monkeypatch)
    video_id = write_ready_film(stack, title="Leyla Mammadova's yard")
    assert publish(api, stack, video_id).status_code == 200

    edited = call(api, "patch", f"/videos/{video_id}", stack.keys["editor"], {"title": "Our yard"})

    assert edited.status_code == 200, edited.body
    assert f"/{share_page_key(video_id)}" in invalidated_paths(stack, distribution_id)


def test_an_unpublished_film_s_share_page_is_deleted(api, stack):
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    assert is_public(share_page_key(video_id))

    assert post_json(api, f"/videos/{video_id}/unpublish", {}, stack.keys["editor"]).status_code == 200

    assert not exists(stack, share_page_key(video_id)), "deleted, not only private"
    assert not exists(stack, WORKSHOP_PAGE), "its workshop has no published film left"
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
    assert not exists(stack, WORKSHOP_PAGE), "its workshop has no published film left"


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


def test_a_workshop_s_first_published_film_gives_it_a_share_page_that_its_story_rewrites(api, stack):
    editor = stack.keys["editor"]
    assert call(api, "put", "/workshops/baku-2012/story", editor, STORY).status_code == 200
    assert not exists(stack, WORKSHOP_PAGE), "no published film: the workshop stays private"
    video_id = write_ready_film(stack)

    assert publish(api, stack, video_id).status_code == 200

    share_url = f"{MEDIA_BASE_URL}/{WORKSHOP_PAGE}"
    assert get(api, "/workshops/baku-2012").json_body["share_url"] == share_url
    head, _, stored = read_key(stack, WORKSHOP_PAGE)
    assert stored["ContentType"].startswith("text/html") and head.scripts == 0
    assert head.meta["og:title"] == STORY["title"]
    assert head.meta["og:description"].startswith("Baku, AZ · 2012-03-05 to 2012-03-09. Fifteen children")
    assert head.meta["og:image"] == f"{MEDIA_BASE_URL}/films/{video_id}/share.jpg"
    assert head.meta["og:url"] == head.canonical == share_url
    assert head.meta["twitter:card"] == "summary_large_image"
    assert f"{SITE_URL}/workshop.html?id=baku-2012" in head.links
    assert is_public(WORKSHOP_PAGE)

    assert (
        call(api, "put", "/workshops/baku-2012/story", editor, {**STORY, "title": "Baku, March 2012"}).status_code
        == 200
    )
    assert read_key(stack, WORKSHOP_PAGE)[0].meta["og:title"] == "Baku, March 2012"
    assert call(api, "delete", "/workshops/baku-2012/story", editor).status_code == 200
    assert read_key(stack, WORKSHOP_PAGE)[0].meta["og:title"] == "Films from the Baku 2012 workshop"


def test_a_workshop_s_share_page_goes_with_its_last_published_film(api, stack):
    first, second = write_ready_film(stack), write_ready_film(stack)
    assert publish(api, stack, first).status_code == 200
    assert publish(api, stack, second).status_code == 200
    assert read_key(stack, WORKSHOP_PAGE)[0].meta["og:image"].endswith(f"/films/{second}/share.jpg"), "the newest"

    assert post_json(api, f"/videos/{second}/unpublish", {}, stack.keys["editor"]).status_code == 200

    head, _, _ = read_key(stack, WORKSHOP_PAGE)
    assert head.meta["og:image"].endswith(f"/films/{first}/share.jpg"), "never an image no longer public"
    assert is_public(WORKSHOP_PAGE)

    assert post_json(api, f"/videos/{first}/unpublish", {}, stack.keys["editor"]).status_code == 200

    assert not exists(stack, WORKSHOP_PAGE)


def test_a_published_film_moved_to_another_workshop_moves_its_workshop_s_share_page(api, stack):
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200

    moved = call(api, "patch", f"/videos/{video_id}", stack.keys["editor"], {"workshop": "dushanbe-2013"})

    assert moved.status_code == 200, moved.body
    assert not exists(stack, WORKSHOP_PAGE)
    head, _, _ = read_key(stack, "films/workshops/dushanbe-2013/share.html")
    assert head.meta["og:title"] == "Films from the Dushanbe 2013 workshop"
    assert get(api, "/workshops/baku-2012").status_code == 404


def test_the_sweep_writes_the_pages_of_workshops_published_before_them_and_deletes_what_is_left(api, stack):
    """Workshops with films published before their pages existed get one from the functions' sweep; a page left
    by a failed deletion goes. The operator's tools, which know neither address, leave both alone."""
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    s3, bucket = stack.client("s3"), stack.name("MediaBucket")
    s3.delete_object(Bucket=bucket, Key=WORKSHOP_PAGE)  # as before this change
    left = "films/workshops/gone-2011/share.html"
    s3.put_object(Bucket=bucket, Key=left, Body=b"<!doctype html>", ContentType="text/html")
    deps = wiring.dependencies()
    tools = replace(deps, settings=replace(deps.settings, media_base_url="-", site_url="-"))

    assert share_pages.finish_workshop_pages(tools) == {"written": 0, "deleted": 0}
    assert share_pages.finish_workshop_pages(deps) == {"written": 1, "deleted": 1}

    head, _, _ = read_key(stack, WORKSHOP_PAGE)
    assert head.meta["og:image"] == f"{MEDIA_BASE_URL}/films/{video_id}/share.jpg" and is_public(WORKSHOP_PAGE)
    assert not exists(stack, left)
    assert share_pages.finish_workshop_pages(deps) == {"written": 0, "deleted": 0}, "nothing more to do"


def test_a_film_protected_after_its_publish_shows_its_new_share_image_at_a_new_address(api, stack, clips):
    """Chat apps cache a preview's image by its URL: the image of a film rendered again with faces blurred must
    have a new one, and the old image (faces showing) must be gone from the bucket, never public again."""
    editor = stack.keys["editor"]
    video_id, _ = ingest(api, stack, clips["valid"])
    assert publish(api, stack, video_id).status_code == 200
    before = read_page(stack, video_id)[0].meta["og:image"]
    old_key = before.removeprefix(f"{MEDIA_BASE_URL}/")
    assert is_public(old_key)

    assert post_json(api, f"/videos/{video_id}/unpublish", {}, editor).status_code == 200  # a face seen since
    turned_on = call(api, "put", f"/videos/{video_id}/protection", editor, {"faces": True, "voice": False})
    assert turned_on.status_code == 200, turned_on.json_body
    stack.run_pipeline()
    assert publish(api, stack, video_id).status_code == 200

    after = read_page(stack, video_id)[0].meta["og:image"]
    assert after != before, "the protected film's preview image hides behind the old one's cached URL"
    assert get(api, f"/videos/{video_id}").json_body["share_image_url"] == after
    assert is_public(after.removeprefix(f"{MEDIA_BASE_URL}/"))
    assert not exists(stack, old_key), "the unprotected share image stays in the bucket"
