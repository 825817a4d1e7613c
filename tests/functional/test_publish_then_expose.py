"""Publishing commits first, then makes the media public: a protection turned on at the same moment wins
and its unprotected version is never tagged public, even for an instant; a tagging that fails after the
commit leaves the film PUBLISHED, says so, counts `MediaExposureUnfinished`, and the sweep finishes it."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import wiring
from chalicelib.domain.change import Change
from chalicelib.domain.errors import ConflictError
from chalicelib.domain.film import Status
from chalicelib.services import editorial, media_exposure
from tests.functional.conftest import CONSENT, get, is_gone, post_json, publish
from tests.functional.factories import write_ready_film
from tests.functional.faults import denying_session, emitted


def tags(stack, video_id):
    """Every object under the film's media prefix, and whether the CDN may read it."""
    s3, bucket = stack.client("s3"), stack.name("MediaBucket")
    media = wiring.dependencies().media
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=f"films/{video_id}/").get("Contents", [])
    return {item["Key"]: media.is_public(item["Key"]) for item in listed}


class ProtectedWhilePublishing:
    """The real catalog, except that editor A's change of protection goes through just before editor B's
    publish commits; the media's tags are read at that very moment."""

    def __init__(self, catalog: Any, protect: Any, look: Any) -> None:
        self._catalog = catalog
        self._protect = protect
        self._look = look
        self.seen: dict[str, bool] | None = None

    def apply(self, change: Change) -> None:
        if change.target is Status.PUBLISHED and self._protect is not None:
            protect, self._protect = self._protect, None
            protect()
            self.seen = self._look()
        self._catalog.apply(change)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._catalog, name)


def test_protection_turned_on_while_another_editor_publishes_never_leaves_the_unprotected_film_public(api, stack):
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    editor = stack.keys["editor"]
    assert post_json(api, f"/videos/{video_id}/unpublish", {}, editor).status_code == 200
    assert not any(tags(stack, video_id).values())
    deps = wiring.dependencies()
    racing = ProtectedWhilePublishing(
        deps.catalog,
        lambda: editorial.set_protection(deps, "editor A", video_id, {"faces": True, "voice": False}),
        lambda: tags(stack, video_id),
    )

    with pytest.raises(ConflictError):
        editorial.publish(dataclasses.replace(deps, catalog=racing), "editor B", video_id, {})

    assert racing.seen is not None and racing.seen, "the tags were read at the interleaving point"
    assert not any(racing.seen.values()), "the unprotected rendition was never tagged public"
    assert not any(tags(stack, video_id).values())
    assert deps.catalog.get_film(video_id).status is Status.PROTECTING
    assert is_gone(api, video_id)


def test_a_tagging_that_fails_after_the_commit_leaves_the_film_published_and_the_sweep_finishes_it(
    api, stack, capsys, functions_session
):
    video_id = write_ready_film(stack)
    editor = stack.keys["editor"]
    assert post_json(api, f"/videos/{video_id}/consent", CONSENT, editor).status_code == 200
    wiring.reset(denying_session("s3", "PutObjectTagging"))  # a role that may not tag, or S3 failing
    capsys.readouterr()

    response = post_json(api, f"/videos/{video_id}/publish", {}, editor)

    assert response.status_code == 200 and response.json_body["status"] == "PUBLISHED"
    assert response.json_body["media"]["public"] is False
    assert "being made public" in response.json_body["media"]["message"]
    assert emitted(capsys.readouterr().out, "MediaExposureUnfinished") == 1
    wiring.reset(functions_session)
    assert get(api, f"/videos/{video_id}").status_code == 200
    assert not any(tags(stack, video_id).values()), "private until tagged: never the other way round"
    deps = wiring.dependencies()
    assert media_exposure.finish_due(deps) == {"finished": 0, "failed": 0}, "a request may still be tagging"

    later = datetime.now(UTC) + timedelta(minutes=20)
    assert media_exposure.finish_due(deps, now=later) == {"finished": 1, "failed": 0}

    assert all(tags(stack, video_id).values())
    assert media_exposure.finish_due(deps, now=later) == {"finished": 0, "failed": 0}


def test_sync_media_makes_every_film_that_is_not_published_private_whatever_its_status(api, stack):
    video_id = write_ready_film(stack)
    deps = wiring.dependencies()
    # Being rendered again (its protection changed after it was public once), with tags left from then.
    film = deps.catalog.get_film(video_id)
    rendering = replace(film, status=Status.TRANSCODING)
    deps.catalog.apply(Change(film, rendering, film.status_changed_at, frozenset({Status.READY})))
    deps.media.set_public(f"films/{video_id}/", True)

    media_exposure.sync_all_media(deps)

    assert tags(stack, video_id) and not any(tags(stack, video_id).values())


def test_a_rendition_made_again_carries_no_tag_of_the_one_it_replaces(stack):
    media = wiring.dependencies().media
    s3, bucket = stack.client("s3"), stack.name("MediaBucket")
    s3.put_object(Bucket=bucket, Key="films/f/360p.mp4", Body=b"unprotected")
    media.set_public("films/f/", True)  # the old rendition, public once
    s3.put_object(Bucket=bucket, Key="staging/f/run/360p.mp4", Body=b"protected")

    media.promote("staging/f/run/", "films/f/", "360p.mp4")

    assert s3.get_object(Bucket=bucket, Key="films/f/360p.mp4")["Body"].read() == b"protected"
    assert s3.get_object_tagging(Bucket=bucket, Key="films/f/360p.mp4")["TagSet"] == []
