"""A takedown that S3 refuses half-way: the film is DELETED all the same, its media stopped being public
first, the answer says what is left, `TakedownsUnfinished` is counted, and a retry finishes the job,
whether it comes from the API, `omjr ops takedown` or the sweep on its own."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import wiring
from chalicelib.services import takedown
from cli.__main__ import main as omjr
from cli.target import DEAD_LETTER_QUEUES, RESOURCE_VARIABLES
from tests.functional.conftest import TAKEDOWN, get, is_gone, publish
from tests.functional.factories import write_ready_film
from tests.functional.faults import denying_session, emitted
from tests.functional.test_editorial import call

# What a role without `s3:DeleteObject` and `s3:ListBucketMultipartUploads` is refused (issue 20).
DENIED = ("DeleteObjects", "ListMultipartUploads")
LEFT = ["media_objects", "uploaded_objects", "multipart_uploads"]


def objects(stack, video_id):
    """Every object of the film in both buckets, and whether the CDN may read it."""
    s3, media = stack.client("s3"), wiring.dependencies().media
    found = {}
    for bucket, prefixes in (
        (stack.name("MediaBucket"), (f"films/{video_id}/", f"staging/{video_id}/")),
        (stack.name("UploadsBucket"), (f"uploads/{video_id}/",)),
    ):
        for prefix in prefixes:
            for item in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []):
                found[item["Key"]] = bucket == stack.name("MediaBucket") and media.is_public(item["Key"])
    return found


def half_done_takedown(api, stack, capsys):
    """A published film whose takedown S3 refused half-way; returns its id and the answer."""
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    assert any(objects(stack, video_id).values()), "published: its media are public"
    wiring.reset(denying_session("s3", *DENIED))
    capsys.readouterr()
    response = call(api, "delete", f"/videos/{video_id}", stack.keys["editor"], TAKEDOWN)
    return video_id, response, capsys.readouterr().out


@pytest.fixture
def normal(functions_session):
    """Puts the functions back on their ordinary session (the role with every action it needs)."""
    return lambda: wiring.reset(functions_session)


def test_a_takedown_refused_half_way_leaves_the_film_deleted_private_and_says_what_is_left(api, stack, capsys, normal):
    video_id, response, output = half_done_takedown(api, stack, capsys)

    assert response.status_code == 202
    assert response.json_body["status"] == "DELETED" and response.json_body["left"] == LEFT
    assert "send the takedown again" in response.json_body["message"].lower()
    assert emitted(output, "TakedownsUnfinished") == 1
    normal()
    assert is_gone(api, video_id)
    assert get(api, "/videos").json_body["items"] == []
    left = objects(stack, video_id)
    assert left and not any(left.values()), "what S3 kept is private: the media stopped being public first"

    capsys.readouterr()
    again = call(api, "delete", f"/videos/{video_id}", stack.keys["editor"], TAKEDOWN)  # the editor sends it again

    assert (again.status_code, again.json_body) == (200, {"video_id": video_id, "status": "DELETED"})
    assert objects(stack, video_id) == {}
    assert emitted(capsys.readouterr().out, "TakedownsUnfinished") == 0
    assert "takedown_unfinished_since" not in stack.catalog_item(video_id)


def test_the_sweep_finishes_an_unfinished_takedown_on_its_own(api, stack, capsys, normal):
    video_id, response, _ = half_done_takedown(api, stack, capsys)
    assert response.status_code == 202
    normal()
    deps = wiring.dependencies()
    # A takedown still running is left to itself: the sweep takes tombstones marked a while ago.
    assert takedown.finish_unfinished(deps) == {"finished": 0, "unfinished": 0}
    later = datetime.now(UTC) + timedelta(minutes=20)

    assert takedown.finish_unfinished(deps, now=later) == {"finished": 1, "unfinished": 0}

    assert objects(stack, video_id) == {}
    assert "gsi4pk" not in stack.catalog_item(video_id), "out of the sweep's index once finished"
    assert takedown.finish_unfinished(deps, now=later) == {"finished": 0, "unfinished": 0}


def stack_file(stack, tmp_path, moto_endpoint):
    """`.local/stack.json` as `make run` writes it, for the stack under test."""
    logical = [name for _, name in RESOURCE_VARIABLES.values()] + [name for _, name in DEAD_LETTER_QUEUES.values()]
    resources = {name: stack.name(name) for name in [*logical, "WebsiteBucket"]}
    path = tmp_path / "stack.json"
    path.write_text(
        json.dumps(
            {
                "api_url": "http://127.0.0.1:1",
                "aws_endpoint_url": moto_endpoint,
                "resources": resources,
                "admin_credentials": {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"},
            }
        )
    )
    return str(path)


def printed(capsys):
    """What the command printed last: its indented JSON answer (log lines of the functions come before)."""
    lines = capsys.readouterr().out.splitlines()
    start = max(index for index, line in enumerate(lines) if line == "{")
    return json.loads("\n".join(lines[start:]))


def test_an_operator_finishes_a_takedown_and_takes_a_film_down_from_the_command_line(
    api, stack, capsys, normal, tmp_path, moto_endpoint
):
    video_id, response, _ = half_done_takedown(api, stack, capsys)
    assert response.status_code == 202
    normal()
    path = stack_file(stack, tmp_path, moto_endpoint)

    omjr(["--stack-file", path, "ops", "takedown", video_id, "--reason", "family_request"])

    assert printed(capsys) == {"video_id": video_id, "status": "DELETED"}
    assert objects(stack, video_id) == {}

    other = write_ready_film(stack)
    assert publish(api, stack, other).status_code == 200
    omjr(["--stack-file", path, "ops", "takedown", other, "--reason", "family_request"])
    assert printed(capsys) == {"video_id": other, "status": "DELETED"}
    assert objects(stack, other) == {}
    assert is_gone(api, other)
    trail = get(api, f"/videos/{other}/audit", stack.keys["editor"]).json_body["items"]
    assert trail[-1]["action"] == "taken_down" and trail[-1]["actor"].startswith("operator")
    assert trail[-1]["details"]["reason"] == "family_request"
