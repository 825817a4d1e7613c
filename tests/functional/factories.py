"""Films written straight into the catalog and the buckets, for tests about what happens after the
pipeline (editors, the public API): no upload, no ffmpeg. The pipeline's own tests make theirs for real."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from chalicelib import wiring
from chalicelib.clock import now_iso
from chalicelib.domain.change import Change
from chalicelib.domain.film import Film, FilmRendition, Status
from chalicelib.domain.hls import MASTER_NAME
from chalicelib.domain.lifecycle import new_upload
from chalicelib.domain.metadata import Author, parse_upload_request
from chalicelib.domain.object_keys import (
    POSTER_NAME,
    SHARE_IMAGE_NAME,
    SPRITE_NAME,
    STORYBOARD_NAME,
    master_key,
    media_key,
    playlist_key,
    rendition_key,
    upload_key,
)
from chalicelib.domain.protection import ProtectedMaster, Protection
from chalicelib.services.ports import FilmCatalog
from tests.functional.conftest import upload_body

# What a field office's upload says (as tests.functional.conftest.upload_body), for the office of
# the stack's office key.
OFFICE_ID = "office-caucasus"
PLACEHOLDERS = {
    POSTER_NAME: (b"\xff\xd8\xff\xe0placeholder poster", "image/jpeg"),
    SPRITE_NAME: (b"\xff\xd8\xff\xe0placeholder sprite", "image/jpeg"),
    SHARE_IMAGE_NAME: (b"\xff\xd8\xff\xe0placeholder share image", "image/jpeg"),
    STORYBOARD_NAME: (b"WEBVTT\n", "text/vtt"),
    MASTER_NAME: (b"#EXTM3U\n360p.m3u8\n", "application/vnd.apple.mpegurl"),
    "360p.m3u8": (b"#EXTM3U\n360p.mp4\n", "application/vnd.apple.mpegurl"),
}


def ready_film(video_id: str, at: str, **changes: Any) -> Film:
    """A READY film of the office key's office as the pipeline leaves it: made from `upload_body()` by the
    domain's one constructor (domain/lifecycle.py), with the transcoder's renditions and images; `changes`
    set fields of the film, as POST /uploads names them."""
    settings = wiring.dependencies().settings
    request = parse_upload_request(upload_body(), settings.topics, settings.limits.max_bytes)
    film = replace(
        new_upload(video_id, OFFICE_ID, request, upload_key(video_id, ".mp4"), at),
        status=Status.READY,
        duration_s=60.0,
        source_width=640,
        source_height=360,
        renditions=(FilmRendition("360p", rendition_key(video_id, "360p"), 640, 360, playlist_key(video_id, "360p")),),
        poster_key=media_key(video_id, POSTER_NAME),
        sprite_key=media_key(video_id, SPRITE_NAME),
        storyboard_key=media_key(video_id, STORYBOARD_NAME),
        share_image_key=media_key(video_id, SHARE_IMAGE_NAME),
        hls_key=media_key(video_id, MASTER_NAME),
    )
    return replace(film, **{name: _typed(name, value) for name, value in changes.items()})


def write_ready_film(stack: Any, **changes: Any) -> str:
    """A READY film (`ready_film`) written into the catalog, with placeholder media in the buckets as the
    transcoder would leave them (private)."""
    video_id = str(uuid.uuid4())
    film = ready_film(video_id, now_iso(), **changes)
    s3 = stack.client("s3")
    s3.put_object(Bucket=stack.name("UploadsBucket"), Key=film.upload_key, Body=b"placeholder upload")
    objects = {film.renditions[0].key: (b"\x00\x00\x00\x18ftypmp42" + bytes(4096), "video/mp4")}
    objects |= {media_key(video_id, name): placeholder for name, placeholder in PLACEHOLDERS.items()}
    for key, (body, content_type) in objects.items():
        s3.put_object(Bucket=stack.name("MediaBucket"), Key=key, Body=body, ContentType=content_type)
    wiring.dependencies().catalog.create_film(film)
    return video_id


def finish_rendering(video_id: str) -> Film:
    """What the protection stage and the transcode record once an editor's change of protection has been
    rendered (the stages themselves: tests/functional/test_protection_stage.py): back to READY, its
    outputs carrying exactly what is asked."""
    catalog = wiring.dependencies().catalog
    film = catalog.get_film(video_id)
    assert film is not None and film.status in (Status.PROTECTING, Status.TRANSCODING), film
    asked = film.protect_identity
    if film.status is Status.PROTECTING:
        assert asked is not None
        move(
            video_id,
            Status.TRANSCODING,
            protected_master=ProtectedMaster.made(master_key(video_id), "placeholder", asked),
        )
    return move(video_id, Status.READY, protection_applied=asked)


def move(video_id: str, status: Status, **fields: Any) -> Film:
    """The film moved to `status` from the status it is in, with `fields` written (None removes one), as the
    catalog writes a stage's or an editor's change (domain/lifecycle.py) but with only what the test needs:
    the commands and the stages themselves are tested elsewhere. Returns the film as stored."""
    catalog = wiring.dependencies().catalog
    film = catalog.get_film(video_id)
    assert film is not None
    at = now_iso()
    after = replace(
        film, status=status, status_changed_at=at, **{name: _typed(name, value) for name, value in fields.items()}
    )
    catalog.apply(Change(film, after, at, frozenset({film.status}), writes=tuple(fields), checks_version=False))
    moved = catalog.get_film(video_id)
    assert moved is not None
    return moved


def _typed(name: str, value: Any) -> Any:
    """A field's value as the upload API takes it (lists, an author object), as the film holds it."""
    if name == "author" and isinstance(value, dict):
        return Author(**value)
    if name in ("protect_identity", "protection_applied") and isinstance(value, dict):
        return Protection.of(value)
    if name == "protected_master" and isinstance(value, dict):
        return ProtectedMaster.of(value)
    return tuple(value) if isinstance(value, list) else value


class ReadBefore:
    """A catalog through which one film is first read as it was earlier (what another editor still
    sees), then as it is: the wrapped catalog does everything else."""

    def __init__(self, catalog: FilmCatalog, earlier: Film) -> None:
        self._catalog = catalog
        self._earlier: Film | None = earlier

    def get_film(self, video_id: str) -> Film | None:
        if self._earlier is not None and video_id == self._earlier.video_id:
            earlier, self._earlier = self._earlier, None
            return earlier
        return self._catalog.get_film(video_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._catalog, name)
