"""Media follow the catalog whatever lands at the same moment: an unpublish by one editor while
another editor's change re-exposes the published film's media never leaves them public."""

from __future__ import annotations

import contextlib
import dataclasses
from typing import Any

import pytest

from chalicelib import wiring
from chalicelib.domain.catalog import media_keys
from chalicelib.domain.errors import DomainError
from chalicelib.domain.takedown_reasons import TakedownReason, TakedownWhy
from chalicelib.services import editorial, media_exposure, takedown
from tests.functional.conftest import is_gone, publish
from tests.functional.factories import write_ready_film
from tests.functional.test_editorial import SRT

WHY = TakedownWhy(TakedownReason.CONSENT_WITHDRAWN)


class UnpublishedBeforeExposing:
    """The real media store, except that another editor's unpublish goes through (untag, then commit)
    between the moment a publish-side change read the film as PUBLISHED and the moment it tags its
    media public."""

    def __init__(self, media: Any, unpublish: Any) -> None:
        self._media = media
        self._unpublish = unpublish

    def expose_exactly(self, prefix: str, public_keys: Any) -> int:
        if self._unpublish is not None:
            unpublish, self._unpublish = self._unpublish, None
            unpublish()
        return int(self._media.expose_exactly(prefix, public_keys))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._media, name)


def public_objects(video_id: str) -> list[str]:
    deps = wiring.dependencies()
    film = deps.catalog.get_film(video_id)
    assert film is not None
    return sorted(key for key in media_keys(film) if deps.media.is_public(key))


def test_an_unpublish_landing_while_subtitles_are_added_leaves_no_media_public(api, stack):
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    deps = wiring.dependencies()
    assert public_objects(video_id), "published: its media are public"
    racing = UnpublishedBeforeExposing(deps.media, lambda: editorial.unpublish(deps, "editor B", video_id))

    editorial.add_subtitles(dataclasses.replace(deps, media=racing), "editor A", video_id, "en", SRT)

    assert deps.catalog.get_film(video_id).status.value == "UNPUBLISHED"
    assert is_gone(api, video_id)
    assert public_objects(video_id) == [], "an unpublished film's media are never public"


class SyncedAfterUntagging:
    """The real media store, except that `ops sync-media` runs right after an unpublish's first
    untagging, before the unpublish commits: it still reads the film as PUBLISHED."""

    def __init__(self, media: Any, sync: Any) -> None:
        self._media = media
        self._sync = sync

    def set_public(self, prefix: str, public: bool) -> int:
        done = int(self._media.set_public(prefix, public))
        if self._sync is not None and not public:
            sync, self._sync = self._sync, None
            sync()
        return done

    def __getattr__(self, name: str) -> Any:
        return getattr(self._media, name)


def test_an_unpublish_wins_over_a_media_sync_that_read_the_film_as_published(api, stack):
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    deps = wiring.dependencies()
    racing = SyncedAfterUntagging(deps.media, lambda: media_exposure.sync_all_media(deps))

    editorial.unpublish(dataclasses.replace(deps, media=racing), "editor A", video_id)

    assert is_gone(api, video_id)
    assert public_objects(video_id) == [], "an unpublished film's media are never public"


class TakenDownBeforeUploading:
    """The real media store, except that a takedown goes through just before the next upload."""

    def __init__(self, media: Any, take_down: Any) -> None:
        self._media = media
        self._take_down = take_down

    def upload(self, path: str, key: str, content_type: str) -> None:
        if self._take_down is not None:
            take_down, self._take_down = self._take_down, None
            take_down()
        self._media.upload(path, key, content_type)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._media, name)


def test_subtitles_sent_again_while_the_film_is_taken_down_leave_nothing_behind(api, stack):
    video_id = write_ready_film(stack)
    deps = wiring.dependencies()
    editorial.add_subtitles(deps, "editor A", video_id, "en", SRT)  # the same file is sent again below
    racing = TakenDownBeforeUploading(deps.media, lambda: takedown.take_down(deps, "editor B", video_id, WHY))

    with pytest.raises(DomainError):
        editorial.add_subtitles(dataclasses.replace(deps, media=racing), "editor A", video_id, "en", SRT)

    listed = stack.client("s3").list_objects_v2(Bucket=stack.name("MediaBucket"), Prefix=f"films/{video_id}/")
    assert [item["Key"] for item in listed.get("Contents", [])] == [], "no subtitles text outlives a takedown"


class SameSubtitlesLandFirst:
    """The real media store, except that another editor's upload of the very same subtitles goes through
    (upload, commit, made public) just before this editor's upload writes the same object again."""

    def __init__(self, media: Any, rival: Any) -> None:
        self._media = media
        self._rival = rival

    def upload(self, *args: Any, **kwargs: Any) -> None:
        if self._rival is not None:
            rival, self._rival = self._rival, None
            rival()
        self._media.upload(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._media, name)


def test_the_same_subtitles_sent_twice_at_once_stay_public_on_a_published_film(api, stack):
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    deps = wiring.dependencies()
    racing = SameSubtitlesLandFirst(deps.media, lambda: editorial.add_subtitles(deps, "editor B", video_id, "en", SRT))

    # A may lose the race to B's identical change: either answer is fine, a private track is not.
    with contextlib.suppress(DomainError):
        editorial.add_subtitles(dataclasses.replace(deps, media=racing), "editor A", video_id, "en", SRT)

    film = deps.catalog.get_film(video_id)
    assert [track.language for track in film.subtitles] == ["en"]
    assert set(public_objects(video_id)) == set(media_keys(film)), "every listed file is public, the track too"
