"""The protection stage: a film whose `protect_identity` asks for anything gets a protected master
(faces blurred, voice disguised when asked) before it is transcoded (docs/PROTECTION.md).

`VALIDATING -> PROTECTING -> TRANSCODING` for a film protected at upload, `READY/UNPUBLISHED ->
PROTECTING -> TRANSCODING` when an editor asks for protection later. The stage reads exactly the
validated upload (If-Match on its ETag, like the transcode), finds where the faces are when faces are
asked, makes the master with ffmpeg (media/protect.py), stores it beside the source in the private
uploads bucket, records on the film what it carries (`protected_master`: key, ETag, faces, voice),
and hands the film to the transcode, which makes every public output from the master and only then
records `protection_applied`: that field always describes the outputs that exist.

Idempotent and retried like the transcode: one run per film, upload ETag and attempt; a failure that
is ours retries with backoff and ends FAILED with a reason at the queue's last delivery.
"""

from __future__ import annotations

import functools
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit

from chalicelib.clock import now_iso
from chalicelib.domain import lifecycle
from chalicelib.domain.errors import ConflictError, MediaError, ObjectReplacedError, StaleTransitionError
from chalicelib.domain.film import Film, Status
from chalicelib.domain.fingerprint import Fingerprint
from chalicelib.domain.object_keys import MASTER_NAME, master_key
from chalicelib.domain.protection import ProtectedMaster, record_of, voice_to_disguise
from chalicelib.domain.rules import DecodeCaps, decode_caps
from chalicelib.media.fingerprint import FRAMES_NAME, fingerprint_of
from chalicelib.media.protect import make_protected_master
from chalicelib.media.runner import MediaTimeoutError, ToolFailedError
from chalicelib.observability import count, logger, measure, subsegment
from chalicelib.services import changes
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.outcomes import fail, fail_on_time, reject
from chalicelib.services.replaced_uploads import follow_replaced_upload

if TYPE_CHECKING:
    from chalicelib.domain.faces import BlurRegion

# Time kept back from the Lambda's deadline to upload the master and record the outcome.
RESERVE_S = 30.0
# Of the time left, the share that face detection may take; the master's encode has the rest. Detection
# now does about 2.4x its old work on an ordinary film (each interval frame looked at three ways) and
# varies most with the film (a film cut every few frames: every frame detected), while the encode's
# time per second of film is steady: the share leans to detection (docs/FACE_DETECTION.md).
DETECTION_SHARE = 0.7
MASTER_CONTENT_TYPE = "video/x-matroska"
NOT_MEASURED = (
    "This film was validated before identity protection existed and its picture size is not recorded; "
    "an operator can retry it (python -m cli ops retry) to validate it again and protect it."
)


