"""Duplicates through the real pipeline (S3, the SQS handlers, the static ffmpeg, moto's DynamoDB): a film sent
again, re-encoded, resized or protected, is flagged beside both films; a distinct film is not; a film taken
down and sent again is a new film."""

from pathlib import Path

import pytest

from tests.functional.conftest import CONSENT, get, post_json, publish, upload_body
from tests.functional.media_samples import ffmpeg

VOICE_ONLY = {"faces": False, "voice": True}


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A one-minute film, a re-encoded smaller copy of it, and a distinct film; tiny and quick to make."""
    folder = tmp_path_factory.mktemp("duplicates")
    original, copy, distinct = folder / "street.mp4", folder / "street-copy.mp4", folder / "market.mp4"
    sound = ["-f", "lavfi", "-i", "sine=frequency=330:sample_rate=22050:duration=60"]
    encode = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"]
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=5:duration=60", *sound, *encode, str(original))
    ffmpeg("-i", str(original), "-vf", "scale=256:144", "-crf", "35", *encode, str(copy))
    ffmpeg("-f", "lavfi", "-i", "mandelbrot=size=320x180:rate=5,trim=duration=60", *sound, *encode, str(distinct))
    return {"original": original, "copy": copy, "distinct": distinct}


def send(api, stack, path, key="office", **changes):
    body = upload_body(filename=path.name, **changes)
    video_id = post_json(api, "/uploads", body, stack.keys[key]).json_body["video_id"]
    stack.put_upload(video_id, path)
    stack.run_pipeline()
    return video_id


def editorial(api, stack, video_id):
    view = get(api, f"/videos/{video_id}/editorial", stack.keys["editor"]).json_body
    assert view["status"] == "READY", view
    return view


def flagged(api, stack, video_id):
    return {(d["video_id"], d["same"]) for d in editorial(api, stack, video_id)["duplicates"]}


def test_a_re_encoded_copy_and_the_same_file_are_flagged_beside_both_films_and_a_distinct_film_is_not(
    api, stack, films
):
    original = send(api, stack, films["original"], title="My street")
    assert flagged(api, stack, original) == set()
    copy = send(api, stack, films["copy"], title="My street (again)")
    distinct = send(api, stack, films["distinct"], title="The market")
    again = send(api, stack, films["original"], title="My street, from the other laptop")

    assert flagged(api, stack, copy) == {(original, "picture"), (again, "picture")}
    assert flagged(api, stack, again) == {(original, "file"), (copy, "picture")}
    assert flagged(api, stack, original) == {(copy, "picture"), (again, "file")}
    assert flagged(api, stack, distinct) == set()
    shown = editorial(api, stack, copy)["duplicates"]
    assert {
        "video_id": original,
        "title": "My street",
        "status": "READY",
        "same": "picture",
        "protect_identity": {"faces": False, "voice": False},
        "draft": False,
    } in shown

    # The office's row says what the film was already sent as; its first sending says nothing of the kind.
    rows = {row["video_id"]: row for row in get(api, "/uploads", stack.keys["office"]).json_body["items"]}
    assert rows[copy]["already_sent_as"] == [{"video_id": original, "title": "My street", "draft": False}]
    assert "already_sent_as" not in rows[original]
    assert "already_sent_as" not in rows[distinct]
    sent_as = get(api, f"/uploads/{again}", stack.keys["office"]).json_body["already_sent_as"]
    assert sorted(sent_as, key=lambda row: row["title"]) == [
        {"video_id": original, "title": "My street", "draft": False},
        {"video_id": copy, "title": "My street (again)", "draft": False},
    ]


def test_a_protected_copy_is_flagged_from_the_fingerprint_its_protection_stage_took(api, stack, films):
    original = send(api, stack, films["original"])
    protected = send(api, stack, films["copy"], protect_identity=VOICE_ONLY)
    assert editorial(api, stack, protected)["preview"]["protected"] is True
    assert flagged(api, stack, protected) == {(original, "picture")}

    # The unprotected copy is not published while the protected one asked to hide the child's voice.
    editor = stack.keys["editor"]
    assert post_json(api, f"/videos/{original}/consent", CONSENT, editor).status_code == 200
    held = post_json(api, f"/videos/{original}/publish", {}, editor)
    assert (held.status_code, held.json_body["error"]) == (409, "copy_protected")
    assert "disguised voice" in held.json_body["message"]
    assert editorial(api, stack, original)["status"] == "READY", "nothing was published"


def test_a_workshop_s_published_films_are_compared_whoever_sent_them_and_another_office_is_never_named(
    api, stack, films
):
    theirs = send(api, stack, films["original"], key="other_office", country="KG", title="Their film")
    assert publish(api, stack, theirs).status_code == 200
    elsewhere = send(api, stack, films["copy"], workshop="osh-2013", title="Ours, another workshop")
    assert flagged(api, stack, elsewhere) == set(), "another office's film, another workshop: not compared"
    ours = send(api, stack, films["copy"], title="Ours, the same workshop")

    assert flagged(api, stack, ours) == {(theirs, "picture"), (elsewhere, "file")}
    sent_as = get(api, f"/uploads/{ours}", stack.keys["office"]).json_body["already_sent_as"]
    assert sent_as == [{"video_id": elsewhere, "title": "Ours, another workshop", "draft": False}], (
        "never the other office's film"
    )


def test_a_film_taken_down_and_sent_again_is_a_new_film(api, stack, films):
    original = send(api, stack, films["original"])
    taken_down = api.http.delete(f"/videos/{original}", headers={"x-api-key": stack.keys["editor"]})
    assert taken_down.status_code == 200
    assert "fingerprint" not in stack.catalog_item(original)
    again = send(api, stack, films["original"])
    assert flagged(api, stack, again) == set()
