"""The lifecycle commands (domain/lifecycle.py) in memory: what each refuses, what its change writes (status,
fields, listings, audit entry, next stage), and, applied through services/changes.py against fakes of the
ports, the order of the media side effects around the commit. The adapter's own conditional writes are
tested against moto (tests/functional/test_change_with_audit.py, test_editorial.py, test_takedown.py)."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest

from chalicelib.domain import lifecycle
from chalicelib.domain.change import AuditEntry, Change, Listed, Media
from chalicelib.domain.errors import (
    ConflictError,
    DomainError,
    InvalidRequestError,
    NotFoundError,
    StaleTransitionError,
)
from chalicelib.domain.film import (
    CORRECTABLE,
    Film,
    FilmRendition,
    HistoryStep,
    Status,
    SubtitleTrack,
)
from chalicelib.domain.metadata import Author
from chalicelib.domain.protection import ProtectedMaster, Protection
from chalicelib.domain.stages import PROTECT, STAGES, TRANSCODE, VALIDATE
from chalicelib.domain.takedown_reasons import TakedownReason, TakedownWhy
from chalicelib.services import changes
from chalicelib.services.dependencies import Dependencies
from tests.fakes.catalog import InMemoryCatalog
from tests.fakes.media import InMemoryCache, InMemoryStore, Journal
from tests.fakes.queue import InMemoryQueue

WHY = TakedownWhy(TakedownReason.CONSENT_WITHDRAWN)

VIDEO_ID = "6f1c1c3e-2f0e-4a55-9d7a-5b7f0c2a9e11"
AT = "2026-12-01T10:00:00.000Z"
LATER = "2026-12-01T11:00:00.000Z"
CONSENT = {"guardian_consent": True, "child_assent": True, "reference": "box 3"}
READY = Film(
    video_id=VIDEO_ID,
    status=Status.READY,
    created_at=AT,
    status_changed_at=AT,
    office_id="office-az",
    upload_key=f"uploads/{VIDEO_ID}/source.mp4",
    title="My street",
    country="AZ",
    topics=("violence",),
    workshop="baku-2012",
    author=Author("Leyla", 14),
    duration_s=60.0,
    renditions=(FilmRendition("360p", f"films/{VIDEO_ID}/360p.mp4", 640, 360),),
    poster_key=f"films/{VIDEO_ID}/poster.jpg",
    version=3,
)
CONSENTED = replace(READY, consent={**CONSENT, "recorded_by": "editor Anna", "recorded_at": AT})
PUBLISHED = replace(CONSENTED, status=Status.PUBLISHED, published_at=AT)


def code_of(error: pytest.ExceptionInfo[DomainError]) -> str:
    return error.value.code


# What each command refuses, with the codes of docs/API.md ------------------------------------------------


@pytest.mark.parametrize(
    ("film", "code"),
    [
        (READY, "consent_missing"),
        (replace(CONSENTED, sensitive=True), "safeguarding_required"),
        (replace(CONSENTED, protect_identity=Protection(faces=True)), "protection_pending"),
        (replace(CONSENTED, status=Status.PROTECTING, protect_identity=Protection(faces=True)), "protection_pending"),
        (replace(CONSENTED, status=Status.TRANSCODING), "conflict"),
        (PUBLISHED, "conflict"),
    ],
)
def test_publish_refuses_a_film_not_ready_to_be_public(film: Film, code: str) -> None:
    with pytest.raises(ConflictError) as refused:
        lifecycle.publish(film, "editor Anna", LATER, safeguarding_confirmed=False)
    assert code_of(refused) == code


def test_publish_moves_a_consented_film_to_published_lists_it_and_makes_it_public_after_the_commit() -> None:
    change = lifecycle.publish(CONSENTED, "editor Anna", LATER, safeguarding_confirmed=False)

    assert (change.expect, change.target) == (frozenset({Status.READY}), Status.PUBLISHED)
    assert change.set_fields() == {"published_at": LATER, "source_delete_after": "2026-12-31T11:00:00.000Z"}
    assert change.listed is not None
    assert set(change.listed.facets) >= {"all", "country#AZ", "topic#violence", "status#PUBLISHED"}
    assert change.audit == AuditEntry("editor Anna", "published")
    assert change.media is Media.EXPOSE and change.checks_version and not change.deletes_source


def test_publish_of_the_film_as_the_editor_saw_it_is_refused_once_it_changed() -> None:
    # Protected since the editor looked (and READY again): the version moved on, and that is what the refusal says.
    changed = replace(CONSENTED, protect_identity=Protection(faces=True), version=CONSENTED.version + 1)
    with pytest.raises(ConflictError) as refused:
        lifecycle.publish(changed, "editor Anna", LATER, safeguarding_confirmed=False, seen_version=CONSENTED.version)
    assert code_of(refused) == "film_changed"

    change = lifecycle.publish(CONSENTED, "editor Anna", LATER, safeguarding_confirmed=False, seen_version=3)
    assert change.target is Status.PUBLISHED and change.checks_version and change.before.version == 3


def test_a_protected_film_loses_its_source_when_it_is_published_and_a_sensitive_one_records_who_confirmed() -> None:
    film = replace(
        CONSENTED, sensitive=True, protect_identity=Protection(faces=True), protection_applied=Protection(faces=True)
    )

    change = lifecycle.publish(film, "editor Anna", LATER, safeguarding_confirmed=True)

    assert change.deletes_source and change.after.source_delete_after == LATER
    assert change.after.safeguarding == {"confirmed_by": "editor Anna", "confirmed_at": LATER}


def test_unpublish_takes_the_film_out_of_the_public_listings_and_hides_its_media_first() -> None:
    with pytest.raises(ConflictError):
        lifecycle.unpublish(CONSENTED, "editor Anna", LATER)

    change = lifecycle.unpublish(PUBLISHED, "editor Anna", LATER)

    assert change.target is Status.UNPUBLISHED and change.remove_fields() == ("published_at",)
    assert change.listed is not None and change.listed.facets == ("status#UNPUBLISHED",)
    assert change.media is Media.HIDE and change.audit is not None and change.audit.action == "unpublished"


@pytest.mark.parametrize(
    ("film", "code"),
    [
        (PUBLISHED, "unpublish_first"),
        (replace(READY, status=Status.TRANSCODING), "film_processing"),
        (replace(READY, source_deleted_at=AT), "source_deleted"),
    ],
)
def test_a_change_of_protection_is_refused_on_a_public_film_a_film_in_processing_or_one_without_its_source(
    film: Film, code: str
) -> None:
    with pytest.raises(ConflictError) as refused:
        lifecycle.request_protection(film, "editor Anna", Protection(faces=True), LATER)
    assert code_of(refused) == code


def test_protection_asked_on_a_ready_film_renders_it_again_with_a_disguise_the_audit_does_not_name() -> None:
    change = lifecycle.request_protection(
        READY, "editor Anna", Protection(faces=True, voice=True), LATER, random.Random(7)
    )

    assert change.target is Status.PROTECTING and change.next_stage is PROTECT
    assert change.after.attempt == READY.attempt + 1
    assert change.after.protect_identity == Protection(faces=True, voice=True)
    assert change.after.voice_disguise is not None
    assert change.audit is not None
    assert change.audit.details == {"faces": True, "voice": True, "rendered_again": True}


def test_protection_turned_off_renders_the_film_again_from_its_source_and_claims_nothing_meanwhile() -> None:
    protected = replace(READY, protect_identity=Protection(faces=True), protection_applied=Protection(faces=True))

    change = lifecycle.request_protection(protected, "editor Anna", None, LATER)

    assert change.target is Status.TRANSCODING and change.next_stage is TRANSCODE
    assert {"protect_identity", "protection_applied"} <= set(change.remove_fields())


def test_protection_asked_again_as_it_is_changes_no_status() -> None:
    protected = replace(READY, protect_identity=Protection(faces=True), protection_applied=Protection(faces=True))

    change = lifecycle.request_protection(protected, "editor Anna", Protection(faces=True), LATER)

    assert change.target is None and change.next_stage is None and change.set_fields() == {}


def test_an_edit_of_a_published_film_rewrites_its_listings_and_flagging_it_sensitive_needs_an_unpublish() -> None:
    with pytest.raises(ConflictError) as refused:
        lifecycle.edit(PUBLISHED, "editor Anna", {"sensitive": True}, LATER)
    assert code_of(refused) == "unpublish_first"

    change = lifecycle.edit(PUBLISHED, "editor Anna", {"title": "Our street", "workshop": None}, LATER)

    assert change.set_fields() == {"title": "Our street"} and change.remove_fields() == ("workshop",)
    assert change.listed is not None and "workshop#baku-2012" not in change.listed.facets
    assert change.listed.record["title"] == "Our street"
    assert change.audit is not None and change.audit.details == {"fields": ["title", "workshop"]}


def test_subtitles_replaced_forget_the_old_text_and_removing_a_language_it_lacks_is_not_found() -> None:
    film = replace(PUBLISHED, subtitles=(SubtitleTrack("en", f"films/{VIDEO_ID}/en-old.vtt"),))

    change = lifecycle.add_subtitles(film, "editor Anna", SubtitleTrack("en", f"films/{VIDEO_ID}/en-new.vtt"), LATER)

    assert change.forget == (f"films/{VIDEO_ID}/en-old.vtt",) and change.media is Media.EXPOSE
    with pytest.raises(NotFoundError):
        lifecycle.remove_subtitles(film, "editor Anna", "az", LATER)
    with pytest.raises(ConflictError):
        lifecycle.add_subtitles(
            replace(film, status=Status.TRANSCODING), "editor Anna", SubtitleTrack("az", "k"), LATER
        )


@pytest.mark.parametrize("note", ["Leyla's mother asked.", "LEYLA asked us", "asked by leylá herself"])
def test_a_takedown_note_naming_the_child_is_refused(note: str) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        lifecycle.take_down(PUBLISHED, "editor Anna", TakedownWhy(TakedownReason.OTHER, note), LATER)
    assert code_of(refused) == "note_names_child" and "note" in refused.value.message
    # A word that only contains the name is not the name.
    assert lifecycle.take_down(PUBLISHED, "editor Anna", TakedownWhy(TakedownReason.OTHER, "Leylanda asked"), LATER)


def test_a_takedown_leaves_a_tombstone_out_of_every_listing_and_its_audit_says_what_the_film_was_and_why() -> None:
    why = TakedownWhy(TakedownReason.OTHER, "The workshop's partner asked for every film of the day.")
    change = lifecycle.take_down(PUBLISHED, "editor Anna", why, LATER)

    assert change.target is Status.DELETED and change.media is Media.REMOVE
    # The tombstone is id, DELETED, time: the reason is in the audit entry only.
    assert change.after == Film(VIDEO_ID, Status.DELETED, AT, LATER, takedown_unfinished_since=LATER)
    assert change.listed == Listed((), {}, None)
    assert change.audit == AuditEntry(
        "editor Anna", "taken_down", {"was": "PUBLISHED", "reason": "other", "note": why.note}
    )


def test_an_office_corrects_its_film_until_it_was_published_and_a_correction_after_consent_sends_it_back() -> None:
    with pytest.raises(ConflictError) as refused:
        lifecycle.correct(replace(PUBLISHED, history=()), "office", {"title": "x"}, LATER)
    assert code_of(refused) == "not_correctable"
    change = lifecycle.correct(CONSENTED, "office", {"author": {"first_name": "Lala", "age": 13}}, LATER)

    assert change.after.author == Author("Lala", 13) and change.after.consent is None
    assert set(change.remove_fields()) == {"consent"} and change.expect == CORRECTABLE
    assert change.audit is not None and change.audit.details == {"fields": ["author"], "sent_back_to_review": True}
    faces = {"protect_identity": {"faces": True, "voice": False}}
    asking = lifecycle.correct(replace(READY, status=Status.UPLOADED), "office", faces, LATER)
    # In the status read: a stage's end landing first (it moves no version) has the request read the film again.
    assert asking.expect == {Status.UPLOADED}
    # On a READY film, consented or not, its protected version is asked in the same write: no second write to lose
    # to an editor's change, which left the protection asked and never made.
    for ready in (READY, CONSENTED):
        made_again = lifecycle.correct(ready, "office", faces, LATER)
        assert made_again.after.status is Status.PROTECTING and made_again.next_stage is not None
        assert made_again.expect == {Status.READY} and made_again.after.consent is None
        assert made_again.audit is not None and made_again.audit.action == "corrected_by_office"
        assert made_again.audit.details["rendered_again"] is True


# The in-memory catalog honours the adapter's conditions ------------------------------------------------------


def test_a_change_on_a_version_read_before_another_editors_writes_nothing_not_even_its_audit_entry() -> None:
    catalog = InMemoryCatalog()
    catalog.create_film(CONSENTED)
    catalog.apply(lifecycle.highlight(CONSENTED, "editor Bea", True, LATER))

    with pytest.raises(StaleTransitionError):
        catalog.apply(lifecycle.publish(CONSENTED, "editor Anna", LATER, safeguarding_confirmed=False))

    stored = catalog.get_film(VIDEO_ID)
    assert stored is not None and stored.status is Status.READY and stored.version == CONSENTED.version + 1
    assert [entry["action"] for entry in catalog.audit_trail(VIDEO_ID)] == ["highlighted"]


def test_a_transition_the_lifecycle_does_not_allow_is_refused_whatever_the_command_says() -> None:
    catalog = InMemoryCatalog()
    catalog.create_film(READY)
    backwards = replace(lifecycle.unpublish(PUBLISHED, "editor Anna", LATER), before=READY)

    with pytest.raises(StaleTransitionError):
        catalog.apply(backwards)
    assert catalog.audit_trail(VIDEO_ID) == []


# The media side effects, in order around the commit ----------------------------------------------------------


def deps_with(film: Film, failing: frozenset[str] = frozenset()) -> tuple[Dependencies, InMemoryCatalog, Journal]:
    journal = Journal(failing=failing)
    catalog = InMemoryCatalog()
    catalog.create_film(film)
    media = InMemoryStore(
        journal, objects=dict.fromkeys((f"films/{VIDEO_ID}/360p.mp4", f"films/{VIDEO_ID}/poster.jpg"), False)
    )
    fakes: dict[str, Any] = {
        # What a share page names (services/media_exposure.py).
        "settings": SimpleNamespace(media_base_url="https://media.example", site_url="https://films.example"),
        "catalog": Journaled(catalog, journal),
        "uploads": InMemoryStore(journal, "uploads"),
        "media": media,
        "media_cache": InMemoryCache(journal),
        "queues": {stage.name: InMemoryQueue() for stage in STAGES},
        "idempotency": None,
    }
    return Dependencies(**fakes), catalog, journal


class Journaled:
    """The in-memory catalog, its commits written in the journal."""

    def __init__(self, catalog: InMemoryCatalog, journal: Journal) -> None:
        self._catalog, self._journal = catalog, journal

    def apply(self, change: Change) -> None:
        self._journal.record("catalog.apply")
        self._catalog.apply(change)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._catalog, name)


PREFIX = f"films/{VIDEO_ID}/"
SHARE_PAGE = f"{PREFIX}share.html"
# The film's workshop's share page: public while the workshop has a published film.
WORKSHOP_PAGE = "films/workshops/baku-2012/share.html"


def test_a_publish_commits_first_then_makes_exactly_the_listed_media_public() -> None:
    deps, catalog, journal = deps_with(CONSENTED)

    exposed = changes.apply(deps, lifecycle.publish(CONSENTED, "editor Anna", LATER, safeguarding_confirmed=False))

    assert exposed and journal.calls == ["catalog.apply", f"media.expose {PREFIX}", f"media.tag {WORKSHOP_PAGE}"]
    public = (f"{PREFIX}360p.mp4", f"{PREFIX}poster.jpg", SHARE_PAGE, WORKSHOP_PAGE)
    assert all(deps.media.is_public(key) for key in public), "the film's share page, and its workshop's first"
    assert catalog.marks == {}, "the mark goes once the tags follow the catalog"


def test_a_publish_that_loses_its_race_tags_nothing() -> None:
    deps, catalog, journal = deps_with(CONSENTED)
    catalog.fail_next = StaleTransitionError("another editor")

    with pytest.raises(StaleTransitionError):
        changes.apply(deps, lifecycle.publish(CONSENTED, "editor Anna", LATER, safeguarding_confirmed=False))

    assert journal.calls == ["catalog.apply"] and not any(deps.media.objects.values())


# The first step of an unpublish or a takedown: the film's share page deleted and out of the CDN's cache, and its
# workshop's, whose last published film it is.
SHARE_PAGES_GO = [
    f"media.delete {SHARE_PAGE}",
    f"cdn.invalidate /{SHARE_PAGE}",
    f"media.untag {WORKSHOP_PAGE}",
    f"media.delete {WORKSHOP_PAGE}",
    f"cdn.invalidate /{WORKSHOP_PAGE}",
]


def published_with_share_pages(failing: frozenset[str] = frozenset()) -> tuple[Dependencies, InMemoryCatalog, Journal]:
    deps, catalog, journal = deps_with(CONSENTED, failing)
    changes.apply(deps, lifecycle.publish(CONSENTED, "editor Anna", AT, safeguarding_confirmed=False))
    assert deps.media.objects[SHARE_PAGE] and deps.media.objects[WORKSHOP_PAGE]
    journal.calls.clear()
    return deps, catalog, journal


def test_an_unpublish_deletes_the_share_pages_and_hides_the_media_before_its_commit_and_again_after_it() -> None:
    deps, catalog, journal = published_with_share_pages()
    published = catalog.get_film(VIDEO_ID)
    assert published is not None

    changes.apply(deps, lifecycle.unpublish(published, "editor Anna", LATER))

    assert journal.calls == [
        f"media.untag {PREFIX}",
        *SHARE_PAGES_GO,
        "catalog.apply",
        f"media.untag {PREFIX}",
        f"cdn.invalidate /{PREFIX}*",
        f"media.delete {SHARE_PAGE}",  # again: an edit's exposure that raced it may have written it since
        f"media.untag {WORKSHOP_PAGE}",  # the workshop as the catalog reads now: still none published
        f"media.delete {WORKSHOP_PAGE}",
        f"cdn.invalidate /{WORKSHOP_PAGE}",
    ]
    assert not any(deps.media.objects.values()) and SHARE_PAGE not in deps.media.objects
    assert WORKSHOP_PAGE not in deps.media.objects


def test_a_workshop_keeps_its_share_page_while_another_of_its_films_is_published() -> None:
    deps, catalog, journal = published_with_share_pages()
    other = replace(PUBLISHED, video_id="5e0b0b2d-1f0e-4a55-9d7a-5b7f0c2a9e10", published_at=AT)
    catalog.create_film(other)
    catalog.listings[other.video_id] = {"workshop#baku-2012": {"video_id": other.video_id, "published_at": AT}}
    published = catalog.get_film(VIDEO_ID)
    assert published is not None

    changes.apply(deps, lifecycle.unpublish(published, "editor Anna", LATER))

    assert f"media.delete {WORKSHOP_PAGE}" not in journal.calls
    assert deps.media.objects[WORKSHOP_PAGE], "written again, naming the film still published"


def test_an_unpublish_that_fails_to_commit_leaves_the_media_as_the_catalog_says() -> None:
    deps, catalog, journal = deps_with(PUBLISHED)
    catalog.fail_next = StaleTransitionError("another editor")

    with pytest.raises(StaleTransitionError):
        changes.apply(deps, lifecycle.unpublish(PUBLISHED, "editor Anna", LATER))

    assert journal.calls[:7] == [f"media.untag {PREFIX}", *SHARE_PAGES_GO, "catalog.apply"]
    assert journal.calls[7] == f"media.expose {PREFIX}", "still published: public again, as the catalog says"
    assert deps.media.objects[SHARE_PAGE], "its share page written again"
    assert catalog.marks == {}


def test_a_takedown_hides_the_media_before_its_tombstone_even_when_s3_refuses() -> None:
    deps, catalog, journal = deps_with(PUBLISHED, failing=frozenset({f"media.untag {PREFIX}"}))

    changes.apply(deps, lifecycle.take_down(PUBLISHED, "editor Anna", WHY, LATER))

    assert journal.calls[:7] == [f"media.untag {PREFIX}", *SHARE_PAGES_GO, "catalog.apply"]
    stored = catalog.get_film(VIDEO_ID)
    assert stored is not None and stored.status is Status.DELETED


def test_a_film_rendered_again_is_queued_for_its_stage_once_committed() -> None:
    deps, _, journal = deps_with(READY)

    changes.apply(deps, lifecycle.request_protection(READY, "editor Anna", Protection(faces=True), LATER))

    assert journal.calls == ["catalog.apply"]
    assert len(deps.queue(PROTECT).sent) == 1 and deps.queue(TRANSCODE).sent == []


# Each stage's completion ---------------------------------------------------------------------------------------


def test_the_protection_stage_hands_its_master_to_the_transcode_and_a_film_asking_nothing_reads_the_source() -> None:
    protecting = replace(READY, status=Status.PROTECTING, protect_identity=Protection(faces=True))
    master = ProtectedMaster(key=f"uploads/{VIDEO_ID}/master.mkv", etag="e", faces=True)

    change = lifecycle.protected(protecting, master, LATER)

    assert change.target is Status.TRANSCODING and change.next_stage is TRANSCODE
    assert change.expect == frozenset({Status.PROTECTING}) and not change.checks_version
    assert change.set_fields() == {"protected_master": master}
    assert lifecycle.protected(protecting, None, LATER).remove_fields() == ("protected_master",)


def test_a_transcode_makes_the_film_ready_with_exactly_the_protection_its_outputs_carry() -> None:
    transcoding = replace(READY, status=Status.TRANSCODING, protection_applied=Protection(faces=True))
    names = ("poster_key", "sprite_key", "storyboard_key", "share_image_key", "hls_key")
    images = {name: f"{PREFIX}{name}" for name in names}

    change = lifecycle.transcoded(
        transcoding, LATER, renditions=READY.renditions, images=images, duration_s=60.0, applied=None
    )

    assert change.target is Status.READY and change.expect == frozenset({Status.TRANSCODING})
    assert change.set_fields()["renditions"] == READY.renditions and change.remove_fields() == ("protection_applied",)
    assert change.set_fields()["hls_key"] == f"{PREFIX}hls_key", "the master playlist is recorded with the renditions"


@pytest.mark.parametrize("command", [lifecycle.rejected, lifecycle.failed])
def test_a_late_rejection_or_failure_never_moves_a_film_backwards(command: Any) -> None:
    catalog = InMemoryCatalog()
    catalog.create_film(PUBLISHED)

    with pytest.raises(StaleTransitionError):
        catalog.apply(command(PUBLISHED, "duration_out_of_range", "too long", LATER))

    validating = replace(READY, video_id="x", status=Status.VALIDATING)
    catalog.create_film(validating)
    catalog.apply(command(validating, "duration_out_of_range", "61.5 s is too long", LATER))
    ended = catalog.get_film("x")
    assert ended is not None and ended.reason_code == "duration_out_of_range" and ended.source_delete_after
    assert ended.status is (Status.REJECTED if command is lifecycle.rejected else Status.FAILED)


# The upload's own moves, and an operator's retry ---------------------------------------------------------------

AWAITING = replace(
    READY, status=Status.AWAITING_UPLOAD, renditions=(), poster_key=None, duration_s=None, size_bytes=1000, version=0
)


def test_an_upload_arrives_and_is_taken_by_validation_once() -> None:
    catalog = InMemoryCatalog()
    catalog.create_film(AWAITING)

    arrived = lifecycle.uploaded(AWAITING, AT, etag="etag-1", size_bytes=2048)
    catalog.apply(arrived)
    catalog.apply(lifecycle.validating(arrived.after, LATER))

    assert arrived.set_fields() == {"upload_etag": "etag-1", "size_bytes": 2048}
    assert (arrived.audit, arrived.next_stage, arrived.checks_version) == (None, None, False)
    film = catalog.get_film(VIDEO_ID)
    assert film is not None and film.status is Status.VALIDATING
    assert [step.status for step in film.history] == [Status.AWAITING_UPLOAD, Status.UPLOADED, Status.VALIDATING]
    with pytest.raises(StaleTransitionError):  # a second delivery of the event, which read the film UPLOADED
        catalog.apply(lifecycle.validating(arrived.after, LATER))
    with pytest.raises(StaleTransitionError):  # and an event for a film already past its upload
        lifecycle.uploaded(film, LATER, etag="etag-2", size_bytes=2048)


def test_an_upload_expires_only_while_it_is_awaited() -> None:
    change = lifecycle.expired(AWAITING, "No file arrived before the upload link expired.", LATER)

    assert (change.expect, change.target) == (frozenset({Status.AWAITING_UPLOAD}), Status.EXPIRED)
    assert change.set_fields() == {"reason_code": "upload_expired", "reason": change.after.reason}
    with pytest.raises(StaleTransitionError):
        lifecycle.expired(replace(AWAITING, status=Status.UPLOADED), "late", LATER)


def deps_for_uploads(film: Film) -> tuple[Dependencies, InMemoryCatalog]:
    deps, catalog, _ = deps_with(film)
    return replace(deps, settings=SimpleNamespace(uploads_bucket="uploads")), catalog


@pytest.mark.parametrize("status", [Status.VALIDATING, Status.PROTECTING, Status.TRANSCODING])
def test_an_upload_replaced_under_a_stage_is_validated_from_the_start_as_a_new_attempt(status: Status) -> None:
    reading = replace(AWAITING, status=status, upload_etag="old", attempt=2, requeued=1)
    deps, catalog = deps_for_uploads(reading)

    changes.apply(deps, lifecycle.upload_replaced(reading, LATER, etag="new", size_bytes=4096))

    film = catalog.get_film(VIDEO_ID)
    assert film is not None and film.status is Status.UPLOADED
    assert (film.upload_etag, film.size_bytes, film.attempt, film.requeued) == ("new", 4096, 3, 0)
    [notification] = deps.queue(VALIDATE).sent
    assert json.loads(notification)["Records"][0]["s3"]["object"]["eTag"] == "new"
    assert catalog.audit_trail(VIDEO_ID) == []


def test_only_a_stage_reading_the_upload_goes_back_for_a_replaced_one() -> None:
    for status in (Status.UPLOADED, Status.READY, Status.FAILED):
        with pytest.raises(StaleTransitionError):
            lifecycle.upload_replaced(replace(AWAITING, status=status), LATER, etag="new", size_bytes=1)


FAILED = replace(
    READY,
    status=Status.FAILED,
    attempt=1,
    requeued=1,
    reason_code="processing_timeout",
    reason="Transcoding did not finish within its time limit.",
    source_delete_after="2026-12-31T10:00:00.000Z",
)


def test_an_operators_retry_starts_a_failed_film_again_from_its_upload_and_is_audited() -> None:
    deps, catalog = deps_for_uploads(FAILED)

    changes.apply(deps, lifecycle.retried(FAILED, "operator (omjr ops retry)", LATER))

    film = catalog.get_film(VIDEO_ID)
    assert film is not None and film.status is Status.UPLOADED and (film.attempt, film.requeued) == (2, 0)
    assert (film.reason_code, film.reason, film.source_delete_after) == (None, None, None)
    assert catalog.audit_trail(VIDEO_ID) == [
        {"actor": "operator (omjr ops retry)", "action": "retried", "details": {"attempt": 2}, "at": LATER}
    ]
    assert len(deps.queue(VALIDATE).sent) == 1


def test_a_retried_film_published_before_keeps_its_sources_first_date() -> None:
    published_once = replace(FAILED, history=(HistoryStep(Status.PUBLISHED, AT),))

    change = lifecycle.retried(published_once, "operator", LATER)

    assert change.after.source_delete_after == "2026-12-31T10:00:00.000Z"


def test_a_retry_is_refused_for_a_film_not_failed_or_without_its_source_and_on_a_stale_read() -> None:
    with pytest.raises(ConflictError) as refused:
        lifecycle.retried(READY, "operator", LATER)
    assert code_of(refused) == "not_failed"
    with pytest.raises(ConflictError) as refused:
        lifecycle.retried(replace(FAILED, source_deleted_at=AT), "operator", LATER)
    assert code_of(refused) == "source_deleted"

    catalog = InMemoryCatalog()
    catalog.create_film(FAILED)
    catalog.apply(lifecycle.record_consent(FAILED, "editor Anna", CONSENT, AT))  # meanwhile
    with pytest.raises(StaleTransitionError):
        catalog.apply(lifecycle.retried(FAILED, "operator", LATER))
    assert [entry["action"] for entry in catalog.audit_trail(VIDEO_ID)] == ["consent_recorded"]


def test_protection_an_office_asks_while_a_stage_that_read_none_runs_is_kept_and_made_when_that_stage_ends() -> None:
    faces = {"protect_identity": {"faces": True, "voice": False}}
    for status in (Status.PROTECTING, Status.TRANSCODING):
        asked = lifecycle.correct(replace(READY, status=status), "office", faces, LATER)
        assert asked.after.status is status and asked.after.protect_identity == Protection(faces=True)
        assert asked.next_stage is None and asked.expect == {status}

    # Sent to the transcode from its source before the ask: it goes to the protection stage first.
    transcoding = replace(READY, status=Status.TRANSCODING, protect_identity=Protection(faces=True))
    first = lifecycle.protection_caught_up(transcoding, LATER)
    assert first is not None and first.after.status is Status.PROTECTING and first.next_stage is not None
    assert first.expect == {Status.TRANSCODING} and first.after.attempt == transcoding.attempt + 1
    assert first.audit == AuditEntry(
        lifecycle.PIPELINE_ACTOR,
        "protection_caught_up",
        {"protect_identity": {"faces": True, "voice": False}, "rendered_again": True},
    )
    # A master made before the voice was asked: made again with both.
    master = ProtectedMaster(key="films/x/protected-1.mkv", etag="etag", faces=True)
    both = replace(transcoding, protect_identity=Protection(faces=True, voice=True), protected_master=master)
    assert lifecycle.protection_caught_up(both, LATER) is not None
    assert lifecycle.protection_caught_up(replace(both, protect_identity=Protection(faces=True)), LATER) is None
    # Transcoded meanwhile: READY with outputs that lack it, made again (and not published before: pending).
    ready = replace(READY, protect_identity=Protection(faces=True), protection_applied=None)
    again = lifecycle.protection_caught_up(ready, LATER)
    assert again is not None and again.after.status is Status.PROTECTING and again.expect == {Status.READY}
    with pytest.raises(ConflictError) as pending:
        lifecycle.publish(replace(ready, consent=CONSENTED.consent), "editor Anna", LATER, safeguarding_confirmed=False)
    assert code_of(pending) == "protection_pending"
    # Nothing lacking, nothing asked, or no source left to make it from: nothing to do.
    assert lifecycle.protection_caught_up(replace(ready, protection_applied=Protection(faces=True)), LATER) is None
    assert lifecycle.protection_caught_up(READY, LATER) is None
    assert lifecycle.protection_caught_up(replace(ready, source_deleted_at=AT), LATER) is None
    assert lifecycle.protection_caught_up(replace(ready, status=Status.PUBLISHED), LATER) is None


def test_a_master_made_for_another_ask_is_not_reused_the_film_is_protected_again_for_exactly_what_is_asked() -> None:
    # An editor turned protection off for a READY film whose master carries faces and voice: TRANSCODING from the
    # source, the old master still recorded. Its office then ticks "Blur faces": the transcode must not take the
    # old master (the voice disguised, asked by nobody now), but have a master made for faces alone.
    master = ProtectedMaster(key="uploads/x/protected.mkv", etag="e", faces=True, voice=True)
    film = replace(READY, status=Status.TRANSCODING, protect_identity=Protection(faces=True), protected_master=master)
    again = lifecycle.protection_caught_up(film, LATER)
    assert again is not None and again.after.status is Status.PROTECTING
    exact = replace(film, protected_master=replace(master, voice=False))
    assert lifecycle.protection_caught_up(exact, LATER) is None
