"""A film's upload replaced at its key while the film was validated or transcoded.

A presigned POST stays valid for its whole window, so a second POST can put another file at the key
after the first one's event. Validation and transcoding read exactly the object an event announced
(If-Match on its ETag) and S3 refuses them once it was replaced. The file that is there now is then
validated from the start as a new attempt, under its own ETag: nothing that was not validated is ever
transcoded, and the film does not wait for an event that may already have come and been ignored.
"""

from __future__ import annotations

from chalicelib.clock import now_iso
from chalicelib.domain import lifecycle
from chalicelib.domain.errors import StaleTransitionError
from chalicelib.domain.film import Status
from chalicelib.observability import count, logger
from chalicelib.services import changes
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.outcomes import fail


def follow_replaced_upload(deps: Dependencies, video_id: str, stage: Status) -> None:
    """The read of the film's upload in `stage` was refused: validate the file at its key now instead."""
    film = deps.catalog.get_film(video_id)
    if film is None or film.status is not stage:
        return  # it moved on meanwhile (a takedown, or the newer file's own validation)
    current = deps.uploads.current(film.upload_key)
    if current is None:
        fail(deps, video_id, "The uploaded file was removed before it could be processed; upload it again.")
        return
    if stage is Status.VALIDATING and current.etag == film.upload_etag:
        # The refused read was a late event's for an older file: the film already follows the newer one,
        # whose own validation runs (or ran) from its event.
        logger.info("a replaced upload's late event was refused")
        return
    replaced = lifecycle.upload_replaced(film, now_iso(), etag=current.etag, size_bytes=current.size_bytes)
    try:
        changes.apply(deps, replaced)  # UPLOADED, and told to the validate stage: validated from the start
    except StaleTransitionError:
        return
    count("UploadsReplaced")
    attempt = replaced.after.attempt
    logger.warning("upload replaced; validating the file there now", extra={"stage": stage.value, "attempt": attempt})
