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


def parse_protection_correction(value: Any, current: Mapping[str, Any] | None) -> dict[str, bool] | None:
    """What a field office's correction (`PATCH /uploads/{id}`) makes of the protection: the kinds it names
    are set, the others kept. An office may turn protection on, never off: a facilitator who asked for it
    knew the child, and a child left recognisable cannot be made safe again, so turning it off is the
    editors' decision (`PUT /videos/{id}/protection`, audited); when in doubt, it stays private."""
    parse_protection(value)  # its shape, as POST /uploads checks it
    if not isinstance(value, Mapping):  # null: parse_protection lets it through for an upload that asks nothing
        raise InvalidRequestError(
            'protect_identity must be an object such as {"faces": true, "voice": false}; got null.',
            "invalid_protect_identity",
        )
    before = requested(current) or {}
    after = {kind: bool(value[kind]) if kind in value else bool(before.get(kind)) for kind in KINDS}
    dropped = [kind for kind in KINDS if before.get(kind) and not after[kind]]
    if dropped:
        names = {"faces": "the blurred faces", "voice": "the disguised voice"}
        raise ConflictError(
            f"Identity protection, once asked, is turned off only by the project's editors: ask them to remove "
            f"{' and '.join(names[kind] for kind in dropped)} if this child does not need it. Nothing was changed.",
            "protection_kept",
        )
    return after if any(after.values()) else None
