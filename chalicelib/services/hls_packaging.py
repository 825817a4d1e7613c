"""A transcode's renditions as HLS: one playlist per rung, addressing its fragmented MP4 by byte ranges,
and the master playlist that names them, written beside the renditions."""

from __future__ import annotations

import os
from dataclasses import dataclass

from chalicelib.domain.hls import MASTER_NAME, master_playlist, media_playlist, segments
from chalicelib.media.fragments import read_rung
from chalicelib.media.transcode import Outputs, TranscodePlan, rendition_file


@dataclass(frozen=True)
class Playlists:
    master: str
    rungs: dict[str, str]  # rendition name -> its playlist's path


def write_playlists(out_dir: str, plan: TranscodePlan, outputs: Outputs, duration_s: float) -> Playlists:
    """The playlists of the rungs in `outputs`, their segments starting at the plan's segment starts and the
    last one ending at `duration_s` (the picture's decoded length)."""
    variants = []
    rungs = {}
    for rendition in plan.renditions:
        rung = read_rung(outputs.renditions[rendition.name], rendition.name, rendition_file(rendition))
        parts = segments(rung, plan.segment_starts, duration_s)
        rungs[rendition.name] = _write(out_dir, rung.playlist_name, media_playlist(rung, parts))
        variants.append((rung, parts))
    return Playlists(master=_write(out_dir, MASTER_NAME, master_playlist(variants)), rungs=rungs)


def _write(out_dir: str, name: str, text: str) -> str:
    path = os.path.join(out_dir, name)
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
    return path
