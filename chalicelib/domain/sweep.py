"""What the scheduled sweep does with a film that has sat in one status too long.

A film waiting for its upload past the upload window expires (a film sent in parts has a longer
one). A film stuck in processing (its message lost, its worker killed past every retry) is queued
once more, then failed with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from chalicelib.domain.film import PROCESSING, Film, Status
from chalicelib.domain.retention import iso


class SweepAction(StrEnum):
    EXPIRE = "expire"
    REQUEUE = "requeue"
    FAIL = "fail"


@dataclass(frozen=True)
class SweepLimits:
    upload_window_s: int
    # A film sent in parts on a poor connection waits longer: this long after its last request for
    # part URLs (each one restarts its clock).
    multipart_window_s: int
    stuck_after_s: dict[Status, int]
    requeues: int = 1
    # A film FAILED from a transient cause (an outage after the queue's retries) is started again once, this
    # long after it failed, if it failed within `auto_retry_window_s` (older failures are left to people).
    auto_retry_after_s: int = 300
    auto_retry_window_s: int = 3600
    # A READY film whose office asked for protection its outputs lack (its transcode could not catch it up) is
    # caught up once it has been READY this long, if it became READY within the window
    # (services/protection_catch_up.py): the sweep runs every ten minutes, so three hours give it some fifteen
    # tries, and the READY films of a day are not all read again on every run.
    catch_up_after_s: int = 300
    catch_up_window_s: int = 3 * 3600


def stale_before(status: Status, now: datetime, limits: SweepLimits) -> datetime:
    """Films whose status changed before this moment are stale."""
    if status is Status.AWAITING_UPLOAD:
        return now - timedelta(seconds=limits.upload_window_s)
    return now - timedelta(seconds=limits.stuck_after_s[status])


def since(now: datetime, seconds: int) -> str:
    """The status index's time `seconds` before `now`: films whose status changed after it are within."""
    return iso(now - timedelta(seconds=seconds))


def upload_expired(waiting_since: datetime, in_parts: bool, now: datetime, limits: SweepLimits) -> bool:
    """Whether a film waiting for its file since `waiting_since` has waited too long."""
    window = limits.multipart_window_s if in_parts else limits.upload_window_s
    return waiting_since < now - timedelta(seconds=window)


def sweep_action(status: Status, requeued: int, limits: SweepLimits) -> SweepAction:
    """The action for a stale film in `status` that the sweep has queued again `requeued` times."""
    if status is Status.AWAITING_UPLOAD:
        return SweepAction.EXPIRE
    if status not in PROCESSING:
        raise ValueError(f"{status.value} is not a status the sweep acts on")
    return SweepAction.REQUEUE if requeued < limits.requeues else SweepAction.FAIL


SWEPT_STATUSES = (Status.AWAITING_UPLOAD, *sorted(PROCESSING))


# A failure on our side that may pass by itself (an AWS error after every delivery, a worker that died):
# tried again once. A time limit (`processing_timeout`) or a film stuck twice (`processing_stuck`) would hit
# the same limit again, and the film's own faults are REJECTED, never FAILED.
TRANSIENT_FAILURES = frozenset({"processing_failed"})


def retried_automatically(film: Film) -> bool:
    """Whether the sweep is to start this FAILED film again by itself (once, after a transient failure)."""
    return film.status is Status.FAILED and film.reason_code in TRANSIENT_FAILURES and not film.auto_retried


def seconds_in_status(film: Film, now: datetime) -> float:
    """How long the film has been in its status at `now`."""
    return (now - datetime.fromisoformat(film.status_changed_at.replace("Z", "+00:00"))).total_seconds()