def protect_film(deps: Dependencies, video_id: str, deadline_s: float) -> None:
    """The protect stage's service (domain/stages.py), once per film message and attempt."""
    film = deps.catalog.get_film(video_id)
    if film is None or film.status is not Status.PROTECTING:
        if film is not None and film.status is Status.DELETED:
            # A run killed after storing its master, then a takedown: this retry is the last to know of it.
            _left_while_protecting(deps, video_id)
        else:
            logger.info("ignoring a protection request for a film not in PROTECTING")
        return
    wanted = film.protect_identity
    if wanted is None:
        # Nothing asked any more (it cannot change while the film is processed, but an old message may
        # carry a film whose protection was turned off): the transcode reads the source.
        _to_transcode(deps, film, None)
        return
    try:
        voice = voice_to_disguise(film.protect_identity, film.voice_disguise)
        if film.picture_width is None or film.picture_height is None or film.duration_s is None:
            raise ConflictError(NOT_MEASURED)
    except ConflictError as error:  # nothing a retry of the same message would change
        fail(deps, video_id, error.message)
        return
    started = time.monotonic()
    budget_s = max(deadline_s - min(RESERVE_S, deadline_s / 4), 1.0)
    with tempfile.TemporaryDirectory(prefix="omjr-protect-") as workdir:
        source_path = os.path.join(workdir, "source")
        master_path = Path(workdir) / MASTER_NAME
        frames_path = Path(workdir) / FRAMES_NAME
        try:
            # Exactly the file that was validated: S3 refuses the read if another replaced it since.
            deps.uploads.download(film.upload_key, source_path, film.upload_etag or "")
            # The transcode's own caps: a header that lied about the size or the length decodes no further here.
            caps = decode_caps(deps.settings.limits)
            regions = _face_regions(film, source_path, budget_s * DETECTION_SHARE, caps) if wanted.faces else []
            detected = time.monotonic()
            with subsegment("ffmpeg"):
                make_protected_master(
                    source_path,
                    master_path,
                    regions,
                    width=film.picture_width,
                    height=film.picture_height,
                    voice=voice,
                    audio=bool(film.has_audio),
                    duration_s=film.duration_s,
                    timeout_s=max(budget_s - (time.monotonic() - started), 1.0),
                    caps=caps,
                    fingerprint_frames=frames_path,
                )
            # The source's fingerprint, from the same decode (the transcode will read the blurred master).
            fingerprint = fingerprint_of(source_path, str(frames_path))
        except (ObjectReplacedError, MediaError) as error:
            _not_protected(deps, video_id, error, deadline_s)
            return
        key = master_key(video_id)
        deps.uploads.upload(str(master_path), key, MASTER_CONTENT_TYPE)
    stored = deps.uploads.current(key)
    if stored is None:  # taken down while it was uploaded
        logger.info("the protected master is gone right after its upload (taken down?)")
        return
    master = ProtectedMaster.made(key, stored.etag, wanted)
    if not _to_transcode(deps, film, master, fingerprint):
        return
    elapsed = time.monotonic() - started
    count("FilmsProtected")
    measure("ProtectSeconds", elapsed, MetricUnit.Seconds)
    measure("FaceDetectionSeconds", detected - started, MetricUnit.Seconds)
    logger.info(
        "protected master made",
        extra={**record_of(wanted), "regions": len(regions), "seconds": elapsed},
    )


def _face_regions(film: Film, source_path: str, timeout_s: float, caps: DecodeCaps) -> list[BlurRegion]:
    # Imported here: numpy and onnxruntime are in the protection function's layer only, and app.py
    # (so every function) imports this module.
    from chalicelib.services.face_regions import find_blur_regions

    assert film.picture_width and film.picture_height and film.duration_s
    with subsegment("face_detection"):
        return find_blur_regions(
            source_path,
            _detector(),
            width=film.picture_width,
            height=film.picture_height,
            duration_s=film.duration_s,
            timeout_s=timeout_s,
            caps=caps,
        )


@functools.cache
def _detector() -> Any:
    """One model session per warm container: loading it takes longer than detecting a frame."""
    from chalicelib.faces.centerface import CenterFaceDetector

    return CenterFaceDetector()


def _to_transcode(
    deps: Dependencies, film: Film, master: ProtectedMaster | None, fingerprint: Fingerprint | None = None
) -> bool:
    """PROTECTING -> TRANSCODING, and the next stage told; False when the film moved on meanwhile."""
    try:
        changes.apply(deps, lifecycle.protected(film, master, now_iso(), fingerprint))
    except StaleTransitionError:
        _left_while_protecting(deps, film.video_id)
        return False
    return True


def _left_while_protecting(deps: Dependencies, video_id: str) -> None:
    """The film moved on while it was protected. A takedown wins: a master stored after it deleted the
    film's uploads goes too (a child's face, blurred or not, is not kept for a film that is gone)."""
    film = deps.catalog.get_film(video_id)
    if film is not None and film.status is Status.DELETED:
        deps.uploads.delete(master_key(video_id))
        logger.info("film was taken down while it was protected; its master was removed")
    else:
        logger.info("film left PROTECTING while it was protected", extra={"status": film and film.status.value})


def _not_protected(deps: Dependencies, video_id: str, error: ObjectReplacedError | MediaError, limit_s: float) -> None:
    """As the transcode decides: a replaced upload is validated anew, our limits FAIL, the file REJECTs."""
    if isinstance(error, ObjectReplacedError):
        follow_replaced_upload(deps, video_id, Status.PROTECTING)
    elif isinstance(error, MediaTimeoutError):
        fail_on_time(deps, video_id, "Identity protection", limit_s)
    elif isinstance(error, ToolFailedError) and error.killed:
        fail(deps, video_id, "ffmpeg was stopped before the protected version was made (out of memory or disk?).")
    else:
        reject(deps, video_id, error.code, error.message)
