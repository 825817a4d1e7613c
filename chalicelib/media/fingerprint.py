"""The picture fingerprint's frames, taken in a decode the pipeline already runs, and the file's digest.

A branch of the stage's own ffmpeg graph, from the picture as decoded (rotation applied, before any
correction or blur): SAMPLES_PER_S frames a second, shrunk to FRAME_SIZE x FRAME_SIZE grey (area
averaging: what is left is the picture's layout, not its detail), written raw to a file beside the
stage's other outputs. The transcode takes it for a film that asks for no protection, the protection
stage for one that does (it is the stage that reads the source). The hashing is domain/fingerprint.py's.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from chalicelib.domain.fingerprint import FRAME_SIZE, SAMPLES_PER_S, Fingerprint, frame_hashes

FRAMES_NAME = "fingerprint.gray"
_CHUNK = 1 << 20


def frames_chain() -> str:
    """The branch's filters, as a filtergraph chain."""
    return f"fps={SAMPLES_PER_S},scale={FRAME_SIZE}:{FRAME_SIZE}:flags=area,format=gray"


def frames_branch(picture: Any, path: str) -> Any:
    """The branch as an ffmpeg-python output of `picture` (the decoded video stream) to `path`."""
    small = picture.filter("fps", SAMPLES_PER_S).filter("scale", FRAME_SIZE, FRAME_SIZE, flags="area")
    return small.filter("format", "gray").output(path, format="rawvideo")


def frames_output_args(label: str, path: str) -> list[str]:
    """The branch's output, for a command whose filter script makes `[label]` with `frames_chain()`."""
    return ["-map", f"[{label}]", "-f", "rawvideo", path]


def fingerprint_of(source: str, frames: str) -> Fingerprint:
    """The fingerprint of the file at `source`, from the frames its decode wrote to `frames`."""
    return Fingerprint.made(file_digest(source), frame_hashes(Path(frames).read_bytes()))


def file_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
