"""Identity protection on the local stack (`make run`), over real HTTP: a field office asks for it at upload,
the protection worker blurs the faces, the editor watches the protected preview and publishes, and the public
film, fetched as the website would, shows no face where the source had one (an independent detector judges)."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from skimage.data import lbp_frontal_face_cascade_filename
from skimage.feature import Cascade

from tests.e2e.conftest import RunningStack
from tests.functional.face_clips import decode, make_face_clip
from tests.functional.test_protection_stage import faces_seen, image, still_faces_seen

FACES = {"faces": True, "voice": False}


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
    metadata = {
        "title": "Who I am",
        "country": "AZ",
        "topics": ["juvenile-justice"],
        "author": {"first_name": "Kamal", "age": 15},
        "protect_identity": FACES,
    }
    video_id = office.upload(clip.path, metadata)
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
