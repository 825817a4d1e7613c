"""Identity protection requested for a film, and what must hold before such a film goes public.

A field office asks for it at upload (`protect_identity` in `POST /uploads`), an editor turns it on
or off before publishing (`PUT /videos/{id}/protection`). The film records what was asked
(`protect_identity`) and, once the protection stage has made its outputs, what they carry
(`protection_applied`). A film with protection asked is publishable only when the outputs carry at
least what was asked: until then its renditions are the unprotected ones, which never go public.
Neither field is ever in the public API (domain/catalog.py's allowlists).

The voice disguise's values are drawn per film, at random, the first time voice protection is asked,
and kept privately on the film (`voice_disguise`): they are the key to undoing the disguise, so they
appear in no response, log line or audit entry (docs/PROTECTION.md, "The voice").
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.errors import ConflictError, InvalidRequestError

KINDS = ("faces", "voice")

# The bounds a film's voice disguise is drawn within, measured on an adult's and a child's voice
# (bench/voice_disguise.py, docs/PROTECTION.md): the pitch moves down or up by 10 to 20-25 %, never
# less (it would barely change the voice) nor more (the formants would leave the range of natural
# speakers, and the words would blur); the frequency shift stays well below a child's fundamental
# after the pitch step, so it lands the harmonics between their places, not on their neighbours'.
VOICE_PITCH_RANGES = ((0.80, 0.90), (1.12, 1.25))
VOICE_SHIFT_HZ_RANGE = (60.0, 100.0)


@dataclass(frozen=True)
class VoiceDisguise:
    """One film's voice disguise: a pitch factor (rubberband, pitch and formants together), then a
    frequency shift in hertz added to every component (afreqshift). Private to the film."""

    pitch: float
    shift_hz: float

    def __repr__(self) -> str:
        # The values would undo the disguise: a film printed in a log or a traceback must not show them.
        return "VoiceDisguise(...)"


def draw_voice_disguise(rng: random.Random | None = None) -> VoiceDisguise:
    """A disguise drawn uniformly within the bounds, from the system's secure source unless told."""
    rng = rng or secrets.SystemRandom()
    low, high = rng.choice(VOICE_PITCH_RANGES)
    return VoiceDisguise(pitch=round(rng.uniform(low, high), 4), shift_hz=round(rng.uniform(*VOICE_SHIFT_HZ_RANGE), 1))


def voice_disguise_for(
    asked: Mapping[str, Any] | None, stored: VoiceDisguise | None, rng: random.Random | None = None
) -> VoiceDisguise | None:
    """The disguise a film keeps once `asked` is its protection: the stored one when there is one
    (a re-run makes the same sound), a new draw when voice protection is asked for the first time,
    None when the voice was never to be disguised."""
    if stored is not None:
        return stored
    return draw_voice_disguise(rng) if (asked or {}).get("voice") else None


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


def voice_to_disguise(asked: Mapping[str, Any] | None, stored: VoiceDisguise | None) -> VoiceDisguise | None:
    """What the protection stage passes as `make_protected_master(voice=...)`: the film's stored
    disguise when its voice is asked, None (the sound untouched) when not, even if values are kept
    from an earlier request. A film asking for its voice to be disguised always has values (drawn
    when it was asked); one without them is refused rather than given a voice left as it was, or a
    new draw that a later run would not repeat."""
    if not (asked or {}).get("voice"):
        return None
    if stored is None:
        raise ConflictError(
            "This film asks for a disguised voice but has no disguise recorded: ask for the voice again "
            "(PUT /videos/{id}/protection) to draw one.",
            "voice_disguise_missing",
        )
    return stored


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
