"""What the upload command remembers between runs, so that running it again after an interruption
continues each film where it stopped instead of sending it twice.

A film is known by its path, size and modification time: a file that was changed (say, re-exported
after a rejection) is a new film. The details it was sent with are kept too, so that a title corrected
in the list afterwards is noticed (cli/corrections.py). The state lives beside the manifest (or in the current folder)
in `.omjr-uploads.json`, one entry per film, for one API.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

STATE_FILE = ".omjr-uploads.json"


class UploadState:
    def __init__(self, folder: Path, api_url: str) -> None:
        self.path = folder / STATE_FILE
        self.api_url = api_url
        try:
            self._films: dict[str, dict[str, Any]] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self._films = {}  # none yet, or unreadable: start afresh

    @staticmethod
    def _key(film: Path) -> str:
        stat = film.stat()
        return f"{film.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"

    def video_id(self, film: Path) -> str | None:
        entry = self._films.get(self._key(film))
        return entry["video_id"] if entry and entry.get("api_url") == self.api_url else None

    def details(self, film: Path) -> dict[str, Any] | None:
        """The details the film was last sent or corrected with (None when an older run did not keep them)."""
        entry = self._films.get(self._key(film))
        return entry.get("details") if entry and entry.get("api_url") == self.api_url else None

    def remember(self, film: Path, video_id: str, details: dict[str, Any]) -> None:
        self._films[self._key(film)] = {"video_id": video_id, "api_url": self.api_url, "details": details}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self._films, indent=1) + "\n")
        os.replace(temporary, self.path)  # a run killed mid-write leaves the old state, never half of one
