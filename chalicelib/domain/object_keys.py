"""Where a film's objects live in the buckets: every key and prefix, named once.

The uploads bucket holds each raw upload at a key the server chooses; the media bucket holds the
public outputs under `films/` and the transcoder's unfinished work under `staging/`. The template's
notification filter, lifecycle rules and policies (infra/) name the same prefixes: a test holds
them together.
"""

from __future__ import annotations

from chalicelib.domain.film import is_video_id

UPLOADS_PREFIX = "uploads/"
MEDIA_PREFIX = "films/"
STAGING_PREFIX = "staging/"
# A film's images and storyboard, under the same names in the transcoder's folder and in the bucket.
POSTER_NAME = "poster.jpg"
SPRITE_NAME = "sprite.jpg"
STORYBOARD_NAME = "storyboard.vtt"
# A published film's share page (domain/share_page.py): public exactly while the film is.
SHARE_NAME = "share.html"
# The image its link previews show: the poster's picture letterboxed in a small JPEG (domain/ladder.py), named
# by the render that made it (`share_image_name`); films rendered before that have it under this name.
SHARE_IMAGE_NAME = "share.jpg"
# Workshops' share pages, under the same public prefix as the films' (the CDN, the bucket policy and the roles
# name it): `films/workshops/{slug}/share.html`. No film's id is a workshop's name (ids are UUIDs).
WORKSHOP_PAGES = f"{MEDIA_PREFIX}workshops/"
# The protection stage's output beside the source: faces blurred, voice disguised when asked.
MASTER_NAME = "protected.mkv"


def upload_key(video_id: str, extension: str) -> str:
    """The server chooses the key; nothing of the uploader's filename reaches it but a checked extension."""
    return f"{UPLOADS_PREFIX}{video_id}/source{extension}"


def video_id_from_upload_key(key: str) -> str | None:
    """The film an upload key belongs to; None for any key outside the upload layout."""
    parts = key.split("/")
    if len(parts) != 3 or parts[0] + "/" != UPLOADS_PREFIX or not parts[2].startswith("source."):
        return None
    return parts[1] if is_video_id(parts[1]) else None


def master_key(video_id: str) -> str:
    """The protected master: what the transcode renders a protected film from, and all that remains
    of the film's picture in the uploads bucket once its source is deleted (domain/retention.py)."""
    return f"{uploads_of(video_id)}{MASTER_NAME}"


def uploads_of(video_id: str) -> str:
    """The prefix of everything a film's upload put in the uploads bucket."""
    return f"{UPLOADS_PREFIX}{video_id}/"


def is_protected_master_key(key: str) -> bool:
    parts = key.split("/")
    return len(parts) == 3 and parts[0] + "/" == UPLOADS_PREFIX and parts[2] == MASTER_NAME


def media_of(video_id: str) -> str:
    """The prefix of a film's outputs in the media bucket (public once the film is published)."""
    return f"{MEDIA_PREFIX}{video_id}/"


def media_paths(video_id: str) -> str:
    """A film's outputs as a CDN path pattern (what a cache invalidation names)."""
    return f"/{media_of(video_id)}*"


def staging_of(video_id: str) -> str:
    """The prefix of every unfinished transcode of a film."""
    return f"{STAGING_PREFIX}{video_id}/"


def staging_run(video_id: str, run: str) -> str:
    """The prefix of one transcode's outputs before they are promoted."""
    return f"{staging_of(video_id)}{run}/"


def workshop_share_key(slug: str) -> str:
    """A workshop's share page: public exactly while the workshop has a published film."""
    return f"{WORKSHOP_PAGES}{slug}/{SHARE_NAME}"


def rendition_key(video_id: str, name: str) -> str:
    return f"{media_of(video_id)}{name}.mp4"


def playlist_key(video_id: str, name: str) -> str:
    """A rendition's HLS playlist, beside it (domain/hls.py)."""
    return f"{media_of(video_id)}{name}.m3u8"


def media_key(video_id: str, name: str) -> str:
    """One of a film's outputs by file name (POSTER_NAME, SPRITE_NAME, STORYBOARD_NAME, the HLS master)."""
    return f"{media_of(video_id)}{name}"


def share_image_name(run: str) -> str:
    """A new name for each render's share image: chat apps cache previews by URL, so the image of a film
    rendered again (its faces blurred since) must never hide behind the old one's address."""
    return f"share-{run}.jpg"


def is_share_image_key(video_id: str, key: str) -> bool:
    """Whether `key` is one of the film's share images, whichever render made it."""
    name = key.removeprefix(media_of(video_id))
    return name == SHARE_IMAGE_NAME or (name.startswith("share-") and name.endswith(".jpg") and "/" not in name)


def subtitles_key(video_id: str, language: str, digest: str) -> str:
    """A new key for new text: a corrected translation is never hidden behind a cached old one."""
    return f"{media_of(video_id)}subtitles/{language}-{digest}.vtt"
