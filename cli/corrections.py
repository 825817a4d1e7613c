"""A film sent before whose details changed in the list since: its details are corrected where it is
(`PATCH /uploads/{id}`, before it is published), or, for what cannot be corrected (its country), it is sent
again as a new upload. Either happens only when the facilitator agrees (or gave --yes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cli.client import IngestClient
from cli.parts import api_error
from cli.resume import UploadState
from cli.retry import api_request

# What `PATCH /uploads/{id}` corrects (docs/FIELD_OFFICE_API.md); the optional ones are removed with "".
CORRECTABLE = ("title", "author", "topics", "language", "workshop", "description", "protect_identity")
OPTIONAL = ("language", "workshop", "description")
KINDS = {"faces": "blur faces", "voice": "disguise voice"}
KEPT, UPDATED, RESEND = "kept", "updated", "resend"


def changed_fields(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    return [field for field in ("country", *CORRECTABLE) if before.get(field) != now.get(field)]


def protection_words(asked: dict[str, Any] | None) -> str:
    return " and ".join(words for kind, words in KINDS.items() if (asked or {}).get(kind)) or "none"


def dropped_protection(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """The kinds of identity protection the film was sent with that the list no longer asks for."""
    old, new = before.get("protect_identity") or {}, now.get("protect_identity") or {}
    return [kind for kind in KINDS if old.get(kind) and not new.get(kind)]


def with_protection_kept(before: dict[str, Any] | None, now: dict[str, Any]) -> dict[str, Any]:
    """`now`, still asking every kind of identity protection the film was sent with (`before`)."""
    old, new = (before or {}).get("protect_identity") or {}, now.get("protect_identity") or {}
    if not any(old.values()):
        return now
    return {**now, "protect_identity": {kind: bool(old.get(kind) or new.get(kind)) for kind in KINDS}}


def describe(field: str, before: dict[str, Any], now: dict[str, Any]) -> str:
    if field == "protect_identity":
        old, new = before.get(field), now.get(field)
        return f"identity protection {protection_words(old)!r} -> {protection_words(new)!r}"
    if field == "author":
        old, new = before.get("author") or {}, now.get("author") or {}
        names = [name for name in ("first_name", "age") if old.get(name) != new.get(name)]
        return ", ".join(f"{name} {old.get(name)!r} -> {new.get(name)!r}" for name in names)
    return f"{field} {before.get(field)!r} -> {now.get(field)!r}"


class Corrector:
    def __init__(
        self, client: IngestClient, state: UploadState, out: Callable[[str], None], confirm: Callable[[str], bool]
    ) -> None:
        self.client, self.state, self.out, self.confirm = client, state, out, confirm

    def reconcile(self, name: str, path: Any, video_id: str, details: dict[str, Any]) -> str:
        """KEPT (nothing changed, or the facilitator declined), UPDATED, or RESEND (send as a new film)."""
        before = self.state.details(path)
        if before is None or before == details:
            return KEPT
        dropped = dropped_protection(before, details)
        if dropped:
            # Turned off in the list: never by a correction (the API refuses it too); the editors decide.
            self.out(
                f"  {name}: identity protection stays on ({protection_words(before.get('protect_identity'))}): "
                "only the project's editors can turn it off; ask them if this child does not need it.\n"
            )
            details = with_protection_kept(before, details)
            if before == details:
                return KEPT
        changed = changed_fields(before, details)
        if "country" in changed:
            question = (
                f"{name} was sent for {before.get('country')}; the list now says {details.get('country')}. "
                "A film's country cannot be corrected: send the film again as a new upload?"
            )
            return RESEND if self.confirm(question) else KEPT
        what = "; ".join(describe(field, before, details) for field in changed)
        if not self.confirm(f"{name} was sent before with other details ({what}). Correct them?"):
            return KEPT
        correction = {field: details.get(field, "" if field in OPTIONAL else None) for field in changed}
        response = api_request(self.client, "PATCH", f"/uploads/{video_id}", name, self.out, json=correction)
        if response.status_code >= 400:
            self.out(f"  {name}: its details were not corrected: {api_error(response).get('message')}\n")
            return KEPT
        self.state.remember(path, video_id, details)
        again = (
            " An editor will review the film again before it is published."
            if response.json().get("sent_back_to_review")
            else ""
        )
        self.out(f"  {name}: details corrected ({what}).{again}\n")
        return UPDATED
