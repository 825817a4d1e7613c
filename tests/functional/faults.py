"""Faults the functions meet on AWS, injected at botocore's own extension point: a session whose clients
get AWS's AccessDenied for the operations named (what a role lacking an action gets), before any request
leaves. Nothing is patched: the code under test is handed this session as it would be any other
(`wiring.reset(session)`). Also: the metrics a function emitted, read from its EMF output."""

from __future__ import annotations

import functools
import json
from typing import Any

from botocore.awsrequest import AWSResponse

from tests.functional.conftest import moto_session


@functools.cache
def denying_session(service: str, *operations: str) -> Any:
    """A boto3 session for moto whose `service` clients are refused `operations` (S3 names, such as
    `DeleteObjects` or `ListMultipartUploads`) with 403 AccessDenied. One per set of denials, kept across
    tests: a new session reads botocore's data files anew, most of a second."""
    session = moto_session()

    def deny(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        error = {"Code": "AccessDenied", "Message": "Access Denied (the test's role lacks this action)"}
        return AWSResponse("https://denied.invalid", 403, {}, None), {
            "Error": error,
            "ResponseMetadata": {"HTTPStatusCode": 403},
        }

    for operation in operations:
        session.events.register(f"before-call.{service}.{operation}", deny)
    return session


def emitted(output: str, name: str) -> float:
    """How much of metric `name` the functions emitted in `output` (their stdout: CloudWatch EMF lines)."""
    total = 0.0
    for line in output.splitlines():
        if not line.startswith("{") or '"_aws"' not in line:
            continue
        value = json.loads(line).get(name)
        if value is not None:
            total += sum(value) if isinstance(value, list) else value
    return total
