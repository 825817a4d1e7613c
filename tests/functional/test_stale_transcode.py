"""A transcode run that the film has moved on from never writes over the film's outputs.

A run reads the film when it starts and promotes its outputs into the film's folder before it records
them. If meanwhile another run made the film READY (protected), an editor published it, and this run
made its outputs from the source (protection off when it started), promoting them would overwrite the
public film's protected renditions with unprotected ones, the record still saying they are protected:
any later re-tagging of the film's media (a subtitle, `ops sync-media`) would make them public.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib import wiring
from chalicelib.clock import now_iso
from chalicelib.domain.change import Change
from chalicelib.domain.film import Status
from chalicelib.domain.object_keys import rendition_key
from chalicelib.domain.protection import Protection
from chalicelib.services import transcode
from tests.functional.factories import move, write_ready_film

FACES = {"faces": True, "voice": False}


class MediaWithRival:
    """The media store, except that `rival` runs once, when the transcode stores its first output."""

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


def keys_of(s3: Any, bucket: str, video_id: str, prefix: str = "films/") -> list[str]:
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    return sorted(item["Key"] for item in listed if f"/{video_id}/" in item["Key"])


def test_a_run_the_film_moved_on_from_leaves_the_published_protected_outputs_alone(stack, clips):
    video_id = write_ready_film(stack, status=Status.TRANSCODING)  # protection off when this run starts
    s3 = stack.client("s3")
    uploads, media = stack.name("UploadsBucket"), stack.name("MediaBucket")
    film = wiring.dependencies().catalog.get_film(video_id)
    etag = s3.put_object(Bucket=uploads, Key=film.upload_key, Body=clips["valid"].read_bytes())["ETag"].strip('"')
    deps = wiring.dependencies()
    deps.catalog.apply(Change(film, replace(film, upload_etag=etag), now_iso(), frozenset({Status.TRANSCODING})))
    protected = b"\x00\x00\x00\x18ftypmp42 the protected rendition"
    top = rendition_key(video_id, "360p")

    def another_run_finished_then_an_editor_published() -> None:
        s3.put_object(Bucket=media, Key=top, Body=protected)
        move(video_id, Status.READY, protect_identity=FACES, protection_applied=FACES, attempt=2)
        move(video_id, Status.PUBLISHED, published_at=now_iso())

    before = {key: s3.get_object(Bucket=media, Key=key)["Body"].read() for key in keys_of(s3, media, video_id)}
    racing = replace(deps, media=MediaWithRival(deps.media, another_run_finished_then_an_editor_published))
    transcode.transcode_film(racing, video_id, 120.0)

    after = {key: s3.get_object(Bucket=media, Key=key)["Body"].read() for key in keys_of(s3, media, video_id)}
    assert after == {**before, top: protected}, "the source's picture neither replaces nor joins the protected film's"
    assert keys_of(s3, media, video_id, "staging/") == [], "nothing left in staging"
    assert wiring.dependencies().catalog.get_film(video_id).protection_applied == Protection(faces=True)
