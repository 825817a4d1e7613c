"""Why a film is taken down: one of a few reasons an editor picks, and a note of their own for "other".

Saying why is asked, never required: a takedown is complete and immediate whatever the request says of it, and
`DELETE /videos/{id}` with no body (the contract other programs rely on) still takes the film down, its audit
entry saying no reason was given. A reason that is given must be one of the known ones.

The reason goes in the film's audit trail (the `taken_down` entry), which editors read and which outlives the
film; never in the tombstone (id, DELETED, time) nor anywhere public. The note is for the project team: it says
what happened, never who the child or the family is. Since it outlives the takedown that removed every personal
datum, it is refused when it holds what public text may not (domain/public_text.py: contact details, addresses,
map points) or the child's first name (`check_note_names_no_one`, once the film is read).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.metadata import is_unicode_text
from chalicelib.domain.public_text import check_public_text, normalise

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
    _check_no_personal_data(note)
    return TakedownWhy(TakedownReason.OTHER, note.strip())


_KEPT = "the note is kept in the film's audit trail after the takedown has removed every personal datum"


def _check_no_personal_data(note: str) -> None:
    try:
        check_public_text("note", note)
    except InvalidRequestError as refused:
        raise InvalidRequestError(f"{refused.message} ({_KEPT}.)", refused.code) from None


def _folded(text: str) -> str:
    """As the public-text check reads it, accents gone too (`Leylá` is `leyla`)."""
    return "".join(c for c in unicodedata.normalize("NFKD", normalise(text)) if unicodedata.category(c) != "Mn")


def check_note_names_no_one(why: TakedownWhy, first_name: str | None) -> None:
    """Refuse a note that names the child: their first name, or any part of it as people write it day to day (Ana
    of Ana-Maria, Mary of Mary Jane), as a word, whatever its case or accents."""
    if why.note is None or not first_name or not first_name.strip():
        return
    folded = _folded(first_name)
    parts = {folded, *(part for part in re.split(r"[\s\-'\u2019.]+", folded) if len(part) >= 2)}
    note = _folded(why.note)
    if any(re.search(rf"(?<!\w){re.escape(part)}(?!\w)", note) for part in parts):
        raise InvalidRequestError(
            f"The note names the child ({first_name}): say what happened, never who the child or the family is; "
            f"{_KEPT}. Remove the name and send again.",
            "note_names_child",
        )
