"""Stage two: a validated upload becomes web renditions, a poster and a sprite; the film becomes READY."""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

from chalicelib.clock import now_iso
from chalicelib.domain.errors import MediaError, StaleTransitionError
from chalicelib.domain.film import Status
from chalicelib.domain.ladder import plan_renditions, plan_sprite, poster_time
from chalicelib.domain.rules import check_duration
from chalicelib.media.probe import probe
from chalicelib.media.runner import MediaTimeoutError
from chalicelib.media.transcode import Outputs, TranscodePlan, transcode
from chalicelib.observability import count, logger
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.validate import reject

MEDIA_PREFIX = "films/"
# Time kept back from the Lambda's deadline to upload outputs and record the outcome.
RESERVE_S = 20.0


def media_prefix(video_id: str) -> str:
    return f"{MEDIA_PREFIX}{video_id}/"


def handle_event(deps: Dependencies, event: dict[str, Any], deadline_s: float) -> None:
    for record in event.get("Records", []):
        message = json.loads(record["body"])
        logger.append_keys(video_id=message["video_id"])
        transcode_film(deps, message["video_id"], deadline_s)


def transcode_film(deps: Dependencies, video_id: str, deadline_s: float) -> None:
    film = deps.catalog.get_film(video_id)
    if film is None or film["status"] != Status.TRANSCODING.value:
        logger.info("ignoring a transcode request for a film not in TRANSCODING")
        return
    with tempfile.TemporaryDirectory(prefix="omjr-transcode-") as workdir:
        source_path = os.path.join(workdir, "source")
        deps.uploads.download(film["upload_key"], source_path)
        out_dir = os.path.join(workdir, "out")
        os.mkdir(out_dir)
        try:
            source = probe(source_path, os.path.getsize(source_path))
            if source.video is None or source.duration_s is None:
                raise MediaError("The file changed after it was validated and can no longer be read.")
            limits = deps.settings.limits
            plan = TranscodePlan(
                source=source,
                renditions=plan_renditions(source.video),
                sprite=plan_sprite(source.video, source.duration_s),
                poster_at_s=poster_time(source.duration_s),
                # Read no more than a little past the longest valid film, whatever the header claims.
                max_duration_s=limits.max_duration_s + 1,
            )
            outputs = transcode(source_path, out_dir, plan, timeout_s=max(deadline_s - RESERVE_S, 1.0))
            top = next(iter(outputs.renditions.values()))
            decoded = probe(top, os.path.getsize(top)).duration_s
        except MediaTimeoutError as error:
            _fail(deps, video_id, error.message)
            return
        except MediaError as error:
            reject(deps, video_id, Status.TRANSCODING, error.code, error.message)
            return
        rejection = check_duration(decoded, limits)
        if rejection is not None:
            # The header said one minute; the frames say otherwise.
            reject(deps, video_id, Status.TRANSCODING, rejection.code, rejection.reason)
            return
        fields = _publish_outputs(deps, video_id, plan, outputs)
    fields["duration_s"] = round(float(decoded or 0), 3)
    try:
        deps.catalog.transition(video_id, Status.READY, now_iso(), fields)
    except StaleTransitionError:
        logger.info("film left TRANSCODING while it was transcoded (taken down?); outputs removed")
        deps.media.delete_prefix(media_prefix(video_id))
        return
    count("FilmsReady")
    logger.info("film ready", extra={"renditions": [r["name"] for r in fields["renditions"]]})


def _publish_outputs(deps: Dependencies, video_id: str, plan: TranscodePlan, outputs: Outputs) -> dict[str, Any]:
    prefix = media_prefix(video_id)
    renditions = []
    for rendition in plan.renditions:
        key = f"{prefix}{rendition.name}.mp4"
        deps.media.upload(outputs.renditions[rendition.name], key, "video/mp4")
        renditions.append({"name": rendition.name, "key": key, "width": rendition.width, "height": rendition.height})
    deps.media.upload(outputs.poster, f"{prefix}poster.jpg", "image/jpeg")
    deps.media.upload(outputs.sprite, f"{prefix}sprite.jpg", "image/jpeg")
    return {"renditions": renditions, "poster_key": f"{prefix}poster.jpg", "sprite_key": f"{prefix}sprite.jpg"}


def _fail(deps: Dependencies, video_id: str, reason: str) -> None:
    try:
        deps.catalog.transition(
            video_id, Status.FAILED, now_iso(), {"reason_code": "processing_failed", "reason": reason}
        )
    except StaleTransitionError:
        return
    count("FilmsFailed")
    logger.error("transcode failed", extra={"reason": reason})
