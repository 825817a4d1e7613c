"""Public means exactly what the catalog lists: replaced or removed subtitles are deleted (and out of
the CDN's cache), publishing and `ops sync-media` expose only the objects a film's record names."""

from __future__ import annotations

import dataclasses

import pytest

from chalicelib import wiring
from chalicelib.domain.errors import ConflictError
from chalicelib.services import editorial, media_exposure
from tests.functional.conftest import post_json, publish, upload_body
from tests.functional.test_editorial import call, error_of, media_distribution, ready_film

SRT = b"1\n00:00:01,000 --> 00:00:04,000\nLeyla Mammadova walks home.\n"
CORRECTED = b"1\n00:00:01,000 --> 00:00:04,000\nLeyla walks home.\n"
SUBRIP = {"content-type": "application/x-subrip"}


def media_state(stack, video_id):
    """Every object under the film's prefix and whether the CDN may read it."""
    s3, bucket = stack.client("s3"), stack.name("MediaBucket")
    media = wiring.dependencies().media
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=f"films/{video_id}/").get("Contents", [])
    return {item["Key"]: media.is_public(item["Key"]) for item in listed}


def subtitles_key(api, video_id, language="en"):
    film = api.http.get(f"/videos/{video_id}").json_body
    [url] = [s["url"] for s in film["subtitles"] if s["language"] == language]
    return url.split("/", 3)[3]


def invalidated_paths(stack, distribution_id):
    cloudfront = stack.client("cloudfront")
    listing = cloudfront.list_invalidations(DistributionId=distribution_id)["InvalidationList"]
    return [
        path
        for item in listing.get("Items", [])
        for path in cloudfront.get_invalidation(DistributionId=distribution_id, Id=item["Id"])["Invalidation"][
            "InvalidationBatch"
        ]["Paths"]["Items"]
    ]


def test_replaced_subtitles_are_deleted_and_leave_the_cdn_cache(api, stack, clips, monkeypatch):
    distribution_id = media_distribution(stack, monkeypatch)
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips)
    assert publish(api, stack, video_id).status_code == 200
    assert call(api, "put", f"/videos/{video_id}/subtitles/en", editor, SRT, SUBRIP).status_code == 200
    first = subtitles_key(api, video_id)
    assert media_state(stack, video_id)[first] is True

    assert call(api, "put", f"/videos/{video_id}/subtitles/en", editor, CORRECTED, SUBRIP).status_code == 200
    second = subtitles_key(api, video_id)
    state = media_state(stack, video_id)
    assert first != second and first not in state, "the text with the surname is gone, not just unlisted"
    assert state[second] is True
    assert f"/{first}" in invalidated_paths(stack, distribution_id)

    # Unpublish and publish again: still only what the catalog lists.
    assert post_json(api, f"/videos/{video_id}/unpublish", {}, editor).status_code == 200
    assert post_json(api, f"/videos/{video_id}/publish", {}, editor).status_code == 200
    state = media_state(stack, video_id)
    assert first not in state and all(state.values())


