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


def requested(film: Mapping[str, Any]) -> dict[str, bool] | None:
    asked = film.get("protect_identity") or {}
    return {kind: bool(asked.get(kind)) for kind in KINDS} if any(asked.get(kind) for kind in KINDS) else None


def outputs_protected(film: Mapping[str, Any]) -> bool:
    """True when the film's outputs carry every protection asked for (or none is asked)."""
    asked = requested(film)
    if asked is None:
        return True
    applied = film.get("protection_applied") or {}
    return all(applied.get(kind) for kind, wanted in asked.items() if wanted)


def check_protected(film: Mapping[str, Any]) -> None:
    if not outputs_protected(film):
        asked = requested(film) or {}
        what = " and ".join({"faces": "blurred faces", "voice": "a disguised voice"}[k] for k, v in asked.items() if v)
        raise ConflictError(
            f"Identity protection was asked for this film ({what}) and its protected version is not ready yet: "
            "it can be published once the protection stage has made it (the editor's view shows when).",
            "protection_pending",
        )
