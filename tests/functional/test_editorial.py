"""The editorial workflow through the HTTP API: review, consent, safeguarding, edits, highlights,
subtitles, takedown, audit; and what the public sees at each step."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
import requests

from chalicelib import wiring
from chalicelib.domain import lifecycle
from chalicelib.domain.errors import ConflictError, StaleTransitionError
from chalicelib.services import editorial, media_exposure
from tests.functional.conftest import CONSENT, TAKEDOWN, get, is_gone, post_json, publish, upload_body
from tests.functional.factories import ReadBefore, write_ready_film

SRT = b"1\n00:00:01,000 --> 00:00:04,000\nMy street is narrow.\n\n2\n00:00:50,000 --> 00:00:59,000\nThe end.\n"


def ready_film(api, stack, clips, **changes):
    """What the pipeline leaves for an editor (tests/functional/test_pipeline.py makes one for real)."""
    return write_ready_film(stack, **changes)


def call(api, method, path, key, body=None, headers=None):
    all_headers = {"x-api-key": key, "content-type": "application/json", **(headers or {})}
    data = body if isinstance(body, (bytes, str)) or body is None else json.dumps(body)
    return getattr(api.http, method)(path, headers=all_headers, body=data or b"")


def error_of(response):
    return response.status_code, response.json_body.get("error")


def test_ready_films_wait_in_the_review_queue(api, stack, clips):
    video_id = ready_film(api, stack, clips)
    queue = get(api, "/review", stack.keys["editor"]).json_body["items"]
    assert [film["video_id"] for film in queue] == [video_id]
    assert get(api, "/review", stack.keys["office"]).status_code == 403


def test_an_editor_watches_a_film_before_it_is_public(api, stack, clips):
    video_id = ready_film(api, stack, clips)
    [film] = get(api, "/review", stack.keys["editor"]).json_body["items"]
    preview = film["preview"]
    video = requests.get(preview["video_url"], headers={"Range": "bytes=0-1023"}, timeout=10)
    assert video.status_code == 206 and video.headers["Content-Type"] == "video/mp4"
    assert requests.get(preview["poster_url"], timeout=10).headers["Content-Type"] == "image/jpeg"
    assert "X-Amz-Expires=3600" in preview["video_url"]  # a link that stops working, not a public one
    assert get(api, f"/videos/{video_id}/editorial", stack.keys["editor"]).json_body["preview"]["video_url"]
    assert get(api, f"/videos/{video_id}").status_code == 404  # still nothing public
    waiting = post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]
    assert "preview" not in get(api, f"/videos/{waiting}/editorial", stack.keys["editor"]).json_body


def test_publishing_needs_consent_and_sensitive_films_a_safeguarding_confirmation(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips)
    response = call(api, "post", f"/videos/{video_id}/publish", editor, {})
    assert error_of(response) == (409, "consent_missing")
    assert get(api, f"/videos/{video_id}").status_code == 404, "nothing changed"

    bad = call(api, "post", f"/videos/{video_id}/consent", editor, {"guardian_consent": True})
    assert error_of(bad) == (400, "invalid_consent")
    assert call(api, "post", f"/videos/{video_id}/consent", editor, CONSENT).status_code == 200
    assert call(api, "patch", f"/videos/{video_id}", editor, {"sensitive": True}).status_code == 200
    assert error_of(call(api, "post", f"/videos/{video_id}/publish", editor, {})) == (409, "safeguarding_required")
    published = call(api, "post", f"/videos/{video_id}/publish", editor, {"safeguarding_confirmed": True})
    assert published.json_body["status"] == "PUBLISHED"
    assert get(api, f"/videos/{video_id}").status_code == 200


def test_edits_reach_every_listing_and_the_counts_follow(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips, topics=["violence"])
    publish(api, stack, video_id)
    assert get(api, "/topics").json_body["items"] == [
        {"topic": t, "films": int(t == "violence")} for t in sorted(stack.env["TOPICS"].split(","))
    ]
    edit = {
        "title": "Moja ulica",
        "title_en": "My street",
        "topics": ["hiv-aids"],
        "workshop": "baku-2013",
        "description": "A walk home.",
    }
    assert call(api, "patch", f"/videos/{video_id}", editor, edit).status_code == 200
    film = get(api, f"/videos/{video_id}").json_body
    assert (film["title"], film["title_en"], film["topics"]) == ("Moja ulica", "My street", ["hiv-aids"])
    assert get(api, "/videos?topic=violence").json_body["items"] == []
    [listed] = get(api, "/videos?topic=hiv-aids").json_body["items"]
    assert listed["title_en"] == "My street"
    counts = {item["topic"]: item["films"] for item in get(api, "/topics").json_body["items"]}
    assert (counts["violence"], counts["hiv-aids"]) == (0, 1)
    assert get(api, "/workshops").json_body["items"] == [{"workshop": "baku-2013", "films": 1}]
    workshop = get(api, "/workshops/baku-2013").json_body
    assert [item["video_id"] for item in workshop["items"]] == [video_id] and workshop["films"] == 1
    assert get(api, "/countries").json_body["items"] == [{"country": "AZ", "name": "Azerbaijan", "films": 1}]

    assert error_of(call(api, "patch", f"/videos/{video_id}", editor, {"topics": ["cooking"]})) == (
        400,
        "invalid_topic",
    )
    assert error_of(call(api, "patch", f"/videos/{video_id}", editor, {"office_id": "x"})) == (400, "invalid_field")


def test_highlights_and_unpublishing(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips)
    publish(api, stack, video_id)
    assert get(api, "/videos?highlight=true").json_body["items"] == []
    assert call(api, "post", f"/videos/{video_id}/highlight", editor, {"highlighted": True}).status_code == 200
    assert [f["video_id"] for f in get(api, "/videos?highlight=true").json_body["items"]] == [video_id]
    assert call(api, "post", f"/videos/{video_id}/unpublish", editor).status_code == 200
    assert get(api, "/videos?highlight=true").json_body["items"] == []
    assert get(api, "/countries").json_body["items"] == []
    assert error_of(call(api, "post", f"/videos/{video_id}/unpublish", editor)) == (409, "conflict")


def test_subtitles_are_checked_normalised_and_served(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips)
    headers = {"content-type": "application/x-subrip"}
    added = call(api, "put", f"/videos/{video_id}/subtitles/en", editor, SRT, headers)
    assert added.status_code == 200, added.json_body
    late = b"1\n00:01:30,000 --> 00:01:35,000\nToo late\n"
    response = call(api, "put", f"/videos/{video_id}/subtitles/az", editor, late, headers)
    assert error_of(response) == (400, "invalid_subtitles") and "after the film's end" in response.json_body["message"]
    assert error_of(call(api, "put", f"/videos/{video_id}/subtitles/English", editor, SRT, headers)) == (
        400,
        "invalid_language",
    )
    publish(api, stack, video_id)
    [subtitles] = get(api, f"/videos/{video_id}").json_body["subtitles"]
    key = subtitles["url"].split("/", 3)[3]
    assert subtitles["language"] == "en" and re.fullmatch(rf"films/{video_id}/subtitles/en-[0-9a-f]{{12}}\.vtt", key)
    vtt = stack.client("s3").get_object(Bucket=stack.name("MediaBucket"), Key=key)
    assert vtt["Body"].read().decode().startswith("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nMy street is narrow.")


def test_takedown_removes_everything_and_is_idempotent(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips, workshop="baku-2012")
    publish(api, stack, video_id)
    assert call(api, "delete", f"/videos/{video_id}", editor, TAKEDOWN).json_body == {
        "video_id": video_id,
        "status": "DELETED",
    }
    assert call(api, "delete", f"/videos/{video_id}", editor, TAKEDOWN).status_code == 200, (
        "a second takedown is harmless"
    )
    assert is_gone(api, video_id)
    assert get(api, "/workshops/baku-2012").status_code == 404
    assert get(api, f"/uploads/{video_id}", stack.keys["office"]).status_code == 404
    assert get(api, "/videos").json_body["items"] == [] and get(api, "/countries").json_body["items"] == []
    s3 = stack.client("s3")
    for bucket in ("UploadsBucket", "MediaBucket"):
        assert s3.list_objects_v2(Bucket=stack.name(bucket)).get("KeyCount") == 0
    tombstone = stack.catalog_item(video_id)
    assert tombstone["status"] == "DELETED"
    assert not {"title", "author", "country", "upload_key", "office_id", "consent"} & set(tombstone)
    assert error_of(call(api, "patch", f"/videos/{video_id}", editor, {"title": "x"})) == (404, "not_found")
    actions = [entry["action"] for entry in get(api, f"/videos/{video_id}/audit", editor).json_body["items"]]
    assert actions == ["consent_recorded", "published", "taken_down"]


def test_every_editorial_action_is_audited_and_the_trail_is_not_public(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips)
    publish(api, stack, video_id)
    call(api, "post", f"/videos/{video_id}/highlight", editor, {"highlighted": True})
    trail = get(api, f"/videos/{video_id}/audit", editor).json_body["items"]
    assert [(e["action"], e["actor"]) for e in trail] == [
        ("consent_recorded", "editor Anna"),
        ("published", "editor Anna"),
        ("highlighted", "editor Anna"),
    ]
    assert get(api, f"/videos/{video_id}/audit").status_code == 401
    assert get(api, f"/videos/{video_id}/audit", stack.keys["office"]).status_code == 403


def test_a_publish_sent_with_the_version_the_editor_saw_is_refused_once_the_film_changed(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips)
    assert call(api, "post", f"/videos/{video_id}/consent", editor, CONSENT).status_code == 200
    seen = get(api, f"/videos/{video_id}/editorial", editor).json_body["version"]
    assert call(api, "patch", f"/videos/{video_id}", editor, {"title": "Another title"}).status_code == 200

    refused = call(api, "post", f"/videos/{video_id}/publish", editor, {"version": seen})
    assert error_of(refused) == (409, "film_changed")
    assert get(api, f"/videos/{video_id}").status_code == 404, "nothing was published"
    assert error_of(call(api, "post", f"/videos/{video_id}/publish", editor, {"version": "1"})) == (
        400,
        "invalid_version",
    )

    now = get(api, f"/videos/{video_id}/editorial", editor).json_body["version"]
    published = call(api, "post", f"/videos/{video_id}/publish", editor, {"version": now})
    assert published.json_body["status"] == "PUBLISHED"
    assert get(api, f"/videos/{video_id}").json_body["title"] == "Another title"


@pytest.mark.parametrize("path", ["/review", "/videos/00000000-0000-4000-8000-000000000000/editorial"])
def test_editor_routes_need_an_editor_key(api, stack, path):
    assert error_of(get(api, path)) == (401, "unauthenticated")
    assert error_of(get(api, path, "not-a-key")) == (403, "forbidden")


def test_two_editors_acting_on_what_they_read_cannot_both_win(api, stack, clips):
    video_id = ready_film(api, stack, clips)
    catalog = wiring.dependencies().catalog
    read = catalog.get_film(video_id)
    catalog.apply(lifecycle.edit(read, "editor Anna", {"title": "First"}, "2026-11-25T00:00:00.000Z"))
    with pytest.raises(StaleTransitionError):
        catalog.apply(lifecycle.edit(read, "editor Bea", {"title": "Second"}, "2026-11-25T00:00:01.000Z"))
    assert stack.catalog_item(video_id)["title"] == "First"


def test_a_published_film_is_unpublished_before_it_is_flagged_sensitive(api, stack, clips):
    video_id = ready_film(api, stack, clips)
    publish(api, stack, video_id)
    response = call(api, "patch", f"/videos/{video_id}", stack.keys["editor"], {"sensitive": True})
    assert error_of(response) == (409, "unpublish_first")
    assert get(api, f"/videos/{video_id}").status_code == 200


def test_a_file_arriving_after_a_takedown_is_deleted(api, stack, clips):
    video_id = post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]
    assert call(api, "delete", f"/videos/{video_id}", stack.keys["editor"], TAKEDOWN).status_code == 200
    stack.put_upload(video_id, clips["valid"])
    stack.run_pipeline()
    assert stack.client("s3").list_objects_v2(Bucket=stack.name("UploadsBucket")).get("KeyCount") == 0
    assert set(stack.catalog_item(video_id)) <= {
        "pk",
        "sk",
        "video_id",
        "status",
        "status_changed_at",
        "created_at",
        "history",
        "gsi3pk",
        "gsi3sk",
        "version",
    }


def media_distribution(stack, monkeypatch):
    """A CloudFront distribution in front of the media, as deployed (moto keeps its invalidations)."""
    config = {
        "CallerReference": "media",
        "Comment": "media",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {"Id": "media", "DomainName": "media.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}
            ],
        },
        "DefaultCacheBehavior": {"TargetOriginId": "media", "ViewerProtocolPolicy": "redirect-to-https"},
    }
    distribution_id = stack.client("cloudfront").create_distribution(DistributionConfig=config)["Distribution"]["Id"]
    monkeypatch.setenv("MEDIA_DISTRIBUTION_ID", distribution_id)
    stack.settings_changed()
    return distribution_id


def test_media_are_readable_through_the_cdn_only_while_the_film_is_published(api, stack, clips, monkeypatch):
    distribution_id = media_distribution(stack, monkeypatch)
    video_id = ready_film(api, stack, clips)
    media = wiring.dependencies().media
    s3, bucket = stack.client("s3"), stack.name("MediaBucket")

    def public_keys():
        listed = s3.list_objects_v2(Bucket=bucket, Prefix=f"films/{video_id}/").get("Contents", [])
        return {item["Key"].rsplit("/", 1)[1]: media.is_public(item["Key"]) for item in listed}

    def invalidated():
        listing = stack.client("cloudfront").list_invalidations(DistributionId=distribution_id)["InvalidationList"]
        return [
            stack.client("cloudfront").get_invalidation(DistributionId=distribution_id, Id=item["Id"])["Invalidation"][
                "InvalidationBatch"
            ]["Paths"]["Items"]
            for item in listing.get("Items", [])
        ]

    assert public_keys() and not any(public_keys().values())  # READY: reviewed, not public
    assert {"360p.mp4", "360p.m3u8", "hls.m3u8"} <= set(public_keys()), "renditions and their HLS playlists"
    assert publish(api, stack, video_id).status_code == 200
    assert all(public_keys().values())
    assert (
        call(
            api,
            "put",
            f"/videos/{video_id}/subtitles/en",
            stack.keys["editor"],
            SRT,
            {"content-type": "application/x-subrip"},
        ).status_code
        == 200
    )
    assert all(public_keys().values()), "subtitles added to a published film are public too"
    assert invalidated() == []

    assert post_json(api, f"/videos/{video_id}/unpublish", {}, stack.keys["editor"]).status_code == 200
    assert not any(public_keys().values())
    # And out of the CDN's cache at once: its share page first, with its workshop's (this was its only published
    # film: before the commit, and again once the catalog says so), then all its media.
    workshop_page = "/films/workshops/baku-2012/share.html"
    withdrawn = sorted([f"/films/{video_id}/share.html", workshop_page, f"/films/{video_id}/*", workshop_page])
    assert sorted(path for paths in invalidated() for path in paths) == withdrawn

    assert publish(api, stack, video_id).status_code == 200
    assert call(api, "delete", f"/videos/{video_id}", stack.keys["editor"], TAKEDOWN).status_code == 200
    assert public_keys() == {}
    assert sorted(path for paths in invalidated() for path in paths) == sorted(withdrawn * 2), "a takedown: the same"


def test_a_publish_or_unpublish_that_loses_a_race_leaves_the_media_as_the_catalog_says(api, stack, clips, monkeypatch):
    video_id = ready_film(api, stack, clips)
    assert publish(api, stack, video_id).status_code == 200
    deps = wiring.dependencies()
    s3, bucket = stack.client("s3"), stack.name("MediaBucket")

    def public():
        listed = s3.list_objects_v2(Bucket=bucket, Prefix=f"films/{video_id}/")["Contents"]
        return {deps.media.is_public(item["Key"]) for item in listed}

    read_by_editor_b = deps.catalog.get_film(video_id)  # PUBLISHED, as both editors saw it
    assert post_json(api, f"/videos/{video_id}/unpublish", {}, stack.keys["editor"]).status_code == 200
    editor_b = replace(deps, catalog=ReadBefore(deps.catalog, read_by_editor_b))
    with pytest.raises(ConflictError):
        editorial.unpublish(editor_b, "editor B", video_id)  # B's unpublish loses: A's already happened
    assert public() == {False}

    read_by_editor_b = deps.catalog.get_film(video_id)  # UNPUBLISHED
    assert publish(api, stack, video_id).status_code == 200
    editor_b = replace(deps, catalog=ReadBefore(deps.catalog, read_by_editor_b))
    with pytest.raises(ConflictError):
        editorial.publish(editor_b, "editor B", video_id, {})
    assert public() == {True}  # B's lost publish does not hide a film A published


def test_media_can_be_brought_in_line_with_the_catalog_after_a_deploy(api, stack, clips):
    published, ready = ready_film(api, stack, clips), ready_film(api, stack, clips)
    assert publish(api, stack, published).status_code == 200
    deps = wiring.dependencies()
    deps.media.set_public(f"films/{published}/", False)  # published before the tag rule existed
    deps.media.set_public(f"films/{ready}/", True)  # wrongly public

    assert media_exposure.sync_all_media(deps) == {"public": 1, "private": 1}
    s3, bucket = stack.client("s3"), stack.name("MediaBucket")
    for video_id, public in ((published, True), (ready, False)):
        keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket, Prefix=f"films/{video_id}/")["Contents"]]
        assert {deps.media.is_public(key) for key in keys} == {public}
