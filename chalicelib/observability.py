"""Powertools Logger, Metrics and Tracer, set up once and attached the same way to every Lambda function.

Service name and metrics namespace are constants (an explicit argument wins over the environment);
tracing is switched per stage with POWERTOOLS_TRACE_DISABLED (the X-Ray SDK costs cold-start time).
Every metric carries the dimensions `service` and `stage` (STAGE, .chalice/config.json), so a dev
stack's failures never show on, or page through, prod's alarms (infra/alarms.py alarms on exactly these).
"""

from __future__ import annotations

import contextlib
import functools
import os
import warnings
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from chalice.app import ConvertToMiddleware

from chalicelib.config import METRICS_NAMESPACE, SERVICE_NAME, STAGE, TRACE_DISABLED

# An invocation that records no metric (a duplicate event, say) is normal here, not worth a warning.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)

logger = Logger(service=SERVICE_NAME)
metrics = Metrics(service=SERVICE_NAME, namespace=METRICS_NAMESPACE)
# The X-Ray SDK takes a third of a cold start to import: only a stage that traces loads it.
TRACING = os.environ.get(TRACE_DISABLED, "false").lower() != "true"
tracer: Any = None
if TRACING:
    from aws_lambda_powertools import Tracer

    tracer = Tracer(service=SERVICE_NAME)  # patches boto3: every S3, SQS and DynamoDB call is a subsegment

Handler = TypeVar("Handler", bound=Callable[[dict[str, Any], Any], Any])


def observed(handler: Handler) -> Handler:
    """JSON logs with the Lambda context and cold start, metrics flushed as EMF, an X-Ray segment."""
    traced = tracer.capture_lambda_handler(handler) if tracer else handler
    with_metrics = metrics.log_metrics(traced, capture_cold_start_metric=True)

    @functools.wraps(handler)
    def staged(event: dict[str, Any], context: Any) -> Any:
        # Read per invocation, where a missing STAGE fails loudly, rather than at import (tests, the CLI).
        stage = stage_dimension()
        if metrics.default_dimensions != stage:  # set again, Powertools would warn on every invocation
            metrics.set_default_dimensions(**stage)
        return with_metrics(event, context)

    wrapped = logger.inject_lambda_context(staged, clear_state=True)
    return functools.wraps(handler)(wrapped)  # type: ignore[return-value]


def stage_dimension() -> dict[str, str]:
    """The `stage` dimension every metric carries: the function's STAGE (dev, prod, local)."""
    return {"stage": os.environ[STAGE]}


# Every function, HTTP or not, observed the same way: Chalice's documented way to attach Powertools'
# handler decorators (`app.register_middleware(observe_every_function)`).
observe_every_function = ConvertToMiddleware(observed)


@contextlib.contextmanager
def subsegment(name: str) -> Iterator[None]:
    """An X-Ray subsegment around work boto3 does not show, such as ffprobe and ffmpeg."""
    if tracer is None:
        yield
        return
    with tracer.provider.in_subsegment(f"## {name}"):
        yield


def record_rejection(reason_code: str) -> None:
    """FilmsRejected with the reason code as a dimension, so each reason has its own series."""
    with single_metric(
        name="FilmsRejected",
        unit=MetricUnit.Count,
        value=1,
        namespace=METRICS_NAMESPACE,
        default_dimensions=stage_dimension(),
    ) as metric:
        metric.add_dimension(name="reason_code", value=reason_code)


def count(name: str) -> None:
    """One more of `name` (dimensions `service` and `stage`): the metrics infra/alarms.py pages on are counts."""
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


def measure(name: str, value: float, unit: MetricUnit) -> None:
    metrics.add_metric(name=name, unit=unit, value=value)
