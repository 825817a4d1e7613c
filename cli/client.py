"""A small HTTP client for the ingest API: the field-office command, the local stack's demo, the end-to-end
tests and the benchmarks share it (it lives in cli/ because the deployed tools must not need the local stack)."""

from __future__ import annotations

import mimetypes
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import requests

# What an editor records before publishing (the demo and the tests stand in for real forms).
DEMO_CONSENT = {"guardian_consent": True, "child_assent": True, "reference": "demo: no real child"}
TERMINAL = frozenset({"READY", "REJECTED", "FAILED", "PUBLISHED", "EXPIRED", "DELETED"})
mimetypes.add_type("video/x-matroska", ".mkv")


class FilePart:
    """Bytes `offset`..`offset + length` of a file as a request body, read in pieces, with its length;
    `progress` hears how many of them were read so far."""

    CHUNK = 256 * 1024

    def __init__(self, path: Path, offset: int, length: int, progress: Callable[[int], None]) -> None:
        self._path, self._offset, self._length, self._progress = path, offset, length, progress

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        with self._path.open("rb") as file:
            file.seek(self._offset)
            while sent < self._length and (chunk := file.read(min(self.CHUNK, self._length - sent))):
                sent += len(chunk)
                self._progress(sent)
                yield chunk


class MultipartFile:
    """A multipart/form-data body read in pieces, with a known length (S3 wants Content-Length)."""

    def __init__(self, fields: dict[str, str], path: Path, content_type: str, progress: Callable[[int], None]):
        boundary = "omjr" + str(time.time_ns())
        self.content_type = f"multipart/form-data; boundary={boundary}"
        head = "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()
        )
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        self._head, self._tail = head.encode(), f"\r\n--{boundary}--\r\n".encode()
        self._file = FilePart(path, 0, path.stat().st_size, progress)
        self._length = len(self._head) + len(self._file) + len(self._tail)

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[bytes]:
        yield self._head
        yield from self._file
        yield self._tail


def post_file(
    upload: dict[str, Any], path: Path, content_type: str, progress: Callable[[int], None] = lambda _: None
) -> requests.Response:
    """The file to its presigned POST (`upload` is the API's `{url, fields}`), streamed, not read whole."""
    body = MultipartFile(upload["fields"], path, content_type, progress)
    headers = {"Content-Type": body.content_type, "Content-Length": str(len(body))}
    return requests.post(upload["url"], data=body, headers=headers, timeout=600)


class IngestClient:
    def __init__(self, api_url: str, api_key: str | None = None, timeout_s: float = 30.0) -> None:
        self.api_url = api_url.rstrip("/")
        self.session = requests.Session()
        if api_key:
            self.session.headers["x-api-key"] = api_key
        self.timeout_s = timeout_s

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, f"{self.api_url}{path}", timeout=self.timeout_s, **kwargs)

    def upload(self, path: Path, metadata: dict[str, Any]) -> str:
        """Create the upload, then POST the file to its presigned URL; return the video id."""
        content_type = mimetypes.guess_type(path.name)[0] or "video/mp4"
        body = {"filename": path.name, "size_bytes": path.stat().st_size, "content_type": content_type, **metadata}
        response = self.request("POST", "/uploads", json=body)
        response.raise_for_status()
        created = response.json()
        post_file(created["upload"], path, content_type).raise_for_status()
        return str(created["video_id"])

    def publish(self, video_id: str, consent: dict[str, Any] | None = None) -> dict[str, Any]:
        """Record consent, then publish (editor key)."""
        self.request("POST", f"/videos/{video_id}/consent", json=consent or DEMO_CONSENT).raise_for_status()
        response = self.request("POST", f"/videos/{video_id}/publish", json={})
        response.raise_for_status()
        published: dict[str, Any] = response.json()
        return published

    def wait_for_terminal(self, video_id: str, timeout_s: float = 180.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            response = self.request("GET", f"/uploads/{video_id}")
            response.raise_for_status()
            upload: dict[str, Any] = response.json()
            if upload["status"] in TERMINAL or time.monotonic() > deadline:
                return upload
            time.sleep(0.5)
