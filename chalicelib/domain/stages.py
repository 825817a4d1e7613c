"""The pipeline's stages, listed once: what each one is called, where its work waits, which function does
it, what it reads and writes, the status a film is in while it runs, and how it is tried again.

Everything that acts on stages reads this list: `app.py` makes one SQS handler per stage, the one record
handler (`services/stage_messages.py`) runs a stage's service, a film is handed to the next stage and put back
on its way (the sweep, `ops retry`) by its status, `ops status` and `ops redrive` find the dead-letter
queues here, the local stack runs a worker per stage, and the tests' pipeline runner delivers each queue in
turn. Adding a stage is an entry here, its service, and its queue and function in `infra/resources.yaml`
(`tests/unit/test_stages.py` checks that the three agree).

Several stages may run while a film is in one status (a step of the same status, placed before the
stage it leads to): a film in that status is started again from the first of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chalicelib.domain.film import PROCESSING, Status


class Message(StrEnum):
    """What a stage's queue carries, and so how a film is put (back) on it."""

    # An S3 ObjectCreated notification of the film's upload (the bucket sends it; a retry sends one like it).
    UPLOAD_NOTIFICATION = "upload_notification"
    # One attempt at one film: `{video_id, key, etag, attempt}` (the run is once per film, ETag and attempt).
    FILM = "film"


@dataclass(frozen=True)
class Stage:
    """One stage. How it is retried: a failure that is ours comes back on its queue with backoff until the
    queue's `maxReceiveCount` (the template), then the film is FAILED and the message rests in the dead-letter
    queue (`ops redrive`); a film stuck in `runs_in` is queued again by the sweep; `ops retry` starts a FAILED
    film again from validation. Each puts the film on the queue in the stage's `message`."""

    name: str
    # The Lambda function that runs it (app.py's handler of the same name, its role and timeout in the template
    # and `.chalice/config.json`: the function's `lambda_timeout` is the stage's time limit).
    function: str
    # Its queue's short name: `${AWS::StackName}-<queue>` in the template, beside `<queue>-dlq`.
    queue: str
    # The service that does the work, `module:function`: for a FILM stage `(deps, video_id, deadline_s)`, for the
    # UPLOAD_NOTIFICATION stage `(deps, video_id, created, context)`.
    service: str
    # The statuses a film is in while it waits for or is in this stage; the sweep finds it stuck there.
    runs_in: tuple[Status, ...]
    # Where the stage leaves a film: the next stage's status, or an end of processing.
    ends_in: frozenset[Status]
    reads: str
    writes: str
    message: Message
    # The setting (seconds) after which a film still in `runs_in` is queued again once by the sweep, then FAILED.
    stuck_after_setting: str
    # Lambda runs at most this many at once (SQS event source's MaximumConcurrency; None: no cap).
    max_concurrency: int | None = None

    @property
    def queue_id(self) -> str:
        """The queue's logical id in the template: `TranscodeQueue` for `transcode`."""
        return f"{_camel(self.queue)}Queue"

    @property
    def dead_letter_queue_id(self) -> str:
        return f"{_camel(self.queue)}DeadLetterQueue"

    @property
    def queue_url_variable(self) -> str:
        """The environment variable holding the queue's URL, which every function receives."""
        return f"{self.queue.upper().replace('-', '_')}_QUEUE_URL"

    @property
    def queue_name(self) -> str:
        """The queue's name as the template and Chalice's event source write it."""
        return "${AWS::StackName}-" + self.queue


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


VALIDATE = Stage(
    name="validate",
    function="validate_upload",
    queue="uploads",
    service="chalicelib.services.validate:validate_once",
    runs_in=(Status.UPLOADED, Status.VALIDATING),
    ends_in=frozenset({Status.PROTECTING, Status.TRANSCODING, Status.REJECTED, Status.FAILED}),
    reads="the upload's headers, through a presigned URL (ffprobe)",
    writes="the film's measurements (duration, picture size, sound), its upload's ETag",
    message=Message.UPLOAD_NOTIFICATION,
    stuck_after_setting="STUCK_VALIDATING_S",
)
PROTECT = Stage(
    name="protect",
    function="protect_film",
    queue="protect",
    service="chalicelib.services.protection:protect_film",
    runs_in=(Status.PROTECTING,),
    ends_in=frozenset({Status.TRANSCODING, Status.REJECTED, Status.FAILED}),
    reads="the validated upload (If-Match on its ETag)",
    writes="the protected master beside the upload, `protected_master` on the film",
    message=Message.FILM,
    # As long as a transcode (a detection pass and one encode): the same limit.
    stuck_after_setting="STUCK_TRANSCODING_S",
    max_concurrency=5,
)
TRANSCODE = Stage(
    name="transcode",
    function="transcode_film",
    queue="transcode",
    service="chalicelib.services.transcode:transcode_film",
    runs_in=(Status.TRANSCODING,),
    ends_in=frozenset({Status.READY, Status.REJECTED, Status.FAILED}),
    reads="the validated upload, or the protected master when protection is asked",
    writes="renditions, poster, sprite and storyboard in the media bucket; the film's media fields",
    message=Message.FILM,
    stuck_after_setting="STUCK_TRANSCODING_S",
    max_concurrency=10,
)

# In the order a film meets them.
STAGES: tuple[Stage, ...] = (VALIDATE, PROTECT, TRANSCODE)


class NoStageError(LookupError):
    """A status or a name no stage answers for: a stage missing from the registry, never to be passed over."""


def stage_named(name: str) -> Stage:
    for stage in STAGES:
        if stage.name == name:
            return stage
    raise NoStageError(f"no stage is called {name!r}")


def stage_for(status: Status) -> Stage:
    """The stage a film in `status` waits for: the first that runs in it."""
    for stage in STAGES:
        if status in stage.runs_in:
            return stage
    raise NoStageError(f"no stage runs while a film is {status.value}: add one to chalicelib/domain/stages.py")


def stage_after(current: Stage, status: Status) -> Stage:
    """The stage a film in `status` goes to when `current` is done with it: the next one of the same status
    when there is one, otherwise the first of `status` (the film moved on to another status)."""
    later = STAGES[STAGES.index(current) + 1 :]
    return next((stage for stage in later if status in stage.runs_in), None) or stage_for(status)


def unanswered() -> frozenset[Status]:
    """The processing statuses no stage runs in: a film stuck there could never be put back on its way."""
    return frozenset(status for status in PROCESSING if not any(status in stage.runs_in for stage in STAGES))
