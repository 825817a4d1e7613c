"""On the local stack over real HTTP: a takedown always wins a race and leaves nothing behind (no
object, no listing entry, no part of an unfinished upload), and replaced or removed subtitles stop
answering at their old URL."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest
import requests

from local.resources import ROOT
from tests.e2e.conftest import RunningStack, aws

OMJR = [sys.executable, "-m", "cli"]

SRT = b"1\n00:00:01,000 --> 00:00:04,000\nLeyla Mammadova walks home.\n"
CORRECTED = b"1\n00:00:01,000 --> 00:00:04,000\nLeyla walks home.\n"
CONSENT = {"guardian_consent": True, "child_assent": True, "reference": "forms, box 3"}
ROUNDS = 2
# What lands at the same moment as the takedown: each kind of editor's change that bumps the film.
RIVALS = ("publish", "patch", "subtitles")


def leftovers(stack: RunningStack, video_id: str) -> dict[str, list]:
    """Whatever of the film is still stored: objects, unfinished uploads, listing entries."""
    s3, resources = aws(stack, "s3"), stack.info["resources"]
    found: dict[str, list] = {}
    for bucket in ("UploadsBucket", "MediaBucket"):
        for prefix in (f"uploads/{video_id}/", f"films/{video_id}/", f"staging/{video_id}/"):
            listed = s3.list_objects_v2(Bucket=resources[bucket], Prefix=prefix).get("Contents", [])
            found.setdefault("objects", []).extend(item["Key"] for item in listed)
    uploads = s3.list_multipart_uploads(Bucket=resources["UploadsBucket"], Prefix=f"uploads/{video_id}/")
    found["multipart_uploads"] = [upload["Key"] for upload in uploads.get("Uploads", [])]
    entries = aws(stack, "dynamodb").query(
        TableName=resources["CatalogTable"],
        KeyConditionExpression="pk = :pk AND begins_with(sk, :list)",
        ExpressionAttributeValues={":pk": {"S": f"FILM#{video_id}"}, ":list": {"S": "LIST#"}},
    )
    found["listing_entries"] = [item["sk"]["S"] for item in entries["Items"]]
    return {kind: keys for kind, keys in found.items() if keys}


@pytest.fixture(scope="module")
def ready_films(running_stack: RunningStack, clips) -> list[str]:
    """One READY film per race and one for subtitles, uploaded together so they transcode together."""
    office = running_stack.client("field_office")
    metadata = {
        "title": "Race",
        "country": "AZ",
        "topics": ["violence"],
        "author": {"first_name": "Ali", "age": 12},
        "workshop": "takedown-races",
    }
    video_ids = [office.upload(clips["valid"], metadata) for _ in range(ROUNDS * len(RIVALS) + 1)]
    for video_id in video_ids:
        assert office.wait_for_terminal(video_id, timeout_s=300)["status"] == "READY"
    return video_ids


def at_once(*calls: Callable[[], requests.Response]) -> list[requests.Response]:
    """Fire every call at the same moment, each from its own thread; their responses in order."""
    start = threading.Barrier(len(calls))
    responses: list[requests.Response | None] = [None] * len(calls)

    def run(n: int) -> None:
        start.wait(timeout=30)
        responses[n] = calls[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(response is not None for response in responses), "a request did not come back"
    return [response for response in responses if response is not None]


def test_a_takedown_wins_every_race_and_leaves_nothing(running_stack: RunningStack, ready_films):
    editor, api_url = running_stack.client("editor"), running_stack.info["api_url"]
    video_ids = iter(ready_films[1:])
    for _ in range(ROUNDS):
        for kind in RIVALS:
            video_id = next(video_ids)
            editor.request("POST", f"/videos/{video_id}/consent", json=CONSENT).raise_for_status()
            if kind != "publish":
                editor.request("POST", f"/videos/{video_id}/publish", json={}).raise_for_status()
            rival = {
                "publish": lambda v=video_id: editor.request("POST", f"/videos/{v}/publish", json={}),
                "patch": lambda v=video_id: editor.request("PATCH", f"/videos/{v}", json={"title_en": "Race"}),
                "subtitles": lambda v=video_id: editor.request(
                    "PUT", f"/videos/{v}/subtitles/en", data=SRT, headers={"content-type": "application/x-subrip"}
                ),
            }[kind]
            takedown, *rivals = at_once(
                lambda v=video_id: editor.request("DELETE", f"/videos/{v}", json={"reason": "safeguarding"}),
                rival,
                rival,
            )

            assert takedown.status_code == 200, (kind, takedown.text)
            assert takedown.json() == {"video_id": video_id, "status": "DELETED"}
            assert {response.status_code for response in rivals} <= {200, 404, 409}, [r.text for r in rivals]
            # Gone (410) once it had been published; a rival publish may have committed before the takedown (410)
            # or lost to it (404), whatever it answered.
            gone = requests.get(f"{api_url}/videos/{video_id}", timeout=10)
            assert gone.status_code in ({404, 410} if kind == "publish" else {410}), (kind, gone.text)
            assert leftovers(running_stack, video_id) == {}, kind
    listed = requests.get(f"{api_url}/videos", params={"workshop": "takedown-races"}, timeout=10).json()["items"]
    assert listed == []


PART_SIZE = 8 * 2**20


def film_in_parts(office: Any, title: str, filename: str) -> tuple[str, list[str]]:
    """A film sent in parts whose first of its three parts arrived: its id and the URLs of parts 1 and 2."""
    body = {
        "title": title,
        "country": "AZ",
        "topics": ["violence"],
        "author": {"first_name": "Ali", "age": 12},
        "filename": filename,
        "size_bytes": 2 * PART_SIZE + 100,
        "content_type": "video/mp4",
        "multipart": True,
    }
    created = office.request("POST", "/uploads", json=body)
    assert created.status_code == 201, created.text
    video_id = created.json()["video_id"]
    parts = office.request("POST", f"/uploads/{video_id}/parts", json={"part_numbers": [1, 2]}).json()["parts"]
    urls = [part["url"] for part in parts]
    requests.put(urls[0], data=b"a" * PART_SIZE, timeout=60).raise_for_status()
    return video_id, urls


def test_a_takedown_discards_the_parts_of_an_unfinished_upload(running_stack: RunningStack):
    office, editor = running_stack.client("field_office"), running_stack.client("editor")
    video_id, (_, second) = film_in_parts(office, "Half sent", "half.mp4")
    assert leftovers(running_stack, video_id)["multipart_uploads"] == [f"uploads/{video_id}/source.mp4"]

    assert editor.request("DELETE", f"/videos/{video_id}", json={"reason": "safeguarding"}).status_code == 200
    late = requests.put(second, data=b"b" * PART_SIZE, timeout=60)  # a URL handed out before the takedown
    assert not late.ok
    assert leftovers(running_stack, video_id) == {}
    assert office.request("GET", f"/uploads/{video_id}/parts").status_code == 404


def test_an_operator_takes_a_film_down_from_the_command_line_parts_and_all(running_stack: RunningStack):
    office, editor = running_stack.client("field_office"), running_stack.client("editor")
    video_id, _ = film_in_parts(office, "Taken down at 3 am", "night.mp4")

    done = subprocess.run(
        [
            *OMJR,
            "--stack-file",
            str(running_stack.state_dir / "stack.json"),
            "ops",
            "takedown",
            video_id,
            "--reason",
            "safeguarding",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    assert json.loads(done.stdout[done.stdout.rindex("{\n") :]) == {"video_id": video_id, "status": "DELETED"}
    assert leftovers(running_stack, video_id) == {}
    trail = editor.request("GET", f"/videos/{video_id}/audit").json()["items"]
    assert trail[-1]["action"] == "taken_down" and trail[-1]["actor"].startswith("operator")
    assert office.request("GET", f"/uploads/{video_id}").status_code == 404


def test_replaced_and_removed_subtitles_stop_answering(running_stack: RunningStack, ready_films):
    editor, api_url = running_stack.client("editor"), running_stack.info["api_url"]
    video_id = ready_films[0]
    subrip = {"content-type": "application/x-subrip"}
    assert editor.request("PUT", f"/videos/{video_id}/subtitles/en", data=SRT, headers=subrip).status_code == 200
    editor.publish(video_id, CONSENT)

    def subtitles_url() -> str:
        film = requests.get(f"{api_url}/videos/{video_id}", timeout=10).json()
        return str(film["subtitles"][0]["url"]) if film["subtitles"] else ""

    first = subtitles_url()
    assert requests.get(first, timeout=10).content.endswith(b"Leyla Mammadova walks home.\n")
    assert editor.request("PUT", f"/videos/{video_id}/subtitles/en", data=CORRECTED, headers=subrip).ok
    second = subtitles_url()
    assert second != first and requests.get(second, timeout=10).status_code == 200
    assert requests.get(first, timeout=10).status_code != 200, "the old text is gone from the public URL"
    editor.request("POST", f"/videos/{video_id}/unpublish").raise_for_status()
    editor.request("POST", f"/videos/{video_id}/publish", json={}).raise_for_status()
    assert requests.get(first, timeout=10).status_code != 200, "also after unpublish and publish"

    assert editor.request("DELETE", f"/videos/{video_id}/subtitles/en").status_code == 200
    assert subtitles_url() == "" and requests.get(second, timeout=10).status_code != 200
    assert editor.request("DELETE", f"/videos/{video_id}/subtitles/en").json()["error"] == "subtitles_not_found"
