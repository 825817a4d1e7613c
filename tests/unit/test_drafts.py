"""Drafts (a film sent before its details, domain/lifecycle.py) in memory: processed like any film, refused for
consent and publication until its office completes its details, deleted whole 14 days after it was created if
it never does. The API's answers are tests/functional/test_drafts.py's."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain import lifecycle
from chalicelib.domain.change import AuditEntry, Listed, Media
from chalicelib.domain.errors import ConflictError, InvalidRequestError, StaleTransitionError
from chalicelib.domain.film import Film, Status
from chalicelib.domain.metadata import (
    Author,
    UploadFile,
    UploadRequest,
    parse_completion,
    parse_draft_request,
)
from chalicelib.domain.protection import Protection
from tests.fakes.catalog import InMemoryCatalog

VIDEO_ID = "6f1c1c3e-2f0e-4a55-9d7a-5b7f0c2a9e11"
AT = "2026-12-01T10:00:00.000Z"
LATER = "2026-12-01T11:00:00.000Z"
DAY_13 = "2026-12-14T10:00:00.000Z"
DAY_14 = "2026-12-15T10:00:00.000Z"
FILE = UploadFile("VID_20240513_101500.mp4", ".mp4", 4_000_000, "video/mp4")
DRAFT = lifecycle.new_draft(VIDEO_ID, "office-az", FILE, f"uploads/{VIDEO_ID}/source.mp4", AT)
READY_DRAFT = replace(DRAFT, status=Status.READY, duration_s=60.0, version=4)
DETAILS = UploadRequest(
    title="My street",
    country="AZ",
    topics=("violence",),
    author=Author("Leyla", 14),
    filename=FILE.filename,
    extension=FILE.extension,
    size_bytes=FILE.size_bytes,
    content_type=FILE.content_type,
    workshop="baku-2012",
)
TOPICS = frozenset({"violence", "hiv-aids"})
CONSENT = {"guardian_consent": True, "child_assent": True}


def test_a_draft_knows_only_its_file_and_is_due_for_deletion_fourteen_days_after_it_was_created() -> None:
    assert DRAFT.draft and DRAFT.status is Status.AWAITING_UPLOAD
    assert (DRAFT.title, DRAFT.country, DRAFT.author) == ("", "", None)
    assert DRAFT.source_delete_after == "2026-12-15T10:00:00.000Z"


def test_a_draft_is_processed_like_any_film_but_never_given_consent_highlighted_or_published() -> None:
    uploaded = lifecycle.uploaded(DRAFT, LATER, etag="e1", size_bytes=FILE.size_bytes).after
    assert uploaded.status is Status.UPLOADED and uploaded.draft
    for refuse in (
        lambda: lifecycle.record_consent(READY_DRAFT, "editor Anna", CONSENT, LATER),
        lambda: lifecycle.publish(READY_DRAFT, "editor Anna", LATER, safeguarding_confirmed=False),
        lambda: lifecycle.highlight(READY_DRAFT, "editor Anna", True, LATER),
        lambda: lifecycle.edit(READY_DRAFT, "editor Anna", {"title": "An editor's title"}, LATER),
        lambda: lifecycle.check_subtitled(READY_DRAFT),
    ):
        with pytest.raises(ConflictError) as refused:
            refuse()
        assert refused.value.code == "draft_incomplete"
        assert "2026-12-15" in str(refused.value)


def test_completing_a_draft_writes_its_details_ends_the_draft_and_its_date_with_an_audit_entry() -> None:
    change = lifecycle.complete_draft(READY_DRAFT, "office office-az", DETAILS, LATER)

    after = change.after
    assert not after.draft and after.source_delete_after is None
    assert (after.title, after.country, after.topics, after.author) == (
        "My street",
        "AZ",
        ("violence",),
        DETAILS.author,
    )
    assert after.status is Status.READY and change.target is None  # it waits for review where it stands
    assert change.expect == {Status.READY} and change.checks_version  # in the status read: a stage's end loses it
    assert change.audit == AuditEntry(
        "office office-az",
        "details_completed",
        {"fields": ["author", "country", "title", "topics", "workshop"], "answered": {"faces": False, "voice": False}},
    )
    assert {"draft", "source_delete_after"} <= set(change.remove_fields())
    # Complete, it may now be given consent and published like any film.
    consented = lifecycle.record_consent(after, "editor Anna", CONSENT, LATER).after
    assert lifecycle.publish(consented, "editor Anna", LATER, safeguarding_confirmed=False).media is Media.EXPOSE


def test_completion_is_refused_for_a_film_that_is_no_draft_or_rejected_and_protection_while_a_stage_runs_is_kept() -> (
    None
):
    complete = replace(READY_DRAFT, draft=False, title="My street")
    with pytest.raises(ConflictError) as refused:
        lifecycle.complete_draft(complete, "office", DETAILS, LATER)
    assert refused.value.code == "not_a_draft"
    with pytest.raises(ConflictError) as refused:
        lifecycle.complete_draft(replace(DRAFT, status=Status.REJECTED), "office", DETAILS, LATER)
    assert refused.value.code == "not_correctable"
    protect = replace(DETAILS, protect_identity=Protection(faces=True))
    # While a stage that read none runs, it is kept: that stage's end makes it (lifecycle.protection_caught_up).
    kept = lifecycle.complete_draft(replace(DRAFT, status=Status.TRANSCODING), "office", protect, LATER)
    assert kept.after.status is Status.TRANSCODING and kept.after.protect_identity == Protection(faces=True)

    asking = lifecycle.complete_draft(replace(DRAFT, status=Status.UPLOADED), "office", protect, LATER)
    assert asking.expect == {Status.UPLOADED}
    assert asking.after.protect_identity == Protection(faces=True)
    assert asking.audit is not None and asking.audit.details["protect_identity"] == {"faces": True, "voice": False}


def test_a_draft_that_fails_or_is_retried_keeps_its_own_date_and_one_completed_after_failing_gets_the_refusals() -> (
    None
):
    failed = lifecycle.failed(replace(DRAFT, status=Status.TRANSCODING), "processing_failed", "outage", DAY_13).after
    assert failed.source_delete_after == DRAFT.source_delete_after  # earlier than the refusal's 14 days
    assert lifecycle.retried(failed, "ops", DAY_13).after.source_delete_after == DRAFT.source_delete_after
    completed = lifecycle.complete_draft(failed, "office", DETAILS, DAY_13).after
    assert completed.source_delete_after == "2026-12-28T10:00:00.000Z"  # 14 days after it failed


def test_a_draft_never_completed_is_deleted_whole_at_its_date_and_one_completed_meanwhile_is_not() -> None:
    with pytest.raises(ConflictError):
        lifecycle.draft_deleted(READY_DRAFT, "retention-policy", DAY_13)

    change = lifecycle.draft_deleted(READY_DRAFT, "retention-policy", DAY_14)

    assert change.after == Film(VIDEO_ID, Status.DELETED, AT, DAY_14, takedown_unfinished_since=DAY_14)
    assert change.media is Media.REMOVE and change.listed == Listed((), {}, None)
    assert change.audit == AuditEntry("retention-policy", "taken_down", {"was": "READY", "reason": "draft_unfinished"})

    catalog = InMemoryCatalog()
    catalog.create_film(READY_DRAFT)
    catalog.apply(lifecycle.complete_draft(READY_DRAFT, "office", DETAILS, DAY_13))
    with pytest.raises(StaleTransitionError):
        catalog.apply(change)  # read before the completion: it deletes nothing
    stored = catalog.get_film(VIDEO_ID)
    assert stored is not None and stored.status is Status.READY and not stored.draft
    assert [entry["action"] for entry in catalog.audit_trail(VIDEO_ID)] == ["details_completed"]


def test_a_drafts_post_takes_only_its_file_and_its_completion_only_details_each_checked_as_a_full_upload() -> None:
    assert parse_draft_request({"filename": "a.mp4", "size_bytes": 10, "content_type": "video/mp4", "draft": True}, 99)
    for body, code in (
        ({"filename": "a.txt", "size_bytes": 10, "content_type": "text/plain"}, "invalid_filename"),
        ({"filename": "a.mp4", "size_bytes": 100, "content_type": "video/mp4"}, "too_large"),
        ({"filename": "a.mp4", "size_bytes": 10, "content_type": "video/webm"}, "invalid_content_type"),
        ({"filename": "a.mp4", "size_bytes": 10, "content_type": "video/mp4", "title": "x"}, "invalid_field"),
    ):
        with pytest.raises(InvalidRequestError) as refused:
            parse_draft_request(body, 99)
        assert refused.value.code == code

    details = {
        "title": "My street",
        "country": "az",
        "topics": ["violence"],
        "author": {"first_name": "Leyla", "age": 14},
        "protect_identity": {"faces": False, "voice": False},
    }
    assert parse_completion(details, FILE, TOPICS, 10**9).country == "AZ"
    assert parse_completion(details, FILE, TOPICS, 10**9).protect_identity is None
    for body, code in (
        ({**details, "author": {"first_name": "Leyla", "age": 4}}, "invalid_author"),
        ({**details, "topics": ["sports"]}, "invalid_topic"),
        ({key: value for key, value in details.items() if key != "title"}, "missing_field"),
        ({**details, "filename": "b.mp4"}, "invalid_field"),
        ({**details, "workshop": "12 Nizami Street"}, "invalid_workshop"),
        # Whether the child may be recognised is answered for every film, never taken from a silence.
        ({key: value for key, value in details.items() if key != "protect_identity"}, "protection_unanswered"),
        ({**details, "protect_identity": {"faces": True}}, "protection_unanswered"),
        ({**details, "protect_identity": None}, "protection_unanswered"),
        ({**details, "protect_identity": {"faces": "no", "voice": False}}, "invalid_protect_identity"),
    ):
        with pytest.raises(InvalidRequestError) as refused:
            parse_completion(body, FILE, TOPICS, 10**9)
        assert refused.value.code == code


def test_completion_keeps_the_protection_an_editor_asked_for_meanwhile() -> None:
    protected = replace(READY_DRAFT, protect_identity=Protection(faces=True))
    change = lifecycle.complete_draft(protected, "office", DETAILS, LATER)  # DETAILS ask for none
    assert change.after.protect_identity == Protection(faces=True)
    voice = replace(DETAILS, protect_identity=Protection(voice=True))
    both = lifecycle.complete_draft(replace(protected, status=Status.UPLOADED), "office", voice, LATER)
    assert both.after.protect_identity == Protection(faces=True, voice=True)


def test_a_ready_draft_completed_with_protection_asks_for_its_protected_version_in_the_same_write() -> None:
    protect = replace(DETAILS, protect_identity=Protection(voice=True))

    change = lifecycle.complete_draft(READY_DRAFT, "office", protect, LATER)

    assert change.after.status is Status.PROTECTING and change.next_stage is not None
    assert not change.after.draft and change.after.protect_identity == Protection(voice=True)
    assert change.after.voice_disguise is not None and change.after.attempt == READY_DRAFT.attempt + 1
    assert change.expect == {Status.READY}
    assert change.audit is not None and change.audit.action == "details_completed"
    assert change.audit.details["rendered_again"] is True
    # Without protection, it waits for review where it stands.
    assert lifecycle.complete_draft(READY_DRAFT, "office", DETAILS, LATER).after.status is Status.READY


def test_what_keeps_a_draft_s_child_safer_is_never_refused() -> None:
    flagged = lifecycle.edit(READY_DRAFT, "editor Anna", {"sensitive": True}, LATER).after
    assert flagged.sensitive and flagged.draft
    highlighted = replace(READY_DRAFT, highlighted=True)  # from before drafts refused it
    assert lifecycle.highlight(highlighted, "editor Anna", False, LATER).after.highlighted is False
