"""One film to storage: in one presigned POST or in parts, or continued where an earlier run stopped."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cli.parts import api_json, send_in_parts
from cli.progress import Batch, FileProgress
from cli.resume import UploadState
from cli.retry import with_retries
from local.client import IngestClient, post_file


class FilmSender:
    def __init__(self, client: IngestClient, state: UploadState, out: Callable[[str], None],
                 max_rate: float | None, multipart_from_mb: float) -> None:  # fmt: skip
        self.client, self.state, self.out = client, state, out
        self.max_rate, self.multipart_from_bytes = max_rate, multipart_from_mb * 2**20

    def _earlier_status(self, video_id: str) -> str | None:
        """The status of a film an earlier run started; None if it must start anew (expired, taken down)."""
        response = self.client.request("GET", f"/uploads/{video_id}")
        status = response.json().get("status") if response.status_code == 200 else None
        return None if status in ("EXPIRED", "DELETED") else status

    def send(self, path: Path, metadata: dict[str, Any], batch: Batch | None = None) -> str:
        """Send one film, or continue it where an earlier run stopped; returns its video id."""
        client, out = self.client, self.out
        size = path.stat().st_size
        progress = FileProgress(path.name, size, out, self.max_rate, batch)
        video_id = self.state.video_id(path)
        status = self._earlier_status(video_id) if video_id else None
        if video_id and status not in (None, "AWAITING_UPLOAD"):
            out(f"  {path.name}: sent by an earlier run ({status}), not sent again\n")
            if batch is not None:
                batch.before += size
            return video_id
        if video_id and status == "AWAITING_UPLOAD" and client.request("GET", f"/uploads/{video_id}/parts").ok:
            send_in_parts(client, video_id, path, progress, out)
            progress.finished()
            return video_id
        # Anything else starts anew; an unfinished one-piece POST cannot be continued and expires by itself.
        content_type = mimetypes.guess_type(path.name)[0] or "video/mp4"
        multipart = size >= self.multipart_from_bytes
        request = {**metadata, "filename": path.name, "size_bytes": size, "content_type": content_type,
                   "multipart": multipart}  # fmt: skip
        upload = api_json(client.request("POST", "/uploads", json=request), f"{path.name}: the API refused it")
        video_id = str(upload["video_id"])
        self.state.remember(path, video_id)
        if multipart:
            send_in_parts(client, video_id, path, progress, out)
        else:
            response = with_retries(
                lambda: post_file(upload["upload"], path, content_type, progress.at), path.name, out
            )
            if response.status_code >= 400:
                raise SystemExit(f"\n{path.name}: storage refused the file ({response.status_code}); "
                                 "run the same command again to start it anew.")  # fmt: skip
        progress.finished()
        return video_id
