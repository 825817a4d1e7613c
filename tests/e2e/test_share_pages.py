"""Share pages as a link previewer reads them: a plain HTTP GET from the CDN (the local stand-in), no script run,
the head's tags parsed, the image they name fetched. A film's page and its workshop's are served while they have
something published, and are gone from the bucket and the CDN once the film is unpublished or taken down.
Every function runs under its own role (moto checks IAM), so the pages' writes and deletions are allowed
exactly as deployed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import requests
from botocore.exceptions import ClientError

from chalicelib.services.share_pages import finish_workshop_pages
from tests.e2e.conftest import RunningStack, aws
from tests.e2e.test_roles import as_sweep
from tests.share_head import Head

WORKSHOP = "share-e2e-2026"
STORY = {
    "title": "Share pages, a workshop of one film",
    "city": "Bishkek",
    "country": "KG",
    "starts_on": "2026-11-30",
    "ends_on": "2026-12-04",
    "paragraphs": ["Young people filmed what a link looks like when it is shared."],
}
# A share image's budget: chat apps fetch it on slow phones, and some skip images over about 300 kB.
IMAGE_BYTES = 100_000


def previewed(url: str, tmp_path: Path) -> Head:
    """What a previewer makes of `url`: the page's head, and its image fetched and checked small and whole."""
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html"), (url, page.status_code)
    head = Head(page.text)
    assert head.scripts == 0 and head.canonical == head.meta["og:url"] == url
    assert head.meta["twitter:card"] == "summary_large_image"
    image = requests.get(head.meta["og:image"], timeout=10)
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/jpeg"
    assert len(image.content) < IMAGE_BYTES
    path = tmp_path / "share.jpg"
    path.write_bytes(image.content)
    probed = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=width,height", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    [size] = json.loads(probed.stdout)["streams"]
    assert (str(size["width"]), str(size["height"])) == (head.meta["og:image:width"], head.meta["og:image:height"])
    assert (size["width"], size["height"]) == (1200, 630)
    return head


def gone(stack: RunningStack, url: str) -> bool:
    """Neither served by the CDN nor kept in the bucket."""
    key = url.removeprefix(f"{stack.info['media_base_url']}/")
    try:
        aws(stack, "s3").head_object(Bucket=stack.info["resources"]["MediaBucket"], Key=key)
    except ClientError as error:
        stored = error.response["Error"]["Code"] not in ("404", "NoSuchKey")
    else:
        stored = True
    return requests.get(url, timeout=10).status_code in (403, 404) and not stored


def published_film(
    stack: RunningStack, clips: dict[str, Path], title: str, workshop: str = WORKSHOP
) -> tuple[str, dict[str, Any]]:
    office = stack.client("field_office")
    metadata = {
        "title": title,
        "country": "KG",
        "topics": ["violence"],
        "author": {"first_name": "Aigul", "age": 15},
        "workshop": workshop,
        "description": "What a shared link shows.",
    }
    video_id = office.upload(clips["valid"], metadata)
    assert office.wait_for_terminal(video_id, timeout_s=240)["status"] == "READY"
    assert stack.client("editor").publish(video_id)["status"] == "PUBLISHED"
    film: dict[str, Any] = requests.get(f"{stack.info['api_url']}/videos/{video_id}", timeout=10).json()
    return video_id, film


def test_share_pages_are_read_without_scripts_and_go_with_an_unpublish_and_a_takedown(
    running_stack: RunningStack, clips, tmp_path
):
    stack, api_url = running_stack, running_stack.info["api_url"]
    editor = stack.client("editor")
    assert editor.request("PUT", f"/workshops/{WORKSHOP}/story", json=STORY).status_code == 200
    video_id, film = published_film(stack, clips, "The link")

    head = previewed(film["share_url"], tmp_path)
    assert head.meta["og:title"] == "The link"
    assert head.meta["og:description"] == "By Aigul, 15. What a shared link shows."
    assert head.meta["og:image"] == film["share_image_url"]
    workshop_url = requests.get(f"{api_url}/workshops/{WORKSHOP}", timeout=10).json()["share_url"]
    workshop = previewed(workshop_url, tmp_path)
    assert workshop.meta["og:title"] == STORY["title"]
    assert workshop.meta["og:image"] == film["share_image_url"], "its one published film's image"

    assert editor.request("POST", f"/videos/{video_id}/unpublish").status_code == 200
    assert gone(stack, film["share_url"]) and gone(stack, workshop_url)
    assert requests.get(film["share_image_url"], timeout=10).status_code == 403

    assert editor.publish(video_id)["status"] == "PUBLISHED"
    assert previewed(film["share_url"], tmp_path).meta["og:title"] == "The link", "written again"
    assert previewed(workshop_url, tmp_path).meta["og:title"] == STORY["title"]

    assert editor.request("DELETE", f"/videos/{video_id}").json()["status"] == "DELETED"
    assert gone(stack, film["share_url"]) and gone(stack, workshop_url)


def test_the_sweep_s_role_writes_a_missing_workshop_page_and_deletes_a_stray_one(
    running_stack: RunningStack, clips, tmp_path
):
    """What the functions' sweep does for workshops published before their pages existed, under its own role."""
    stack, resources = running_stack, running_stack.info["resources"]
    published_film(stack, clips, "Before the pages", workshop="sweep-e2e-2026")
    workshop_url = requests.get(f"{stack.info['api_url']}/workshops/sweep-e2e-2026", timeout=10).json()["share_url"]
    admin = aws(stack, "s3")
    admin.delete_object(Bucket=resources["MediaBucket"], Key="films/workshops/sweep-e2e-2026/share.html")
    stray = "films/workshops/gone-2011/share.html"
    admin.put_object(Bucket=resources["MediaBucket"], Key=stray, Body=b"<!doctype html>", ContentType="text/html")
    settings = SimpleNamespace(media_base_url=stack.info["media_base_url"], site_url=stack.info["web_url"])
    sweep = as_sweep(stack, cast(Any, settings))

    # The stack's own sweep, every minute under the same role, may come first: either way, the role did it.
    finish_workshop_pages(sweep)

    assert previewed(workshop_url, tmp_path).meta["og:title"] == "Films from the Sweep E2e 2026 workshop"
    assert gone(stack, f"{stack.info['media_base_url']}/{stray}")
