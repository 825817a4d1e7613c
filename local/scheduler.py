"""A local stand-in for EventBridge schedules: calls each `@app.schedule` handler of app.py in turn,
every `schedule_interval_s` seconds of the local overrides (production runs them at their own rate).

    python -m local.scheduler
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback

from local import chalice_config
from local.lambda_context import function_context
from local.resources import local_overrides

STAGE = "local"


def scheduled_event(name: str) -> dict[str, object]:
    return {
        "version": "0",
        "id": "local",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "region": "us-east-1",
        "resources": [f"arn:aws:events:us-east-1:123456789012:rule/{name}"],
        "detail": {},
    }


def main() -> None:
    from chalice.app import ScheduledEventConfig

    os.environ.update(chalice_config.environment(STAGE))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    import app

    names = [source.name for source in app.app.event_sources if isinstance(source, ScheduledEventConfig)]
    interval = float(local_overrides().get("schedule_interval_s", 60))
    while True:
        time.sleep(interval)
        for name in names:
            try:
                getattr(app, name)(scheduled_event(name), function_context(name))
            except Exception:  # as Lambda does: the next run comes at its time
                traceback.print_exc()


if __name__ == "__main__":
    main()
