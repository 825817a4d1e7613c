"""OneMinutesJr ingest: wiring only. Routes live in blueprints; pipeline handlers hand off to chalicelib."""

from __future__ import annotations

from chalice.app import Chalice, CloudWatchEvent, SQSEvent

from chalicelib import config, handlers
from chalicelib.api.editor import editor
from chalicelib.api.field_office import field_office
from chalicelib.api.public import public
from chalicelib.api.request_logging import log_request

app = Chalice(app_name="oneminutesjr-ingest")
app.register_middleware(log_request, "http")
app.register_blueprint(field_office)
app.register_blueprint(editor)
app.register_blueprint(public)


# One message per invocation: a film is the unit of retry, so one bad upload never sends
# another back to the queue, and a transcode owns the whole function while it runs.
@app.on_sqs_message(queue=config.UPLOADS_QUEUE_NAME, batch_size=1, name="validate_upload")
def validate_upload(event: SQSEvent) -> None:
    handlers.validate_upload(event.to_dict(), event.context)


@app.on_sqs_message(queue=config.TRANSCODE_QUEUE_NAME, batch_size=1, name="transcode_film")
def transcode_film(event: SQSEvent) -> None:
    handlers.transcode_film(event.to_dict(), event.context)


# Expires unused uploads and catches films whose processing stopped without an outcome.
@app.schedule("rate(10 minutes)", name="sweep_stuck_films")
def sweep_stuck_films(event: CloudWatchEvent) -> None:
    handlers.sweep_stuck_films(event.to_dict(), event.context)
