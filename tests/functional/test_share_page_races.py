"""Races around a workshop's share page: it is public exactly while the workshop has a published film, whatever
the order in which a publish's exposure and an unpublish or a takedown of the same film run."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib import wiring
from chalicelib.services import share_pages
from tests.functional.conftest import TAKEDOWN, get, post_json, publish
from tests.functional.factories import write_ready_film
from tests.functional.test_editorial import call, media_distribution
from tests.functional.test_media_exposure import invalidated_paths
from tests.functional.test_share_pages import WORKSHOP_PAGE, exists, is_public
from tests.functional.test_workshop_stories import STORY


def _withdraw_while_exposure_reads(monkeypatch: Any, act: Any) -> None:
    """The publish's exposure reads the workshop's published films; before it writes the page from what it
    read, `act` (another editor's unpublish or takedown of that film) runs to its end."""
    catalog = wiring.dependencies().catalog
    read = catalog.latest_published
    armed = [True]

    def latest_published(partition: str, limit: int) -> Any:
        found = read(partition, limit)
        if armed[0] and partition == "workshop#baku-2012" and found:
            armed[0] = False
            act()
        return found

    monkeypatch.setattr(catalog, "latest_published", latest_published)


@pytest.mark.parametrize("withdrawal", ["unpublish", "takedown"])
def test_a_workshop_page_is_not_left_public_when_its_only_film_is_withdrawn_during_its_publish(
    api, stack, monkeypatch, withdrawal
):
    video_id = write_ready_film(stack)
    editor = stack.keys["editor"]

    def withdraw() -> None:
        if withdrawal == "unpublish":
            answer = post_json(api, f"/videos/{video_id}/unpublish", {}, editor)
        else:
            answer = api.http.request(
                "DELETE", f"/videos/{video_id}", headers={"x-api-key": editor}, body=json.dumps(TAKEDOWN)
            )
        assert answer.status_code == 200, answer.body

    _withdraw_while_exposure_reads(monkeypatch, withdraw)
    publish(api, stack, video_id)  # answered after the withdrawal: as the film reads then

    assert get(api, "/workshops/baku-2012").status_code == 404, "the workshop has no published film"
    assert not (exists(stack, WORKSHOP_PAGE) and is_public(WORKSHOP_PAGE)), (
        "its share page (story and a withdrawn film's image) is left public until the sweep"
    )


def test_a_story_corrected_after_its_workshop_page_is_public_leaves_the_cdn_s_cache(api, stack, monkeypatch):
    """An editor who corrects a published workshop's story (a venue named, the warning read too late) expects
    previewers to stop being served the old text at once, as an unpublish empties the cache."""
    distribution_id = media_distribution(stack, monkeypatch)
    editor = stack.keys["editor"]
    named = {**STORY, "paragraphs": ["Fifteen children from the juvenile colony filmed their week.", "More."]}
    assert call(api, "put", "/workshops/baku-2012/story", editor, named).status_code == 200
    assert publish(api, stack, write_ready_film(stack)).status_code == 200

    assert call(api, "put", "/workshops/baku-2012/story", editor, STORY).status_code == 200

    assert f"/{WORKSHOP_PAGE}" in invalidated_paths(stack, distribution_id), (
        "the old story stays in the CDN's cache (s-maxage=300) after the correction"
    )


def test_a_film_taken_down_while_its_publish_writes_its_share_page_leaves_no_page_behind(api, stack, monkeypatch):
    """The exposure read the film PUBLISHED; a takedown then runs to its end (every object gone, the tombstone
    finished); the exposure's write of the share page lands after it. Nothing of the child may stay."""
    video_id = write_ready_film(stack)
    editor = stack.keys["editor"]
    media = wiring.dependencies().media
    write = media.write_text
    armed = [True]

    def write_text(key: str, text: str, content_type: str) -> None:
        if armed[0] and key == f"films/{video_id}/share.html":
            armed[0] = False
            answer = api.http.request(
                "DELETE", f"/videos/{video_id}", headers={"x-api-key": editor}, body=json.dumps(TAKEDOWN)
            )
            assert answer.status_code == 200, answer.body
        write(key, text, content_type)

    monkeypatch.setattr(media, "write_text", write_text)
    publish(api, stack, video_id)

    left = stack.client("s3").list_objects_v2(Bucket=stack.name("MediaBucket"), Prefix=f"films/{video_id}/")
    assert [item["Key"] for item in left.get("Contents", [])] == [], (
        "the share page (title, first name, age) outlives the takedown, and the tombstone says it is finished"
    )


def test_a_story_correction_whose_page_write_failed_is_finished_by_the_sweep(api, stack, monkeypatch):
    """The story is corrected (200) but the page's rewrite fails once (counted SharePagesUnfinished); the sweep,
    which 'finishes what a failed step left', must bring the public page in line with the corrected story."""
    editor = stack.keys["editor"]
    named = {**STORY, "title": "Films from the juvenile colony"}
    assert call(api, "put", "/workshops/baku-2012/story", editor, named).status_code == 200
    assert publish(api, stack, write_ready_film(stack)).status_code == 200
    deps = wiring.dependencies()
    write = deps.media.write_text
    failing = [True]

    def write_text(key: str, text: str, content_type: str) -> None:
        if failing[0] and key == WORKSHOP_PAGE:
            failing[0] = False
            raise OSError("S3 unavailable for a moment")
        write(key, text, content_type)

    monkeypatch.setattr(deps.media, "write_text", write_text)
    assert call(api, "put", "/workshops/baku-2012/story", editor, STORY).status_code == 200

    share_pages.finish_workshop_pages(deps)

    stored = stack.client("s3").get_object(Bucket=stack.name("MediaBucket"), Key=WORKSHOP_PAGE)["Body"].read()
    assert is_public(WORKSHOP_PAGE)
    assert b"juvenile colony" not in stored, "the old story stays public: the sweep only writes or deletes pages"


def test_a_workshop_page_whose_rewrite_failed_is_private_until_the_sweep_writes_it(api, stack, monkeypatch):
    """A story corrected (a venue named by mistake) whose page rewrite fails: the old text must not stay public
    while it waits for the sweep, as a film's page does not."""
    editor = stack.keys["editor"]
    named = {**STORY, "title": "Films from the juvenile colony"}
    assert call(api, "put", "/workshops/baku-2012/story", editor, named).status_code == 200
    assert publish(api, stack, write_ready_film(stack)).status_code == 200
    media = wiring.dependencies().media

    def write_text(key: str, text: str, content_type: str) -> None:
        raise OSError("S3 unavailable for a moment")

    monkeypatch.setattr(media, "write_text", write_text)
    assert call(api, "put", "/workshops/baku-2012/story", editor, STORY).status_code == 200

    assert exists(stack, WORKSHOP_PAGE) and not is_public(WORKSHOP_PAGE), "the old story stays public"
