"""Media the catalog no longer lists (a language's subtitles removed or replaced on a published film) stop
being public before anything else: when S3 then refuses their deletion, the removal still stands (it has
committed), what S3 kept is private, and the CDN's cache for it is emptied all the same."""

from __future__ import annotations

import pytest

from chalicelib import wiring
from chalicelib.domain import lifecycle
from chalicelib.domain.errors import DomainError
from chalicelib.services import changes, editorial
from tests.functional.conftest import publish
from tests.functional.factories import write_ready_film
from tests.functional.faults import denying_session
from tests.functional.test_editorial import SRT


@pytest.fixture
def normal(functions_session):
    """Puts the functions back on their ordinary session (the role with every action it needs)."""
    return lambda: wiring.reset(functions_session)


def published_with_subtitles(api, stack) -> tuple[str, str]:
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    editorial.add_subtitles(wiring.dependencies(), "editor A", video_id, "en", SRT)
    film = wiring.dependencies().catalog.get_film(video_id)
    key = film.subtitles[0].key
    assert wiring.dependencies().media.is_public(key), "a published film's subtitles are public"
    return video_id, key


def test_subtitles_removed_while_s3_refuses_their_deletion_stay_private(api, stack, normal):
    video_id, key = published_with_subtitles(api, stack)
    wiring.reset(denying_session("s3", "DeleteObject"))

    answer = editorial.remove_subtitles(wiring.dependencies(), "editor A", video_id, "en")

    assert answer["video_id"] == video_id, "the removal went through: the editor is not told of a failure"
    normal()
    deps = wiring.dependencies()
    assert deps.catalog.get_film(video_id).subtitles == (), "the catalog no longer lists them"
    assert stack.client("s3").head_object(Bucket=stack.name("MediaBucket"), Key=key), "S3 kept the text"
    assert not deps.media.is_public(key), "a text the catalog no longer lists is never left public"


def test_subtitles_whose_removal_loses_a_race_stay_public_with_the_film(api, stack):
    video_id, key = published_with_subtitles(api, stack)
    deps = wiring.dependencies()
    stale = deps.catalog.get_film(video_id)
    editorial.highlight(deps, "editor B", video_id, {"highlighted": True})  # lands first

    with pytest.raises(DomainError):
        changes.apply(deps, lifecycle.remove_subtitles(stale, "editor A", "en", "2026-12-07T00:00:00.000Z"))

    assert [track.key for track in deps.catalog.get_film(video_id).subtitles] == [key]
    assert deps.media.is_public(key), "still listed on a published film: still public"
