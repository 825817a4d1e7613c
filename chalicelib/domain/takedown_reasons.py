"""Why a film is taken down: one of a few reasons an editor picks, and a note of their own for "other".

Saying why is asked, never required: a takedown is complete and immediate whatever the request says of it, and
`DELETE /videos/{id}` with no body (the contract other programs rely on) still takes the film down, its audit
entry saying no reason was given. A reason that is given must be one of the known ones.

The reason goes in the film's audit trail (the `taken_down` entry), which editors read and which outlives the
film; never in the tombstone (id, DELETED, time) nor anywhere public. The note is for the project team: it says
what happened, never who the child or the family is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.metadata import is_unicode_text

NOTE_MAX_CHARS = 500


class TakedownReason(StrEnum):
    CONSENT_WITHDRAWN = "consent_withdrawn"
    SAFEGUARDING = "safeguarding"
    FAMILY_REQUEST = "family_request"
    OTHER = "other"


@dataclass(frozen=True)
class TakedownWhy:
    """The reason (None when none was given), and for `other` the editor's note (none for the others)."""

    reason: TakedownReason | None
    note: str | None = None

    def as_details(self) -> dict[str, str]:
        """What the audit entry keeps of it."""
        reason = self.reason.value if self.reason is not None else "not_given"
        return {"reason": reason, **({"note": self.note} if self.note else {})}


NOT_GIVEN = TakedownWhy(None)


def parse_takedown(body: Any) -> TakedownWhy:
    """`{reason?, note?}`: reason, when given, one of TakedownReason; note required (1 to NOTE_MAX_CHARS) for
    `other` only. No body, or no reason, is a takedown whose reason was not given."""
    if body is None:
        return NOT_GIVEN
    if not isinstance(body, Mapping):
        raise InvalidRequestError("The request body must be a JSON object.", "invalid_json")
    choices = ", ".join(reason.value for reason in TakedownReason)
    reason = body.get("reason")
    note = body.get("note")
    if reason is None or reason == "":
        if note not in (None, ""):
            raise InvalidRequestError(f"note is only for the reason other; reason is one of {choices}.", "invalid_note")
        return NOT_GIVEN
    if not isinstance(reason, str) or reason not in {known.value for known in TakedownReason}:
        raise InvalidRequestError(f"reason must be one of {choices}.", "reason_unknown")
    if reason != TakedownReason.OTHER:
        if note not in (None, ""):
            raise InvalidRequestError("note is only for the reason other.", "invalid_note")
        return TakedownWhy(TakedownReason(reason))
    if not is_unicode_text(note) or not note.strip() or len(note) > NOTE_MAX_CHARS:
        raise InvalidRequestError(
            f"For the reason other, note says why (1 to {NOTE_MAX_CHARS} characters).", "reason_note_missing"
        )
    return TakedownWhy(TakedownReason.OTHER, note.strip())
