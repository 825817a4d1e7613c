"""Identity protection requested for a film, and what must hold before such a film goes public.

A field office asks for it at upload (`protect_identity` in `POST /uploads`), an editor turns it on
or off before publishing (`PUT /videos/{id}/protection`). The film records what was asked
(`protect_identity`) and, once the protection stage has made its outputs, what they carry
(`protection_applied`). A film with protection asked is publishable only when the outputs carry at
least what was asked: until then its renditions are the unprotected ones, which never go public.
Neither field is ever in the public API (domain/catalog.py's allowlists).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.domain.errors import ConflictError, InvalidRequestError

KINDS = ("faces", "voice")


def parse_protection(value: Any, field: str = "protect_identity") -> dict[str, bool] | None:
    """`{faces, voice}` (each true or false, either may be left out); None when nothing is asked."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidRequestError(
            f'{field} must be an object such as {{"faces": true, "voice": false}}; got {value!r}.',
            "invalid_protect_identity",
        )
    unknown = set(value) - set(KINDS)
    if unknown:
        raise InvalidRequestError(
            f"{field} may hold only faces and voice; remove {', '.join(sorted(map(str, unknown)))}.",
            "invalid_protect_identity",
        )
    wrong = [kind for kind in KINDS if kind in value and not isinstance(value[kind], bool)]
    if wrong:
        raise InvalidRequestError(f"{field}.{wrong[0]} must be true or false.", "invalid_protect_identity")
    asked = {kind: bool(value.get(kind, False)) for kind in KINDS}
    return asked if any(asked.values()) else None


def requested(asked: Mapping[str, Any] | None) -> dict[str, bool] | None:
    """What a film's `protect_identity` asks for, or None when it asks for nothing."""
    wanted = {kind: bool((asked or {}).get(kind)) for kind in KINDS}
    return wanted if any(wanted.values()) else None


def outputs_protected(asked: Mapping[str, Any] | None, applied: Mapping[str, Any] | None) -> bool:
    """True when outputs carrying `applied` (a film's `protection_applied`) give every protection asked."""
    wanted = requested(asked)
    return wanted is None or all((applied or {}).get(kind) for kind, on in wanted.items() if on)


def check_protected(asked: Mapping[str, Any] | None, applied: Mapping[str, Any] | None) -> None:
    if not outputs_protected(asked, applied):
        wanted = requested(asked) or {}
        names = {"faces": "blurred faces", "voice": "a disguised voice"}
        what = " and ".join(names[kind] for kind, on in wanted.items() if on)
        raise ConflictError(
            f"Identity protection was asked for this film ({what}) and its protected version is not ready yet: "
            "it can be published once the protection stage has made it (the editor's view shows when).",
            "protection_pending",
        )


def applied_kinds(applied: Mapping[str, Any] | None) -> dict[str, bool] | None:
    """What outputs carrying `applied` carry, or None when they carry no protection."""
    return requested(applied)


def must_render_again(asked: Mapping[str, Any] | None, applied: Mapping[str, Any] | None) -> bool:
    """For a transcoded film whose outputs carry `applied` and whose protection is now `asked`: whether its
    outputs must be made again to carry exactly what is asked. Exactly, not at least: an editor who turns
    protection off (a face blurred by mistake) gets the unprotected film back, one who asks for less gets less."""
    return requested(asked) != applied_kinds(applied)


def still_applied(asked: Mapping[str, Any] | None, applied: Mapping[str, Any] | None) -> dict[str, bool] | None:
    """While a film is rendered again, what both its old outputs (`applied`) and the new ones (`asked`) carry:
    `protection_applied` never claims more than the outputs that exist at any moment."""
    both = {kind: bool((asked or {}).get(kind)) and bool((applied or {}).get(kind)) for kind in KINDS}
    return both if any(both.values()) else None
