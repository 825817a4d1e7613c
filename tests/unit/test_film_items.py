"""A film is stored and read back whole; every conditional update is written the one way."""

import pytest

from chalicelib.adapters.dynamodb_items import Update, from_item, to_item
from chalicelib.adapters.film_items import check_field_names, film_item, film_of
from chalicelib.domain.film import Film, FilmRendition, HistoryStep, Status, SubtitleTrack
from chalicelib.domain.metadata import Author
from chalicelib.domain.protection import ProtectedMaster, Protection, VoiceDisguise

FILM = Film(
    video_id="0b8f6a52-8a0e-4f1e-9a53-2a4f7d3e2c11",
    status=Status.AWAITING_UPLOAD,
    created_at="2026-11-25T09:00:00.000Z",
    status_changed_at="2026-11-25T09:00:00.000Z",
    office_id="office-az",
    upload_key="uploads/0b8f6a52-8a0e-4f1e-9a53-2a4f7d3e2c11/source.mp4",
    title="My street",
    country="AZ",
    topics=("violence", "hiv-aids"),
    author=Author("Leyla", 14),
    duration_s=60.5,
    renditions=(FilmRendition("720p", "films/x/720p.mp4", 1280, 720),),
    subtitles=(SubtitleTrack("en", "films/x/subtitles/en-0123456789ab.vtt"),),
    consent={"guardian_consent": True, "child_assent": True, "reference": "box 3"},
    # 96 bits, as drawn: more digits than a float holds, so it must come back as the exact int.
    voice_disguise=VoiceDisguise(seed=2**96 - 12345),
)


def test_a_film_reads_back_as_it_was_written_with_its_first_step():
    item = to_item(film_item(FILM))
    assert film_of(from_item(item)) == Film(
        **{**FILM.__dict__, "history": (HistoryStep(Status.AWAITING_UPLOAD, FILM.created_at),)}
    )
    # Fields at their default are not stored: the item says what is known of the film.
    assert "published_at" not in item and "attempt" not in item and "renditions" in item


def test_a_voice_disguise_recorded_before_it_became_a_path_reads_as_none_so_the_voice_is_asked_again():
    legacy = {"M": {"pitch": {"N": "0.8123"}, "shift_hz": {"N": "60"}}}
    item = {**to_item(film_item(FILM)), "voice_disguise": legacy}
    assert film_of(from_item(item)).voice_disguise is None


# Identity protection as the table has always held it (deployed items): a map of two booleans.
STORED_FACES = {"M": {"faces": {"BOOL": True}, "voice": {"BOOL": False}}}
STORED_BOTH = {"M": {"faces": {"BOOL": True}, "voice": {"BOOL": True}}}
STORED_MASTER = {
    "M": {
        "key": {"S": "uploads/x/protected.mkv"},
        "etag": {"S": '"9b2cf535f27731c974343645a3985328"'},
        "faces": {"BOOL": True},
        "voice": {"BOOL": False},
    }
}


def test_identity_protection_and_the_protected_master_stored_as_maps_read_typed_and_are_written_the_same():
    stored = {"protect_identity": STORED_BOTH, "protection_applied": STORED_FACES, "protected_master": STORED_MASTER}
    film = film_of(from_item({**to_item(film_item(FILM)), **stored}))
    assert film.protect_identity == Protection(faces=True, voice=True)
    assert film.protection_applied == Protection(faces=True)
    assert film.protected_master == ProtectedMaster(
        key="uploads/x/protected.mkv", etag='"9b2cf535f27731c974343645a3985328"', faces=True
    )
    assert film.protected_master.carries == Protection(faces=True)
    written = to_item(film_item(film))
    assert {name: written[name] for name in stored} == stored
    # An update of one field (a stage's or an editor's change) writes the same map.
    update = Update("catalog", {"pk": "FILM#x", "sk": "FILM"}).set({"protection_applied": film.protection_applied})
    assert update.build()["ExpressionAttributeValues"] == {":v0": STORED_FACES}


def test_a_stored_protection_that_asks_for_nothing_reads_as_none():
    nothing = {"M": {"faces": {"BOOL": False}, "voice": {"BOOL": False}}}
    item = {**to_item(film_item(FILM)), "protect_identity": nothing, "protection_applied": nothing}
    film = film_of(from_item(item))
    assert film.protect_identity is None and film.protection_applied is None


def test_a_name_that_is_no_field_of_a_film_is_refused_before_anything_is_written():
    with pytest.raises(ValueError, match="titel"):
        check_field_names(["title", "titel"])


def test_an_update_names_every_attribute_through_placeholders():
    update = (
        Update("catalog", {"pk": "FILM#x", "sk": "FILM"})
        .set({"status": "READY", "size": 3})
        .remove(["reason"])
        .require_one_of("status", ["TRANSCODING"])
        .require_version("version", 2)
        .build()
    )
    assert update["UpdateExpression"] == ("SET #n0 = :v0, #n1 = :v1, #n3 = if_not_exists(#n3, :v5) + :v6 REMOVE #n2")
    assert update["ConditionExpression"] == "#n0 IN (:v2) AND ((attribute_not_exists(#n3) AND :v3 = :v4) OR #n3 = :v3)"
    assert update["ExpressionAttributeNames"] == {"#n0": "status", "#n1": "size", "#n2": "reason", "#n3": "version"}
