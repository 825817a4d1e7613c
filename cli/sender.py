"""One film to storage: in one presigned POST or in parts, or continued where an earlier run stopped."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cli.client import IngestClient, post_file
from cli.corrections import RESEND, Corrector, with_protection_kept
from cli.parts import api_error, api_json, send_in_parts
from cli.progress import Batch, FileProgress
from cli.resume import UploadState
from cli.retry import api_request, with_retries

NEW, SENT, PARTS = "new", "sent", "parts"


class FilmRefusedError(Exception):
    """This film cannot be sent as it is (the API refused its details, or storage its file): the others go on."""


class FilmSender:
    def __init__(
        self,
        client: IngestClient,
        state: UploadState,
        out: Callable[[str], None],
        max_rate: float | None,
        multipart_from_mb: float,
        *,
        confirm: Callable[[str], bool] = lambda _: False,
    ) -> None:
        self.client, self.state, self.out = client, state, out
        self.corrector = Corrector(client, state, out, confirm)
        self.max_rate, self.multipart_from_bytes = max_rate, multipart_from_mb * 1000 * 1000

    def _earlier_run(self, name: str, video_id: str) -> str:
        """What became of a film an earlier run started: SENT (it arrived: not again), PARTS (continue
        from the parts that arrived) or NEW (start anew: expired, taken down, or a one-piece POST
        that cannot be continued and expires by itself)."""
        response = api_request(self.client, "GET", f"/uploads/{video_id}", name, self.out)
        if response.status_code == 404:
            return NEW
        status = api_json(response, name)["status"]
        if status in ("EXPIRED", "DELETED"):
            return NEW
        if status != "AWAITING_UPLOAD":
            return SENT
        parts = api_request(self.client, "GET", f"/uploads/{video_id}/parts", name, self.out)
        if parts.ok:
            return PARTS
        return SENT if api_error(parts).get("error") == "upload_complete" else NEW

    def send(self, path: Path, metadata: dict[str, Any], batch: Batch | None = None) -> str:
        """Send one film, or continue it where an earlier run stopped; returns its video id."""
        client, out = self.client, self.out
        size = path.stat().st_size
        video_id = self.state.video_id(path)
        earlier = self._earlier_run(path.name, video_id) if video_id else NEW
        if video_id and earlier != NEW and self.corrector.reconcile(path.name, path, video_id, metadata) == RESEND:
            earlier = NEW
            # Sent again as a new film (another country): it still hides what the first one hid.
            metadata = with_protection_kept(self.state.details(path), metadata)
        if video_id and earlier == SENT:
            out(f"  {path.name}: sent by an earlier run, not sent again\n")
            if batch is not None:
                batch.before += size
            return video_id
        progress = FileProgress(path.name, size, self.max_rate, batch)
        if video_id and earlier == PARTS:
            send_in_parts(client, video_id, path, progress, out)
            progress.finished()
            return video_id
        content_type = mimetypes.guess_type(path.name)[0] or "video/mp4"
        multipart = size >= self.multipart_from_bytes
        request = {
            **metadata,
            "filename": path.name,
            "size_bytes": size,
            "content_type": content_type,
            "multipart": multipart,
        }
        created = client.request("POST", "/uploads", json=request)
        if 400 <= created.status_code < 500 and created.status_code not in (401, 403):  # the film's, not the key's
            raise FilmRefusedError(f"the upload service refused it: {api_error(created).get('message')}")
        upload = api_json(created, f"{path.name}: the API refused it")
        video_id = str(upload["video_id"])
        for warning in upload.get("warnings", []):  # a school or a centre named: the office's call, so said
            out(f"{path.name}: {warning['message']}")
        self.state.remember(path, video_id, metadata)
        if multipart:
            send_in_parts(client, video_id, path, progress, out)
        else:
            response = with_retries(
                lambda: post_file(upload["upload"], path, content_type, progress.at), path.name, out
            )
            if response.status_code >= 400:
                raise FilmRefusedError(
                    f"storage refused the file ({response.status_code}); run the same command again to start it anew."
                )
        progress.finished()
        return video_id
