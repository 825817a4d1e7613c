"""Each film's voice disguise is its own, drawn when voice protection is first asked, kept when it is
asked again, and never shown: not in any response, not in the audit trail, not in the logs: its seed is the key to the
path of steps the disguise follows."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator

import pytest

from chalicelib.adapters.film_items import film_of
from chalicelib.domain.film import Film
from chalicelib.domain.protection import VOICE_SHIFT_HZ_RANGE, VOICE_TRACT_RANGES, VoiceDisguise
from chalicelib.observability import logger
from tests.functional.conftest import get, post_json, upload_body
from tests.functional.factories import finish_rendering
from tests.functional.test_editorial import call, ready_film

VOICE = {"faces": False, "voice": True}


class KeptLines(logging.Handler):
    """Every line the service logs, formatted as it is shipped."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logger.registered_formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def logged() -> Iterator[list[str]]:
    kept = KeptLines()
    logger.addHandler(kept)
    yield kept.lines
    logger.removeHandler(kept)


def stored_film(stack, video_id: str) -> Film:
    item = stack.catalog_item(video_id)
    assert item is not None
    return film_of(item)


def within_bounds(disguise: VoiceDisguise) -> bool:
    steps = disguise.steps(60.0)
    tracts_ok = all(any(low <= step.tract <= high for low, high in VOICE_TRACT_RANGES) for step in steps)
    low_hz, high_hz = VOICE_SHIFT_HZ_RANGE
    return tracts_ok and all(low_hz <= step.shift_hz <= high_hz for step in steps)


def assert_not_shown(text: str, disguise: VoiceDisguise) -> None:
    """Neither the field, nor its seed, nor the path drawn from it is anywhere in `text` (a response body, the logs)."""
    for name in ("voice_disguise", "seed", "rubberband", "afreqshift", "afftfilt"):
        assert name not in text
    first = disguise.steps(60.0)[0]
    for value in (disguise.seed, first.tract, first.shift_hz):
        assert not re.search(rf"(?<![\d.]){re.escape(str(value))}(?!\d)", text), value


def test_each_film_asking_for_a_disguised_voice_at_upload_gets_its_own_values_which_no_response_shows(
    api, stack, logged: list[str]
):
    office, editor = stack.keys["office"], stack.keys["editor"]
    bodies, disguises = [], []
    for _ in range(2):
        created = post_json(api, "/uploads", upload_body(protect_identity=VOICE), office)
        assert created.status_code == 201
        video_id = created.json_body["video_id"]
        disguise = stored_film(stack, video_id).voice_disguise
        assert disguise is not None and within_bounds(disguise)
        disguises.append(disguise)
        bodies += [
            created.body,
            get(api, f"/uploads/{video_id}", office).body,
            get(api, f"/videos/{video_id}/editorial", editor).body,
            get(api, f"/videos/{video_id}/audit", editor).body,
        ]
    bodies.append(get(api, "/uploads", office).body)
    assert disguises[0] != disguises[1]
    for disguise in disguises:
        for body in bodies:
            assert_not_shown(body.decode() if isinstance(body, bytes) else str(body), disguise)
        assert_not_shown("\n".join(logged), disguise)
    assert any('"request"' in line for line in logged)  # the requests' own log lines were read


def test_a_film_asking_only_for_blurred_faces_gets_no_voice_disguise(api, stack):
    created = post_json(api, "/uploads", upload_body(protect_identity={"faces": True}), stack.keys["office"])
    assert stored_film(stack, created.json_body["video_id"]).voice_disguise is None


def test_an_editor_asking_for_a_disguised_voice_draws_it_once_and_it_is_kept_and_never_shown(
    api, stack, clips, logged: list[str]
):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips, duration_s=42.0)
    faces = call(api, "put", f"/videos/{video_id}/protection", editor, {"faces": True, "voice": False})
    assert faces.status_code == 200
    assert stored_film(stack, video_id).voice_disguise is None

    finish_rendering(video_id)  # each change renders the film again; the next one waits for READY
    responses = [call(api, "put", f"/videos/{video_id}/protection", editor, {"faces": True, "voice": True})]
    drawn = stored_film(stack, video_id).voice_disguise
    assert drawn is not None and within_bounds(drawn)
    finish_rendering(video_id)
    # Off and on again: the same values, so the protection stage's new run makes the same sound.
    responses.append(call(api, "put", f"/videos/{video_id}/protection", editor, {"faces": False, "voice": False}))
    finish_rendering(video_id)
    responses.append(call(api, "put", f"/videos/{video_id}/protection", editor, VOICE))
    assert stored_film(stack, video_id).voice_disguise == drawn
    assert all(response.status_code == 200 for response in responses)
    assert responses[-1].json_body["protect_identity"] == VOICE  # the editor sees the voice is asked

    responses += [
        get(api, f"/videos/{video_id}/editorial", editor),
        get(api, "/review", editor),
        get(api, f"/videos/{video_id}/audit", editor),
    ]
    for response in responses:
        assert_not_shown(json.dumps(response.json_body), drawn)
    assert_not_shown("\n".join(logged), drawn)
    assert any('"request"' in line for line in logged)


def test_an_office_turning_the_voice_on_in_a_correction_draws_its_disguise_and_never_sees_it(
    api, stack, logged: list[str]
):
    office, editor = stack.keys["office"], stack.keys["editor"]
    video_id = post_json(api, "/uploads", upload_body(), office).json_body["video_id"]
    assert stored_film(stack, video_id).voice_disguise is None
    turned_on = call(api, "patch", f"/uploads/{video_id}", office, {"protect_identity": {"voice": True}})
    assert turned_on.status_code == 200
    drawn = stored_film(stack, video_id).voice_disguise
    assert drawn is not None and within_bounds(drawn)
    again = call(api, "patch", f"/uploads/{video_id}", office, {"protect_identity": {"faces": True}})
    assert stored_film(stack, video_id).voice_disguise == drawn
    for response in (turned_on, again, get(api, f"/videos/{video_id}/audit", editor)):
        assert_not_shown(json.dumps(response.json_body), drawn)
    assert_not_shown("\n".join(logged), drawn)
