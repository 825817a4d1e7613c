import itertools

from chalicelib.domain.film import Status, allowed_sources, can_transition, is_video_id


def test_the_happy_path_is_allowed_in_order():
    path = [
        Status.AWAITING_UPLOAD,
        Status.UPLOADED,
        Status.VALIDATING,
        Status.TRANSCODING,
        Status.READY,
        Status.PUBLISHED,
        Status.UNPUBLISHED,
        Status.PUBLISHED,
    ]
    for current, target in itertools.pairwise(path):
        assert can_transition(current, target), (current, target)


def test_protection_asked_at_upload_goes_through_protecting():
    path = [Status.VALIDATING, Status.PROTECTING, Status.TRANSCODING, Status.READY]
    for current, target in itertools.pairwise(path):
        assert can_transition(current, target), (current, target)


def test_a_film_not_public_is_rendered_again_only_when_an_editor_changes_its_protection():
    # READY -> PROTECTING/TRANSCODING is the editor's change of protection (version-checked, a new attempt):
    # never a pipeline event, whose transitions to those statuses name VALIDATING as the one source.
    for rendered in (Status.READY, Status.UNPUBLISHED):
        assert can_transition(rendered, Status.PROTECTING) and can_transition(rendered, Status.TRANSCODING)
    assert not can_transition(Status.PUBLISHED, Status.PROTECTING)
    assert not can_transition(Status.PUBLISHED, Status.TRANSCODING)


def test_a_film_never_moves_backwards():
    assert not can_transition(Status.READY, Status.VALIDATING)
    assert not can_transition(Status.TRANSCODING, Status.VALIDATING)
    assert not can_transition(Status.PUBLISHED, Status.READY)
    assert not can_transition(Status.REJECTED, Status.VALIDATING)


def test_a_film_being_transcoded_goes_back_to_protection_only_for_protection_asked_meanwhile():
    # lifecycle.protection_caught_up: its office asked for protection after the transcode's input was chosen.
    assert can_transition(Status.TRANSCODING, Status.PROTECTING)
    assert allowed_sources(Status.PROTECTING) == {
        Status.VALIDATING,
        Status.TRANSCODING,
        Status.READY,
        Status.UNPUBLISHED,
    }


def test_deleted_is_final_and_reachable_from_everywhere_else():
    assert allowed_sources(Status.DELETED) == frozenset(set(Status) - {Status.DELETED})
    assert not any(can_transition(Status.DELETED, target) for target in Status)


def test_every_processing_state_can_fail_and_a_failed_film_can_be_retried():
    assert allowed_sources(Status.FAILED) == {Status.UPLOADED, Status.VALIDATING, Status.PROTECTING, Status.TRANSCODING}
    assert can_transition(Status.FAILED, Status.UPLOADED)


def test_only_ready_or_unpublished_films_can_be_published():
    assert allowed_sources(Status.PUBLISHED) == {Status.READY, Status.UNPUBLISHED}


def test_video_ids_are_canonical_uuids():
    assert is_video_id("0b8f6a52-8a0e-4f1e-9a53-2a4f7d3e2c11")
    assert not is_video_id("0B8F6A52-8A0E-4F1E-9A53-2A4F7D3E2C11")
    assert not is_video_id("../etc/passwd")
    assert not is_video_id("")


def test_only_a_stage_that_reads_the_upload_goes_back_to_uploaded_when_it_was_replaced():
    assert allowed_sources(Status.UPLOADED) == {
        Status.AWAITING_UPLOAD,
        Status.FAILED,
        Status.VALIDATING,
        Status.PROTECTING,
        Status.TRANSCODING,
    }
    assert not can_transition(Status.READY, Status.UPLOADED)
    assert not can_transition(Status.REJECTED, Status.UPLOADED)
