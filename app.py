"""OneMinutesJr ingest: wiring only. Routes live in blueprints; each pipeline handler calls one service."""

from __future__ import annotations

from collections.abc import Callable

from aws_lambda_powertools.utilities.data_classes import SQSEvent as SQSRecords
from chalice.app import Chalice, CloudWatchEvent, SQSEvent

from chalicelib import wiring
from chalicelib.api.editor import editor
from chalicelib.api.field_office import field_office
from chalicelib.api.public import public
from chalicelib.api.request_logging import log_request
from chalicelib.domain.stages import STAGES, Stage
from chalicelib.observability import count, observe_every_function
from chalicelib.services import (
    media_exposure,
    protection_catch_up,
    recovery,
    retention,
    share_pages,
    stage_messages,
    takedown,
)

app = Chalice(app_name="oneminutesjr-ingest")
# First registered, outermost: the request's own log line carries the Lambda context too.
app.register_middleware(observe_every_function)
app.register_middleware(log_request, "http")
app.register_blueprint(field_office)
app.register_blueprint(editor)
app.register_blueprint(public)


# One SQS handler per stage of the pipeline (chalicelib/domain/stages.py), named after the stage's function:
# Lambda calls `app.<function>`, and the local workers and the tests find it here by that name.
# One message per invocation: a film is the unit of retry, so one bad upload never sends another back to the
# queue, and a transcode owns the whole function while it runs. A stage's `max_concurrency` caps its runs at
# its function's reserved concurrency (.chalice/config.json): with reserved concurrency alone, Lambda's pollers
# take more messages than it may run and throttle them back to the queue, where they count as receives and
# land in the dead-letter queue without ever running (make deploy-check holds the two).
def stage_function(stage: Stage) -> Callable[[SQSEvent], None]:
    """`stage`'s SQS handler, registered on the app as the function `stage.function`."""

    def handler(event: SQSEvent) -> None:
        for record in SQSRecords(event.to_dict()).records:
            stage_messages.handle_record(wiring.dependencies(), stage, record, event.context)

    handler.__name__ = handler.__qualname__ = stage.function
    registered: Callable[[SQSEvent], None] = app.on_sqs_message(
        queue=stage.queue_name, batch_size=1, name=stage.function, maximum_concurrency=stage.max_concurrency
    )(handler)
    return registered


for _stage in STAGES:
    globals()[_stage.function] = stage_function(_stage)


# Expires unused uploads, catches films whose processing stopped without an outcome, deletes the raw
# uploads whose retention has ended (docs/PROTECTION.md, what is kept), finishes takedowns that left
# something behind and the making public of media whose tagging failed after a publish, brings the workshops'
# share pages in line with their published films, and sends to the protection stage the READY films whose
# transcode could not catch up the protection their office asked meanwhile.
@app.schedule("rate(10 minutes)", name="sweep_stuck_films")
def sweep_stuck_films(event: CloudWatchEvent) -> None:
    deps = wiring.dependencies()
    recovery.sweep(deps, deps.settings.sweep)
    recovery.retry_transient_failures(deps, deps.settings.sweep)
    retention.delete_due_sources(deps)
    takedown.finish_unfinished(deps)
    media_exposure.finish_due(deps)
    share_pages.finish_workshop_pages(deps)
    protection_catch_up.catch_up_ready_films(deps, deps.settings.sweep)
    # The heartbeat: its alarm fires when it goes missing (a sweep that stopped, or fails every run).
    count("SweepsCompleted")