def test_publishing_exposes_only_what_the_catalog_lists(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips)
    # What the old behaviour left behind: a replaced subtitles file nobody lists any more.
    stray = f"films/{video_id}/subtitles/en-0123456789ab.vtt"
    s3, bucket = stack.client("s3"), stack.name("MediaBucket")
    s3.put_object(Bucket=bucket, Key=stray, Body=b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA surname\n")
    assert call(api, "put", f"/videos/{video_id}/subtitles/az", editor, SRT, SUBRIP).status_code == 200

    assert publish(api, stack, video_id).status_code == 200
    state = media_state(stack, video_id)
    assert state.pop(stray) is False, "an object the catalog does not list never becomes public"
    film = api.http.get(f"/videos/{video_id}").json_body
    images = ("poster_url", "sprite_url", "storyboard_url", "share_image_url")
    listed = {film[url].split("/", 3)[3] for url in images}
    listed |= {r["url"].split("/", 3)[3] for r in film["renditions"]}
    listed |= {s["url"].split("/", 3)[3] for s in film["subtitles"]}
    # The HLS playlists: the master, and each rendition's, which the master names.
    listed |= {film["streaming"]["hls"].split("/", 3)[3], f"films/{video_id}/360p.m3u8"}
    listed.add(film["share_url"].split("/", 3)[3])  # its share page (tests/functional/test_share_pages.py)
    assert state == dict.fromkeys(listed, True)

    # The repair after a deploy follows the same rule, also for an object wrongly tagged public.
    deps = wiring.dependencies()
    deps.media.set_public(f"films/{video_id}/", True)
    assert media_exposure.sync_all_media(deps) == {"public": 1, "private": 0}
    assert media_state(stack, video_id) == {**dict.fromkeys(listed, True), stray: False}


def test_an_editor_removes_a_languages_subtitles(api, stack, clips, monkeypatch):
    distribution_id = media_distribution(stack, monkeypatch)
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips)
    for language in ("en", "az"):
        assert call(api, "put", f"/videos/{video_id}/subtitles/{language}", editor, SRT, SUBRIP).status_code == 200
    assert publish(api, stack, video_id).status_code == 200
    english = subtitles_key(api, video_id, "en")

    removed = call(api, "delete", f"/videos/{video_id}/subtitles/en", editor)
    assert removed.status_code == 200 and removed.json_body["subtitle_languages"] == ["az"]
    assert [s["language"] for s in api.http.get(f"/videos/{video_id}").json_body["subtitles"]] == ["az"]
    [listed] = api.http.get("/videos?country=AZ").json_body["items"]
    assert [s["language"] for s in listed["subtitles"]] == ["az"], "the listings follow"
    assert english not in media_state(stack, video_id)
    assert f"/{english}" in invalidated_paths(stack, distribution_id)
    trail = call(api, "get", f"/videos/{video_id}/audit", editor).json_body["items"]
    assert trail[-1]["action"] == "subtitles_removed" and trail[-1]["details"] == {"language": "en"}

    assert error_of(call(api, "delete", f"/videos/{video_id}/subtitles/en", editor)) == (404, "subtitles_not_found")
    assert error_of(call(api, "delete", f"/videos/{video_id}/subtitles/English", editor)) == (400, "invalid_language")
    assert error_of(call(api, "delete", f"/videos/{video_id}/subtitles/az", stack.keys["office"])) == (403, "forbidden")
    unknown = "00000000-0000-4000-8000-000000000000"
    assert error_of(call(api, "delete", f"/videos/{unknown}/subtitles/az", editor)) == (404, "not_found")
    waiting = post_json(api, "/uploads", upload_body(title="Not yet"), stack.keys["office"]).json_body["video_id"]
    assert error_of(call(api, "delete", f"/videos/{waiting}/subtitles/az", editor)) == (409, "conflict")
    assert [s["language"] for s in api.http.get(f"/videos/{video_id}").json_body["subtitles"]] == ["az"]


class MediaWithRival:
    """The real media store; while one editor's subtitles file is being stored, another editor's
    subtitles in another language land."""

    def __init__(self, media, rival):
        self._media, self._rival = media, rival

    def __getattr__(self, name):
        return getattr(self._media, name)

    def upload(self, path, key, content_type):
        self._media.upload(path, key, content_type)
        rival, self._rival = self._rival, None
        if rival:
            rival()


def test_subtitles_computed_from_a_stale_reading_never_drop_another_editors(api, stack, clips):
    video_id = ready_film(api, stack, clips)
    deps = wiring.dependencies()
    rival = MediaWithRival(deps.media, lambda: editorial.add_subtitles(deps, "editor B", video_id, "az", SRT))
    with pytest.raises(ConflictError):
        editorial.add_subtitles(dataclasses.replace(deps, media=rival), "editor A", video_id, "en", CORRECTED)
    film = call(api, "get", f"/videos/{video_id}/editorial", stack.keys["editor"]).json_body
    assert film["subtitle_languages"] == ["az"], "B's subtitles stay; A is told to load the film again"
    assert [key.rsplit("/", 1)[1][:3] for key in media_state(stack, video_id) if "/subtitles/" in key] == ["az-"]
