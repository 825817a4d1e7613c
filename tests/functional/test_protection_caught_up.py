"""Protection an office asks while its film is being transcoded is made, whatever lands in between
(lifecycle.protection_caught_up, services/transcode.py): a correction read before the film became READY, an
editor's consent or the office's next correction winning the catch-up's write, a catch-up whose write failed,
a master made for another ask. Never READY and unpublishable for good, never FAILED for it. (Found by a review
that attacked the first version of the catch-up: each of these failed on it.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import wiring
from chalicelib.domain.film import Film, Status
from chalicelib.domain.protection import Protection
from chalicelib.services import changes, protection_catch_up, recovery, transcode, uploads
from chalicelib.services.access import Caller
from chalicelib.services.protection_catch_up import CatchUp, catch_up_ready_films
from chalicelib.services.transcode import transcode_film
from tests.functional.conftest import CONSENT, post_json, upload_body
from tests.functional.factories import OFFICE_ID, ReadBefore
from tests.functional.test_delivery import invoke, journey
from tests.functional.test_editorial import call, error_of

FACES = {"faces": True, "voice": False}
OFFICE = Caller(role="office", office_id=OFFICE_ID, countries=frozenset({"AZ"}), actor="office test")


def film(video_id: str) -> Film:
    found = wiring.dependencies().catalog.get_film(video_id)
    assert found is not None
    return found


def transcoding(api: Any, stack: Any, clip: Any) -> str:
    """A film sent without protection, validated: TRANSCODING, its message waiting on the transcode queue."""
    video_id = post_json(api, "/uploads", upload_body(), stack.keys["office"]).json_body["video_id"]
    stack.put_upload(video_id, clip)
    stack.deliver("UploadsQueue", "validate_upload")
    assert film(video_id).status is Status.TRANSCODING
    return video_id


def hook_before_catch_up(monkeypatch: Any, status: Status, hook: Any) -> None:
    """Runs `hook` once, right before the catch-up change of a film in `status` is applied (what another request
    does between the stage's reading of the film and its write)."""
    original = changes.apply
    pending = [hook]

    def apply(deps: Any, change: Any, *args: Any, **kwargs: Any) -> bool:
        action = change.audit.action if change.audit else None
        if pending and action == "protection_caught_up" and change.before.status is status:
            pending.pop()()
        return original(deps, change, *args, **kwargs)

    monkeypatch.setattr(changes, "apply", apply)


def test_a_correction_read_while_the_film_was_transcoded_that_lands_once_it_is_ready_has_it_made(api, stack, clips):
    # The office's PATCH reads the film (TRANSCODING, version v). The transcode writes READY (a stage's end moves
    # no version) and its check after READY finds nothing asked. The PATCH's write then lands: it expects the
    # status it read, so it is refused, reads the film again and has the READY film made again with faces.
    editor = stack.keys["editor"]
    video_id = transcoding(api, stack, clips["valid"])
    read_by_office = film(video_id)
    stack.deliver("TranscodeQueue", "transcode_film")
    assert film(video_id).status is Status.READY

    deps = wiring.dependencies()
    uploads.correct_upload(
        replace(deps, catalog=ReadBefore(deps.catalog, read_by_office)), OFFICE, video_id, {"protect_identity": FACES}
    )
    stack.run_pipeline()  # whatever was queued

    now = film(video_id)
    assert now.protect_identity == Protection(faces=True)
    assert call(api, "post", f"/videos/{video_id}/consent", editor, CONSENT).status_code == 200
    publish = call(api, "post", f"/videos/{video_id}/publish", editor, {})
    assert (now.status, now.protection_applied) == (Status.READY, Protection(faces=True)), (
        now.status,
        now.protection_applied,
        error_of(publish),
    )


def test_the_catch_up_after_ready_is_not_lost_to_an_editor_recording_consent_meanwhile(api, stack, clips, monkeypatch):
    # The office asked for faces while the transcode ran from the source. The transcode writes READY, reads the
    # film and builds the catch-up (version-checked); an editor records consent (version + 1) in between: the
    # catch-up's write loses, reads the film again and is made.
    office, editor = stack.keys["office"], stack.keys["editor"]
    video_id = transcoding(api, stack, clips["valid"])
    read_by_transcode = film(video_id)
    assert call(api, "patch", f"/uploads/{video_id}", office, {"protect_identity": FACES}).status_code == 200

    def editor_records_consent() -> None:
        assert call(api, "post", f"/videos/{video_id}/consent", editor, CONSENT).status_code == 200

    hook_before_catch_up(monkeypatch, Status.READY, editor_records_consent)
    deps = wiring.dependencies()
    stack.client("sqs").purge_queue(QueueUrl=stack.name("TranscodeQueue"))
    transcode_film(replace(deps, catalog=ReadBefore(deps.catalog, read_by_transcode)), video_id, 600.0)
    stack.run_pipeline()

    now = film(video_id)
    assert now.status is not Status.READY or now.protection_applied == Protection(faces=True), (
        f"stuck: {now.status} asking {now.protect_identity}, carrying {now.protection_applied}; publish says "
        f"{error_of(call(api, 'post', f'/videos/{video_id}/publish', editor, {}))}"
    )


def ready_after_a_failed_catch_up(api: Any, stack: Any, clips: Any, monkeypatch: Any) -> str:
    """A film the transcode made READY while its office asked for faces, whose catch-up's write then failed (a
    throttled DynamoDB call): READY, lacking what is asked, its message taken off the queue."""
    video_id = transcoding(api, stack, clips["valid"])
    read_by_transcode = film(video_id)
    assert (
        call(api, "patch", f"/uploads/{video_id}", stack.keys["office"], {"protect_identity": FACES}).status_code == 200
    )

    def throttled() -> None:
        raise RuntimeError("ProvisionedThroughputExceededException")

    hook_before_catch_up(monkeypatch, Status.READY, throttled)
    deps = wiring.dependencies()
    stack.client("sqs").purge_queue(QueueUrl=stack.name("TranscodeQueue"))
    with pytest.raises(RuntimeError):
        transcode_film(replace(deps, catalog=ReadBefore(deps.catalog, read_by_transcode)), video_id, 600.0)
    return video_id


def test_a_catch_up_whose_write_failed_is_made_when_the_transcode_message_is_delivered_again(
    api, stack, clips, monkeypatch
):
    # The READY write committed, the catch-up's write failed (a throttled or timed-out DynamoDB call, the Lambda's
    # deadline). The handler raises, SQS delivers the message again, and the transcode, finding the film READY
    # and lacking what its office asked, catches it up then.
    video_id = ready_after_a_failed_catch_up(api, stack, clips, monkeypatch)
    deps = wiring.dependencies()
    assert film(video_id).status is Status.READY
    transcode_film(deps, video_id, 600.0)  # SQS's redelivery of the same message
    stack.run_pipeline()

    now = film(video_id)
    assert now.protection_applied == Protection(faces=True), (now.status, now.protection_applied)


def test_a_catch_up_at_the_start_that_loses_to_a_second_correction_is_made_and_never_fails_the_film(
    api, stack, clips, monkeypatch
):
    # The office ticks "Blur faces", then edits the title a moment later (or an editor records consent). The
    # transcode reads the film (faces asked, no master) and builds the catch-up; the second PATCH moves the
    # version first. Lost, the run would complete with the film left TRANSCODING and nothing running (the sweep
    # then FAILED it): the catch-up reads the film again and is made, and later sweeps find nothing to do.
    office = stack.keys["office"]
    video_id = transcoding(api, stack, clips["valid"])
    assert call(api, "patch", f"/uploads/{video_id}", office, {"protect_identity": FACES}).status_code == 200

    def office_edits_title() -> None:
        assert call(api, "patch", f"/uploads/{video_id}", office, {"title": "Our street"}).status_code == 200

    hook_before_catch_up(monkeypatch, Status.TRANSCODING, office_edits_title)
    stack.deliver("TranscodeQueue", "transcode_film")
    after_run = film(video_id).status
    deps = wiring.dependencies()
    later = datetime.now(UTC) + timedelta(days=2)
    for day in range(2):
        recovery.sweep(deps, deps.settings.sweep, now=later + timedelta(days=day))
        stack.run_pipeline()

    now = film(video_id)
    assert (now.status, now.protection_applied) == (Status.READY, Protection(faces=True)), (
        f"after the run: {after_run}; now {now.status} {now.reason_code}"
    )


def test_a_catch_up_at_the_start_lost_to_another_delivery_catching_it_up_does_not_fail_the_film(
    api, stack, clips, monkeypatch
):
    # The office asked for faces while the film waited for its transcode. Two transcode deliveries read it at
    # once (the current attempt's message and an older attempt's delivered again, or redriven from the DLQ:
    # different idempotency keys): both build the catch-up. The other wins (PROTECTING, attempt + 1); this one's
    # write is stale, it reads the film again and finds it moved on: it stops there, and transcodes nothing (it
    # went on with the film it read first, found no master and FAILED it).
    office = stack.keys["office"]
    video_id = transcoding(api, stack, clips["valid"])
    assert call(api, "patch", f"/uploads/{video_id}", office, {"protect_identity": FACES}).status_code == 200
    deps = wiring.dependencies()

    def another_delivery() -> None:
        transcode_film(deps, video_id, 600.0)

    hook_before_catch_up(monkeypatch, Status.TRANSCODING, another_delivery)
    stack.deliver("TranscodeQueue", "transcode_film")
    after_run = film(video_id)
    stack.run_pipeline()

    now = film(video_id)
    assert "FAILED" not in journey(stack, video_id), (after_run.status, after_run.reason)
    assert (now.status, now.protection_applied) == (Status.READY, Protection(faces=True))


def test_a_failure_after_the_catch_up_on_the_messages_last_delivery_does_not_fail_the_film(
    api, stack, clips, monkeypatch
):
    # The transcode's last delivery (earlier ones timed out, say). The office asks for faces while it runs. The
    # run writes READY, catches up at once (PROTECTING, attempt + 1, the protection stage told), then a step
    # after it fails (record_duplicates's DynamoDB call throttled, an S3 delete in _forget_old_renditions). On
    # the last delivery the message gives up on its own attempt only: the film, in the catch-up's, goes on (it
    # was FAILED by its id whatever attempt it was in).
    office = stack.keys["office"]
    video_id = transcoding(api, stack, clips["valid"])
    sqs = stack.client("sqs")
    [message] = sqs.receive_message(QueueUrl=stack.name("TranscodeQueue"), AttributeNames=["All"])["Messages"]
    sqs.delete_message(QueueUrl=stack.name("TranscodeQueue"), ReceiptHandle=message["ReceiptHandle"])

    store, duplicates = transcode._store_outputs, transcode.record_duplicates

    def store_then_office_asks(*args: Any, **kwargs: Any) -> Any:
        stored = store(*args, **kwargs)
        assert call(api, "patch", f"/uploads/{video_id}", office, {"protect_identity": FACES}).status_code == 200
        return stored

    def throttled(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("ProvisionedThroughputExceededException")

    monkeypatch.setattr(transcode, "_store_outputs", store_then_office_asks)
    monkeypatch.setattr(transcode, "record_duplicates", throttled)
    with pytest.raises(RuntimeError):
        invoke("transcode_film", message, receive_count=3)  # the transcode queue's maxReceiveCount
    monkeypatch.setattr(transcode, "_store_outputs", store)
    monkeypatch.setattr(transcode, "record_duplicates", duplicates)
    after_run = film(video_id)
    stack.run_pipeline()

    now = film(video_id)
    assert "FAILED" not in journey(stack, video_id), (after_run.status, after_run.reason)
    assert (now.status, now.protection_applied) == (Status.READY, Protection(faces=True))


def test_a_ready_film_whose_catch_up_failed_on_every_delivery_is_caught_up_by_the_next_sweep(
    api, stack, clips, monkeypatch
):
    # The READY write committed, and the catch-up's write failed on every delivery of the message (DynamoDB
    # throttled for minutes): the message is in the dead-letter queue, the film READY, asking faces its outputs
    # lack, and publishing answers protection_pending. The sweep, minutes later, catches it up without an
    # operator (it waited for `ops redrive`).
    editor = stack.keys["editor"]
    video_id = ready_after_a_failed_catch_up(api, stack, clips, monkeypatch)  # its message gone to the DLQ
    deps = wiring.dependencies()
    assert film(video_id).status is Status.READY
    assert call(api, "post", f"/videos/{video_id}/consent", editor, CONSENT).status_code == 200
    assert error_of(call(api, "post", f"/videos/{video_id}/publish", editor, {})) == (409, "protection_pending")

    limits, became_ready = deps.settings.sweep, datetime.now(UTC)
    # Not at once (the transcode, delivered again, may still do it), nor once the window has passed.
    assert catch_up_ready_films(deps, limits, became_ready + timedelta(minutes=2)) == 0
    assert catch_up_ready_films(deps, limits, became_ready + timedelta(seconds=limits.catch_up_window_s + 60)) == 0
    assert film(video_id).status is Status.READY

    assert catch_up_ready_films(deps, limits, became_ready + timedelta(minutes=10)) == 1
    stack.run_pipeline()

    now = film(video_id)
    assert (now.status, now.protection_applied) == (Status.READY, Protection(faces=True))
    assert journey(stack, video_id)[-3:] == ["PROTECTING", "TRANSCODING", "READY"]
    assert call(api, "post", f"/videos/{video_id}/publish", editor, {}).status_code == 200
    assert catch_up_ready_films(deps, limits, datetime.now(UTC) + timedelta(minutes=10)) == 0


def stuck_asking_faces(api: Any, stack: Any, clips: Any) -> str:
    """A film stuck in TRANSCODING (its message lost), queued once more already, whose office asked for faces."""
    video_id = transcoding(api, stack, clips["valid"])
    stack.client("sqs").purge_queue(QueueUrl=stack.name("TranscodeQueue"))
    assert (
        call(api, "patch", f"/uploads/{video_id}", stack.keys["office"], {"protect_identity": FACES}).status_code == 200
    )
    touched_at = film(video_id).status_changed_at
    wiring.dependencies().catalog.touch(video_id, Status.TRANSCODING, touched_at, {"requeued": 1})
    return video_id


def swept_then_caught_up(stack: Any, swept: Any, video_id: str) -> None:
    """The sweep, a day later, through `swept` (a catch-up lands as it runs); then the pipeline: never FAILED."""
    recovery.sweep(swept, swept.settings.sweep, now=datetime.now(UTC) + timedelta(days=1))
    stack.run_pipeline()
    now = film(video_id)
    assert "FAILED" not in journey(stack, video_id), now.reason
    assert (now.status, now.protection_applied) == (Status.READY, Protection(faces=True))


class CaughtUpWhileSwept:
    """A catalog through which the sweep reads a stuck film as it was, while the transcode, at that moment,
    catches the film's protection up (another attempt): what the sweep's FAIL then finds."""

    def __init__(self, deps: Any, stuck: Film) -> None:
        self._deps, self._stuck = deps, stuck
        self._caught_up = False

    def get_film(self, video_id: str) -> Film | None:
        if not self._caught_up and video_id == self._stuck.video_id:
            self._caught_up = True
            assert protection_catch_up.catch_up(self._deps, video_id) is CatchUp.SENT
            return self._stuck
        return self._deps.catalog.get_film(video_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._deps.catalog, name)


def test_the_sweep_does_not_fail_a_stuck_film_whose_protection_was_caught_up_as_it_was_swept(api, stack, clips):
    # A film stuck in TRANSCODING, queued once more by the sweep and stuck again: the next sweep gives it up.
    # At that moment the transcode's delivery catches up the faces its office asked (PROTECTING, a new attempt):
    # the sweep gives up only the attempt it found stuck, and the film is protected (it was FAILED).
    video_id = stuck_asking_faces(api, stack, clips)
    deps = wiring.dependencies()
    swept_then_caught_up(stack, replace(deps, catalog=CaughtUpWhileSwept(deps, film(video_id))), video_id)


class CaughtUpAsTheSweepWrites:
    """A catalog through which the sweep's FAIL is written right after the transcode caught the film's protection
    up (another attempt), between the sweep's last read of the film and its write."""

    def __init__(self, deps: Any) -> None:
        self._deps = deps
        self._caught_up = False

    def apply(self, change: Any) -> None:
        if not self._caught_up and change.after.status is Status.FAILED:
            self._caught_up = True
            assert protection_catch_up.catch_up(self._deps, change.video_id) is CatchUp.SENT
        self._deps.catalog.apply(change)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._deps.catalog, name)


def test_the_sweep_does_not_fail_a_stuck_film_whose_protection_was_caught_up_as_it_wrote(api, stack, clips):
    # As above, but the catch-up lands between the sweep's last read and its write: the write is checked against
    # the version read, so the new attempt is never FAILED by the old one's sweep.
    video_id = stuck_asking_faces(api, stack, clips)
    deps = wiring.dependencies()
    swept_then_caught_up(stack, replace(deps, catalog=CaughtUpAsTheSweepWrites(deps)), video_id)
