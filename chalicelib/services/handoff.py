"""Handing a film to a stage (domain/stages.py): on the stage's queue, in the message that stage reads.

Which stage comes next follows from the film's status, never from a list kept here: a stage that ends by
moving a film to another status hands it to the first stage of that status, and a step that leaves the
status as it was hands it to the next stage of the same status.
"""

from __future__ import annotations

from chalicelib.domain.film import Film
from chalicelib.domain.stages import Message, Stage, stage_after, stage_for
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.messages import film_message, upload_notification


def send_to(deps: Dependencies, stage: Stage, film: Film) -> None:
    """Queue `film` for `stage`, once more if it was already."""
    queue = deps.queue(stage)
    if stage.message is Message.UPLOAD_NOTIFICATION:
        queue.send_raw(upload_notification(deps.settings.uploads_bucket, film))
    else:
        queue.send(film_message(film))


def hand_on(deps: Dependencies, film: Film, after: Stage | None = None) -> Stage:
    """Queue `film` for the stage its status waits for (the one following `after`, when that stage hands it on
    in the same status); raises NoStageError for a status no stage runs in. Returns the stage."""
    stage = stage_for(film.status) if after is None else stage_after(after, film.status)
    send_to(deps, stage, film)
    return stage
