"""Films awaiting review written straight into a running stack's catalog, as a workshop leaves them the morning
after: READY, with a poster and a 360p rendition in the media bucket (private), some consented, some flagged
sensitive, some protecting a child's identity. For the editor page's bulk decisions (tests/browser and
bench/editor_page.py), where the pipeline itself is no part of what is tested or measured."""

from __future__ import annotations

import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from chalicelib.clock import now_iso
from chalicelib.domain.film import Film, FilmRendition, Status
from chalicelib.domain.metadata import Author
from chalicelib.domain.object_keys import POSTER_NAME, master_key, media_key, rendition_key, upload_key
from chalicelib.domain.protection import ProtectedMaster, Protection
from tests.e2e.conftest import RunningStack, aws

CONSENT = {"guardian_consent": True, "child_assent": True, "reference": "Tbilisi office, folder 3", "by": "editor"}


@dataclass(frozen=True)
class ReviewFilm:
    title: str
    first_name: str
    age: int
    consent: bool = True
    sensitive: bool = False
    faces_blurred: bool = False


def poster(folder: Path, colour: str) -> bytes:
    """A small plain JPEG (ffmpeg), so that the cards show a picture."""
    path = folder / f"{colour}.jpg"
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"color=c={colour}:s=320x180",
            "-frames:v",
            "1",
            str(path),
        ],
        check=True,
    )
    return path.read_bytes()


def write_review_films(stack: RunningStack, folder: Path, workshop: str, films: list[ReviewFilm]) -> list[str]:
    """Each film READY in `workshop` (Georgia, topic violence), oldest first; returns their ids in that order."""
    catalog = DynamoDBCatalog(aws(stack, "dynamodb"), stack.info["resources"]["CatalogTable"])
    s3, bucket = aws(stack, "s3"), stack.info["resources"]["MediaBucket"]
    colours = ["teal", "olive", "navy", "maroon", "purple", "gray"]
    images = {colour: poster(folder, colour) for colour in colours}
    ids = []
    for number, wanted in enumerate(films):
        video_id = str(uuid.uuid4())
        at = now_iso()
        protection = Protection.named(faces=True, voice=False) if wanted.faces_blurred else None
        film = Film(
            video_id,
            Status.READY,
            at,
            at,
            office_id="ge-tbilisi",
            upload_key=upload_key(video_id, ".mp4"),
            filename=f"film-{number}.mp4",
            content_type="video/mp4",
            title=wanted.title,
            country="GE",
            topics=("violence",),
            workshop=workshop,
            language="ka",
            author=Author(wanted.first_name, wanted.age),
            duration_s=60.0,
            source_width=640,
            source_height=360,
            renditions=(FilmRendition("360p", rendition_key(video_id, "360p"), 640, 360),),
            poster_key=media_key(video_id, POSTER_NAME),
            sensitive=wanted.sensitive or None,
            consent=CONSENT if wanted.consent else None,
            protect_identity=protection,
            protection_applied=protection,
            protected_master=ProtectedMaster.made(master_key(video_id), "seeded", protection) if protection else None,
        )
        s3.put_object(
            Bucket=bucket, Key=film.poster_key, Body=images[colours[number % len(colours)]], ContentType="image/jpeg"
        )
        s3.put_object(
            Bucket=bucket, Key=film.renditions[0].key, Body=b"\x00\x00\x00\x18ftypmp42", ContentType="video/mp4"
        )
        catalog.create_film(film)
        ids.append(video_id)
    return ids
