"""A large film in parts: ask the API which parts it holds, send each missing one to a freshly
signed URL (so a slow link never outlives a URL), then have the API put the parts together."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from cli.client import FilePart, IngestClient
from cli.progress import FileProgress
from cli.retry import api_request, with_retries


def api_error(response: requests.Response) -> dict[str, Any]:
    """The API's `{error, message}` of a refusal (a gateway's page in front of it becomes the message)."""
    if response.headers.get("content-type", "").startswith("application/json"):
        body: dict[str, Any] = response.json()
        return body
    return {"error": None, "message": response.text[:200]}


def api_json(response: requests.Response, what: str) -> dict[str, Any]:
    if response.status_code >= 400:
        raise SystemExit(f"\n{what}: {api_error(response).get('message')} ({response.status_code})")
    result: dict[str, Any] = response.json()
    return result


def send_in_parts(
    client: IngestClient, video_id: str, path: Path, progress: FileProgress, out: Callable[[str], None]
) -> None:
    status = api_json(api_request(client, "GET", f"/uploads/{video_id}/parts", path.name, out), path.name)
    part_size, total = status["part_size"], status["parts_total"]
    done = sum(part["size_bytes"] for part in status["arrived"])
    if status["arrived"]:
        out(f"  {path.name}: continuing: {len(status['arrived'])} of {total} parts were sent before\n")
    progress.at(done, paced=False)
    for number in status["missing"]:
        offset = (number - 1) * part_size
        length = min(part_size, path.stat().st_size - offset)

        def send(
            number: int = number, offset: int = offset, length: int = length, before: int = done
        ) -> requests.Response:
            signing = client.request("POST", f"/uploads/{video_id}/parts", json={"part_numbers": [number]})
            if signing.status_code >= 500:
                return signing  # retried
            signed = api_json(signing, path.name)
            body = FilePart(path, offset, length, lambda sent: progress.at(before + sent))
            return requests.put(signed["parts"][0]["url"], data=body, timeout=600)

        response = with_retries(send, f"{path.name} part {number}/{total}", out)
        if response.status_code >= 400:
            raise SystemExit(f"\n{path.name}: storage refused part {number} ({response.status_code}); run the "
                             "same command again to continue.")  # fmt: skip
        done += length
    api_json(api_request(client, "POST", f"/uploads/{video_id}/complete", path.name, out, json={}), path.name)
