"""Identity protection on the local stack (`make run`), over real HTTP: a field office asks for it at upload,
the protection worker blurs the faces, the editor watches the protected preview and publishes, and the public
film, fetched as the website would, shows no face where the source had one (an independent detector judges)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from skimage.data import lbp_frontal_face_cascade_filename
from skimage.feature import Cascade

from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from chalicelib.clock import now_iso
from chalicelib.domain.change import AuditEntry, Change
from chalicelib.domain.film import Status
from chalicelib.domain.protection import Protection
from chalicelib.domain.sweep import SweepLimits
from chalicelib.services.protection_catch_up import catch_up_ready_films
from tests.e2e.conftest import RunningStack, aws, wait_for
from tests.e2e.test_roles import as_sweep
from tests.functional.face_clips import decode, make_face_clip
from tests.functional.test_protection_stage import faces_seen, image, still_faces_seen

FACES = {"faces": True, "voice": False}
METADATA = {
    "title": "Who I am",
    "country": "AZ",
    "topics": ["juvenile-justice"],
    "author": {"first_name": "Kamal", "age": 15},
}


def fetched(url: str, path: Path) -> Path:
    response = requests.get(url, timeout=30)
    assert response.status_code == 200, (url, response.status_code)
    path.write_bytes(response.content)
    return path


@pytest.mark.timeout(900)
def test_a_protected_film_is_published_with_no_face_showing(running_stack: RunningStack, tmp_path: Path):
    clip = make_face_clip("two_faces", tmp_path, seconds=60, fps=2, audio=True)
    cascade = Cascade(lbp_frontal_face_cascade_filename())
    assert len(faces_seen(cascade, clip, decode(clip.path))) >= 3, (
        "the source must show faces for this to prove anything"
    )

    office = running_stack.client("field_office")
    video_id = office.upload(clip.path, {**METADATA, "protect_identity": FACES})
    upload = office.wait_for_terminal(video_id, timeout_s=600)
    assert upload["status"] == "READY", (upload, running_stack.output()[-3000:])

    editor = running_stack.client("editor")
    view = editor.request("GET", f"/videos/{video_id}/editorial").json()
    assert view["protection_applied"] == FACES and view["preview"]["protected"] is True
    preview = decode(fetched(view["preview"]["video_url"], tmp_path / "preview.mp4"))
    assert faces_seen(cascade, clip, preview) == [], "the editor's preview is the protected film"

    assert editor.publish(video_id)["status"] == "PUBLISHED"
    api_url = running_stack.info["api_url"]
    public = requests.get(f"{api_url}/videos/{video_id}", timeout=10).json()
    assert not {"protect_identity", "protection_applied", "protected_master"} & set(public)
    [rendition] = public["renditions"]
    assert faces_seen(cascade, clip, decode(fetched(rendition["url"], tmp_path / "public.mp4"))) == []
    assert still_faces_seen(cascade, clip, image(fetched(public["poster_url"], tmp_path / "poster.jpg"))) == 0


def ready_asking_faces(stack: RunningStack, tmp_path: Path, title: str) -> tuple[str, DynamoDBCatalog]:
    """A READY film made without protection whose office's ask for faces landed meanwhile (its catch-up not yet
    made), and the catalog, read with the stack's own (administrator's) credentials."""
    clip = make_face_clip("two_faces", tmp_path, seconds=60, fps=2)
    office = stack.client("field_office")
    video_id = office.upload(clip.path, {**METADATA, "title": title})
    assert office.wait_for_terminal(video_id, timeout_s=600)["status"] == "READY"
    catalog = DynamoDBCatalog(aws(stack, "dynamodb"), stack.info["resources"]["CatalogTable"])
    ready = catalog.get_film(video_id)
    assert ready is not None and ready.protection_applied is None
    asked = replace(ready, protect_identity=Protection(faces=True))
    catalog.apply(
        Change(ready, asked, now_iso(), frozenset({Status.READY}), AuditEntry("office", "corrected_by_office"))
    )
    return video_id, catalog


def caught_up_by_the_pipeline(stack: RunningStack, catalog: DynamoDBCatalog, video_id: str) -> None:
    """Waits for the film made again with its faces blurred, the catch-up audited as the pipeline's."""

    def protected() -> bool:
        film = catalog.get_film(video_id)
        return film is not None and film.status is Status.READY and film.protection_applied == Protection(faces=True)

    wait_for(protected, 600, "the film made again with its faces blurred")
    trail = stack.client("editor").request("GET", f"/videos/{video_id}/audit").json()["items"]
    assert [entry["actor"] for entry in trail if entry["action"] == "protection_caught_up"] == ["pipeline"]


@pytest.mark.timeout(900)
def test_protection_asked_while_the_film_was_transcoded_is_caught_up_under_the_transcodes_own_role(
    running_stack: RunningStack, tmp_path: Path
):
    # The office's ask landed while the transcode ran from the source, which made the film READY without it. A
    # transcode message (another attempt's, delivered again) finds it so: under the transcode's own role it
    # writes the catch-up with its audit entry and hands the film to the protection stage, which blurs it.
    # (That role could neither write the audit entry nor send to the protection queue before.)
    video_id, catalog = ready_asking_faces(running_stack, tmp_path, "Asked late")
    ready = catalog.get_film(video_id)
    assert ready is not None
    message = {"video_id": video_id, "etag": ready.upload_etag, "attempt": ready.attempt + 7}
    aws(running_stack, "sqs").send_message(
        QueueUrl=running_stack.info["resources"]["TranscodeQueue"], MessageBody=json.dumps(message)
    )

    caught_up_by_the_pipeline(running_stack, catalog, video_id)


@pytest.mark.timeout(900)
def test_a_ready_film_whose_transcode_could_not_catch_it_up_is_caught_up_by_the_sweep_under_its_own_role(
    running_stack: RunningStack, tmp_path: Path
):
    # The transcode's catch-up failed on every delivery (its message is in the dead-letter queue): the sweep,
    # under its own role, writes the catch-up with its audit entry and hands the film to the protection stage.
    video_id, catalog = ready_asking_faces(running_stack, tmp_path, "Caught up by the sweep")
    sweep = as_sweep(running_stack)
    # Acting at once (the stack's own sweep waits a few minutes for the transcode's redelivery first).
    limits = SweepLimits(upload_window_s=0, multipart_window_s=0, stuck_after_s={}, catch_up_after_s=0)

    assert catch_up_ready_films(sweep, limits, datetime.now(UTC)) == 1
    caught_up_by_the_pipeline(running_stack, catalog, video_id)
