"""Attacks on the takedown note (domain/takedown_reasons.py): the note outlives the film and every personal
datum, so a note naming the child is refused, however the editor happens to write the name."""

import pytest

from chalicelib.domain.metadata import Author
from tests.functional.conftest import get
from tests.functional.test_editorial import call, error_of, ready_film


@pytest.mark.parametrize(
    ("first_name", "note"),
    [
        ("Ana-Maria", "Ana Maria's mother asked us to remove the film."),  # the hyphen written as a space
        ("Mary Jane", "Mary's mother asked us to remove the film."),  # the name she goes by
    ],
)
def test_a_note_naming_the_child_as_written_in_everyday_use_is_refused(api, stack, clips, first_name, note):
    video_id = ready_film(api, stack, clips, author=Author(first_name, 14))
    editor = stack.keys["editor"]

    refused = call(api, "delete", f"/videos/{video_id}", editor, {"reason": "other", "note": note})

    trail = get(api, f"/videos/{video_id}/audit", editor).json_body["items"]
    kept = [entry["details"].get("note") for entry in trail if entry["action"] == "taken_down"]
    # Expected: 400 note_names_child and nothing kept. Seen: taken down, the child's name kept in the audit trail.
    assert error_of(refused) == (400, "note_names_child"), kept
