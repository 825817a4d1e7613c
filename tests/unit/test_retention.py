"""The retention policy of raw uploads (chalicelib/domain/retention.py), without any storage."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.errors import ConflictError
from chalicelib.domain.film import Film, HistoryStep, Status
from chalicelib.domain.protection import Protection
from chalicelib.domain.retention import (
    DeletionReason,
    check_source_kept,
    due_after_first_publication,
    due_on_publication,
    due_on_refusal,
    is_due,
    reason_for,
)

AT = "2026-03-01T12:00:00.000Z"
FILM = Film(video_id="f", status=Status.READY, created_at=AT, status_changed_at=AT)
FACES = Protection(faces=True)


def test_a_protected_film_is_due_the_moment_it_is_published():
    assert due_on_publication(replace(FILM, protect_identity=FACES), AT) == AT


def test_any_other_film_is_due_30_days_after_its_first_publication():
    first = due_on_publication(FILM, AT)
    assert first == "2026-03-31T12:00:00.000Z"
    published_again = replace(FILM, status=Status.UNPUBLISHED, source_delete_after=first)
    assert due_on_publication(published_again, "2026-03-20T08:00:00.000Z") == first


def test_protecting_a_film_after_its_first_publication_brings_its_date_forward():
    film = replace(FILM, status=Status.UNPUBLISHED, source_delete_after="2026-03-31T12:00:00.000Z")
    assert due_on_publication(replace(film, protect_identity=FACES), "2026-03-05T00:00:00.000Z") == (
        "2026-03-05T00:00:00.000Z"
    )


def test_nothing_is_dated_once_the_source_is_gone():
    assert due_on_publication(replace(FILM, source_deleted_at=AT), AT) is None


def test_a_film_processed_again_after_a_publication_keeps_the_date_of_its_first_one():
    assert due_after_first_publication(FILM) is None
    history = (
        HistoryStep(Status.READY, AT),
        HistoryStep(Status.PUBLISHED, "2026-03-02T00:00:00.000Z"),
        HistoryStep(Status.UNPUBLISHED, "2026-03-03T00:00:00.000Z"),
        HistoryStep(Status.PUBLISHED, "2026-03-10T00:00:00.000Z"),
    )
    assert due_after_first_publication(replace(FILM, history=history)) == "2026-04-01T00:00:00.000Z"


def test_a_refused_film_is_due_14_days_later():
    assert due_on_refusal(AT) == "2026-03-15T12:00:00.000Z"


@pytest.mark.parametrize(
    ("status", "due"),
    [
        (Status.PUBLISHED, True),
        (Status.UNPUBLISHED, True),
        (Status.REJECTED, True),
        (Status.FAILED, True),
        (Status.TRANSCODING, False),  # a stage may be reading it: later
        (Status.VALIDATING, False),
        (Status.READY, True),  # dated only if published before: processed again since
        (Status.DELETED, False),
    ],
)
def test_a_source_is_deleted_only_when_the_film_has_settled(status, due):
    film = replace(FILM, status=status, source_delete_after=AT)
    assert is_due(film, AT) is due
    assert is_due(film, "2026-03-01T11:59:59.999Z") is False


def test_why_a_source_went():
    assert reason_for(replace(FILM, status=Status.REJECTED)) is DeletionReason.KEPT_AFTER_REFUSAL
    assert reason_for(replace(FILM, status=Status.PUBLISHED)) is DeletionReason.KEPT_AFTER_PUBLICATION
    protected = replace(FILM, status=Status.PUBLISHED, protect_identity=FACES)
    assert reason_for(protected) is DeletionReason.PROTECTED_FILM_PUBLISHED


def test_what_needs_the_source_is_refused_once_it_is_gone():
    check_source_kept(FILM, "retried")
    with pytest.raises(ConflictError) as refused:
        check_source_kept(replace(FILM, source_deleted_at=AT), "retried")
    assert refused.value.code == "source_deleted"
    assert "2026-03-01" in refused.value.message
