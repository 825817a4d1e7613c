"""How long a raw upload is kept (docs/PROTECTION.md, what is kept): a protected film's goes when it is
published, any other published film's 30 days after its first publication, a refused or failed film's
after 14 days; each deletion is audited, and one that S3 fails is tried again, never lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from chalicelib import wiring
from chalicelib.adapters.s3_store import DISCARD_TAG, S3Store
from chalicelib.domain.errors import ConflictError
from chalicelib.domain.film import Status
from chalicelib.domain.object_keys import master_key, upload_key
from chalicelib.services import editorial, outcomes, recovery, retention
from tests.functional.conftest import CONSENT, TAKEDOWN, get, post_json, publish
from tests.functional.factories import finish_rendering, write_ready_film
from tests.functional.test_editorial import call, error_of

FACES = {"faces": True, "voice": False}
EDITOR = "editor Anna"


def source_exists(stack: Any, video_id: str) -> bool:
    try:
        stack.client("s3").head_object(Bucket=stack.name("UploadsBucket"), Key=upload_key(video_id, ".mp4"))
    except ClientError as error:
        assert error.response["Error"]["Code"] in ("404", "NoSuchKey")
        return False
    return True


def deletions(api: Any, stack: Any, video_id: str) -> list[dict[str, Any]]:
    trail = get(api, f"/videos/{video_id}/audit", stack.keys["editor"]).json_body["items"]
    return [entry for entry in trail if entry["action"] == "source_deleted"]


def protected_ready_film(stack: Any) -> str:
    """A READY film whose outputs carry the protection asked, with its protected master beside the source."""
    video_id = write_ready_film(stack, protect_identity=FACES, protection_applied=FACES)
    stack.client("s3").put_object(Bucket=stack.name("UploadsBucket"), Key=master_key(video_id), Body=b"master")
    return video_id


def days_later(days: float) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


def test_publishing_a_protected_film_deletes_its_source_at_once_and_keeps_its_master(api, stack):
    video_id = protected_ready_film(stack)
    assert source_exists(stack, video_id)

    assert publish(api, stack, video_id).status_code == 200

    assert not source_exists(stack, video_id)
    master = stack.client("s3").head_object(Bucket=stack.name("UploadsBucket"), Key=master_key(video_id))
    assert master["ContentLength"] == len(b"master"), "the master is what any re-render reads"
    view = get(api, f"/videos/{video_id}/editorial", stack.keys["editor"]).json_body
    assert view["status"] == "PUBLISHED" and view["source_deleted_at"]
    assert "source_delete_after" not in view
    [entry] = deletions(api, stack, video_id)
    assert entry["actor"] == retention.ACTOR
    assert entry["details"]["reason"] == "protected_film_published"
    assert "gsi4pk" not in stack.catalog_item(video_id), "out of the sweep's index once done"
    public = get(api, f"/videos/{video_id}").json_body
    assert "source_deleted_at" not in public and "source_delete_after" not in public


def test_any_other_film_keeps_its_source_30_days_after_its_first_publication(api, stack):
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    first_due = stack.catalog_item(video_id)["source_delete_after"]
    editor = stack.keys["editor"]
    # Unpublished and published again: the clock does not start over.
    assert call(api, "post", f"/videos/{video_id}/unpublish", editor).status_code == 200
    assert call(api, "post", f"/videos/{video_id}/publish", editor, {}).status_code == 200
    assert stack.catalog_item(video_id)["source_delete_after"] == first_due
    deps = wiring.dependencies()

    assert retention.delete_due_sources(deps, now=days_later(29))["deleted"] == 0
    assert source_exists(stack, video_id) and deletions(api, stack, video_id) == []

    assert retention.delete_due_sources(deps, now=days_later(31))["deleted"] == 1
    assert not source_exists(stack, video_id)
    [entry] = deletions(api, stack, video_id)
    assert entry["details"] == {"reason": "kept_after_publication", "due": first_due}
    # The public film is untouched: its outputs are in the media bucket.
    assert get(api, f"/videos/{video_id}").status_code == 200
    assert retention.delete_due_sources(deps, now=days_later(60)) == {
        "deleted": 0,
        "failed": 0,
        "waiting": 0,
        "drafts_deleted": 0,
    }


def test_a_film_awaiting_its_editor_keeps_its_source(api, stack):
    video_id = write_ready_film(stack)
    assert retention.delete_due_sources(wiring.dependencies(), now=days_later(365))["deleted"] == 0
    assert source_exists(stack, video_id)


def master_exists(stack: Any, video_id: str) -> bool:
    listed = stack.client("s3").list_objects_v2(Bucket=stack.name("UploadsBucket"), Prefix=master_key(video_id))
    return listed.get("KeyCount", 0) == 1


@pytest.mark.parametrize("outcome", ["rejected", "failed"])
def test_a_refused_or_failed_protected_films_master_goes_with_its_source(api, stack, outcome):
    video_id = write_ready_film(stack, status=Status.TRANSCODING, protect_identity=FACES)
    stack.client("s3").put_object(Bucket=stack.name("UploadsBucket"), Key=master_key(video_id), Body=b"master")
    deps = wiring.dependencies()
    deps.catalog.touch(
        video_id,
        Status.TRANSCODING,
        stack.catalog_item(video_id)["status_changed_at"],
        {"protected_master": {"key": master_key(video_id), "etag": "placeholder", **FACES}},
    )
    if outcome == "rejected":
        outcomes.reject(deps, video_id, "duration_out_of_range", "The film lasts 75.0 s; 58.0 to 62.0 s is allowed.")
    else:
        outcomes.fail(deps, video_id, "Processing stopped.")
    assert retention.delete_due_sources(deps, now=days_later(13))["deleted"] == 0
    assert master_exists(stack, video_id), "kept while the source is, for the operator who looks into it"

    assert retention.delete_due_sources(deps, now=days_later(15))["deleted"] == 1

    assert not source_exists(stack, video_id)
    assert not master_exists(stack, video_id), "the child as filmed, but for the blur, is not kept for ever"
    assert "protected_master" not in stack.catalog_item(video_id)


@pytest.mark.parametrize("outcome", ["rejected", "failed"])
def test_a_refused_or_failed_film_keeps_its_source_14_days_then_a_retry_is_refused(api, stack, outcome):
    video_id = write_ready_film(stack, status=Status.TRANSCODING)
    deps = wiring.dependencies()
    if outcome == "rejected":
        outcomes.reject(deps, video_id, "duration_out_of_range", "The film lasts 75.0 s; 58.0 to 62.0 s is allowed.")
    else:
        outcomes.fail(deps, video_id, "Processing stopped.")

    assert retention.delete_due_sources(deps, now=days_later(13))["deleted"] == 0
    assert source_exists(stack, video_id)
    assert retention.delete_due_sources(deps, now=days_later(15))["deleted"] == 1
    assert not source_exists(stack, video_id)
    [entry] = deletions(api, stack, video_id)
    assert entry["details"]["reason"] == "kept_after_refusal"
    office_view = get(api, f"/uploads/{video_id}", stack.keys["office"]).json_body
    assert office_view["status"] == outcome.upper() and office_view["reason_code"], "the office still sees why"
    if outcome == "failed":
        with pytest.raises(ConflictError) as refused:
            recovery.retry_film(deps, "operator", video_id)
        assert refused.value.code == "source_deleted"
        assert stack.catalog_item(video_id)["status"] == "FAILED"


def test_a_retried_film_keeps_its_source_while_it_is_processed_again(api, stack):
    video_id = write_ready_film(stack, status=Status.TRANSCODING)
    deps = wiring.dependencies()
    outcomes.fail(deps, video_id, "Processing stopped.")
    recovery.retry_film(deps, "operator", video_id)
    item = stack.catalog_item(video_id)
    assert "source_delete_after" not in item and "gsi4pk" not in item
    assert retention.delete_due_sources(deps, now=days_later(30))["deleted"] == 0
    assert source_exists(stack, video_id)


def test_protection_cannot_change_once_the_source_is_gone(api, stack):
    editor = stack.keys["editor"]
    video_id = protected_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    assert call(api, "post", f"/videos/{video_id}/unpublish", editor).status_code == 200
    for asked in ({"faces": False, "voice": False}, {"faces": True, "voice": True}):
        response = call(api, "put", f"/videos/{video_id}/protection", editor, asked)
        assert error_of(response) == (409, "source_deleted")
        assert "upload it again" in response.json_body["message"]
    # Publishing again needs nothing of the source.
    assert call(api, "post", f"/videos/{video_id}/publish", editor, {}).status_code == 200
    assert len(deletions(api, stack, video_id)) == 1


def test_a_film_protected_after_its_first_publication_loses_its_source_when_published_protected(api, stack):
    editor = stack.keys["editor"]
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    assert call(api, "post", f"/videos/{video_id}/unpublish", editor).status_code == 200
    protecting = call(api, "put", f"/videos/{video_id}/protection", editor, FACES)
    assert protecting.json_body["status"] == "PROTECTING"
    assert source_exists(stack, video_id), "the protection stage makes the master from it"
    finish_rendering(video_id)

    assert call(api, "post", f"/videos/{video_id}/publish", editor, {}).status_code == 200
    assert not source_exists(stack, video_id)
    assert [e["details"]["reason"] for e in deletions(api, stack, video_id)] == ["protected_film_published"]


def uploads_client_failing(stack: Any) -> tuple[Any, Stubber]:
    """A client for the uploads bucket on which S3 answers every call with an outage."""
    client = stack.session.client("s3")
    return client, Stubber(client)


def test_a_deletion_s3_fails_at_publication_is_done_by_the_next_sweep(api, stack):
    video_id = protected_ready_film(stack)
    assert post_json(api, f"/videos/{video_id}/consent", CONSENT, stack.keys["editor"]).status_code == 200
    deps = wiring.dependencies()
    client, stubber = uploads_client_failing(stack)
    failing = replace(deps, uploads=S3Store(client, deps.settings.uploads_bucket))
    with stubber:
        stubber.add_client_error("put_object_tagging", "ServiceUnavailable", http_status_code=503)
        view = editorial.publish(failing, EDITOR, video_id, {})
        stubber.assert_no_pending_responses()

    assert view["status"] == "PUBLISHED", "the film is published; its source is still due"
    assert source_exists(stack, video_id) and deletions(api, stack, video_id) == []
    assert stack.catalog_item(video_id)["gsi4pk"] == "SOURCE_DUE"

    assert retention.delete_due_sources(deps)["deleted"] == 1  # the next run, minutes later
    assert not source_exists(stack, video_id)
    assert [e["details"]["reason"] for e in deletions(api, stack, video_id)] == ["protected_film_published"]


class DeleteFails:
    """The uploads client, except that S3 refuses every DeleteObject (after the mark went through)."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def delete_object(self, **_: Any) -> None:
        raise ClientError(
            {"Error": {"Code": "InternalError", "Message": "We encountered an internal error."}}, "DeleteObject"
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def test_a_failed_sweep_deletion_leaves_the_source_marked_and_due_and_the_next_run_deletes_it(api, stack):
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    deps = wiring.dependencies()
    failing = replace(deps, uploads=S3Store(DeleteFails(stack.session.client("s3")), deps.settings.uploads_bucket))

    assert retention.delete_due_sources(failing, now=days_later(31)) == {
        "deleted": 0,
        "failed": 1,
        "waiting": 0,
        "drafts_deleted": 0,
    }
    assert source_exists(stack, video_id)
    tags = stack.client("s3").get_object_tagging(Bucket=stack.name("UploadsBucket"), Key=upload_key(video_id, ".mp4"))
    assert DISCARD_TAG in tags["TagSet"], "the bucket's expiry rule would finish it even if nothing ran again"
    assert "source_deleted_at" not in stack.catalog_item(video_id)

    assert retention.delete_due_sources(deps, now=days_later(31))["deleted"] == 1
    assert not source_exists(stack, video_id)
    assert len(deletions(api, stack, video_id)) == 1


def test_a_taken_down_film_leaves_nothing_for_the_sweep(api, stack):
    video_id = write_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    assert call(api, "delete", f"/videos/{video_id}", stack.keys["editor"], TAKEDOWN).status_code == 200
    item = stack.catalog_item(video_id)
    assert item["status"] == "DELETED" and "gsi4pk" not in item and "source_delete_after" not in item
    assert retention.delete_due_sources(wiring.dependencies(), now=days_later(31)) == {
        "deleted": 0,
        "failed": 0,
        "waiting": 0,
        "drafts_deleted": 0,
    }


def test_a_file_sent_again_to_the_upload_url_after_the_source_was_deleted_is_not_kept(api, stack):
    # The presigned POST stays valid for its whole window (15 minutes): a short protected film can be
    # validated, protected, transcoded and published within it. A second POST then puts a raw file at the
    # source's key again; nothing dates it any more, so unless it goes now it is kept for ever.
    video_id = protected_ready_film(stack)
    assert publish(api, stack, video_id).status_code == 200
    assert not source_exists(stack, video_id)
    stack.client("s3").put_object(
        Bucket=stack.name("UploadsBucket"), Key=upload_key(video_id, ".mp4"), Body=b"the child as filmed, again"
    )

    stack.deliver("UploadsQueue", "validate_upload")

    assert not source_exists(stack, video_id), "a raw upload arriving after its film's source was deleted goes"
    assert get(api, f"/videos/{video_id}").status_code == 200, "the published film is untouched"
    assert stack.catalog_item(video_id)["status"] == "PUBLISHED"
