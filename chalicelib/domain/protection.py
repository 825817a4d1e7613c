"""Identity protection requested for a film, and what must hold before such a film goes public.

A field office asks for it at upload (`protect_identity` in `POST /uploads`), an editor turns it on
or off before publishing (`PUT /videos/{id}/protection`). The film records what was asked
(`protect_identity`) and, once the protection stage has made its outputs, what they carry
(`protection_applied`). A film with protection asked is publishable only when the outputs carry at
least what was asked: until then its renditions are the unprotected ones, which never go public.
Neither field is ever in the public API (domain/catalog.py's allowlists).

The voice disguise's seed is drawn per film, at random, the first time voice protection is asked, and
kept privately on the film (`voice_disguise`): it is the key to the disguise's path, so it appears in no
response, log line or audit entry (docs/PROTECTION.md, "The voice").
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.errors import ConflictError, InvalidRequestError

KINDS = ("faces", "voice")

# The bounds of a film's voice disguise (bench/voice_speakers.py, docs/PROTECTION.md, "The voice"). The
# disguise is a path: the film's sound is cut into steps of 0.3 to 0.8 s, each with its own vocal-tract
# factor (the formants) and frequency shift, over a voice whose own pitch is replaced by a steady one
# (media/protect.py). Each step's tract is shorter or longer at random, by 12 to 28 %: no one inverse fits
# both kinds of step (the best single one found still brings part of the voice back: docs/PROTECTION.md).
# Beyond 0.78 or 1.28 the words blur.
VOICE_TRACT_RANGES = ((0.78, 0.88), (1.14, 1.28))
VOICE_SHIFT_HZ_RANGE = (60.0, 100.0)
VOICE_STEP_S_RANGE = (0.3, 0.8)
# A film's tract factors: this many drawn within each range, and each step takes one of them (the protected
# master runs one rubberband per factor: a factor changed while it runs would change the duration).
TRACTS_EACH_WAY = 2


@dataclass(frozen=True)
class VoiceStep:
    """From `start_s` on (until the next step): the formants and the rest of the spectrum moved by the
    factor `tract`, then `shift_hz` added to every component."""

    start_s: float
    tract: float
    shift_hz: float


@dataclass(frozen=True)
class VoiceDisguise:
    """One film's voice disguise: a secret seed from which its path of steps is drawn. Private to the film:
    whoever holds the seed can rebuild the path."""

    seed: int

    def __repr__(self) -> str:
        # The seed is the disguise's key: a film printed in a log or a traceback must not show it.
        return "VoiceDisguise(...)"

    def steps(self, duration_s: float) -> tuple[VoiceStep, ...]:
        """The path over a sound of `duration_s` (at least one step): the same seed always gives the same
        path, so a re-run of the protection stage makes the same sound. Changing how it is drawn changes
        the sound of films made again, never of those already made."""
        draw = _Stream(self.seed)
        tracts = [round(draw.uniform(low, high), 4) for low, high in VOICE_TRACT_RANGES for _ in range(TRACTS_EACH_WAY)]
        steps: list[VoiceStep] = []
        start = 0.0
        while start < duration_s or not steps:
            tract = tracts[draw.below(len(tracts))]
            shift_hz = round(draw.uniform(*VOICE_SHIFT_HZ_RANGE), 1)
            steps.append(VoiceStep(start_s=round(start, 3), tract=tract, shift_hz=shift_hz))
            start += draw.uniform(*VOICE_STEP_S_RANGE)
        return tuple(steps)


class _Stream:
    """Numbers drawn from a seed by SHA-256 in counter mode: the same on every Python, and nothing about
    the seed (or the next step) can be worked out from the values it gave, unlike a Mersenne Twister's."""

    def __init__(self, seed: int) -> None:
        self._seed = seed.to_bytes(16, "big")
        self._count = 0

    def _next(self) -> int:
        self._count += 1
        return int.from_bytes(hashlib.sha256(self._seed + self._count.to_bytes(8, "big")).digest()[:8], "big")

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * (self._next() / 2**64)

    def below(self, count: int) -> int:
        return self._next() % count


def draw_voice_disguise(rng: random.Random | None = None) -> VoiceDisguise:
    """A new disguise: 96 bits (a DynamoDB number holds 38 digits) from the system's secure source unless told."""
    rng = rng or secrets.SystemRandom()
    return VoiceDisguise(seed=rng.getrandbits(96))


@dataclass(frozen=True)
class Protection:
    """What identity protection a film asks for (or its outputs carry): blurred faces, a disguised voice.
    A film that asks for none has no Protection (None), never one with both off: build one with `of` or
    `named`, which give None for nothing. Stored and shown as `{faces, voice}` (a dataclass's own fields)."""

    faces: bool = False
    voice: bool = False

    def __post_init__(self) -> None:
        # Equality decides whether a film is rendered again (must_render_again): "none" has one form only.
        if not (self.faces or self.voice):
            raise ValueError("a Protection asks for faces, voice or both; no protection is None")

    @classmethod
    def named(cls, *, faces: bool, voice: bool) -> Protection | None:
        """The protection of these kinds; None when neither is on."""
        return cls(faces=faces, voice=voice) if faces or voice else None

    @classmethod
    def of(cls, value: Mapping[str, Any] | None) -> Protection | None:
        """The protection a stored `{faces, voice}` record names; None when it names none."""
        return cls.named(faces=bool((value or {}).get("faces")), voice=bool((value or {}).get("voice")))

    def kinds(self) -> tuple[str, ...]:
        """The kinds asked, in `KINDS` order."""
        return tuple(kind for kind in KINDS if getattr(self, kind))


@dataclass(frozen=True)
class ProtectedMaster:
    """The protected master the protection stage made (services/protection.py), beside the upload: its key,
    the ETag it was stored with, and what it carries. Stored as `{key, etag, faces, voice}`."""

    key: str
    etag: str
    faces: bool = False
    voice: bool = False

    @classmethod
    def made(cls, key: str, etag: str, carries: Protection) -> ProtectedMaster:
        return cls(key=key, etag=etag, faces=carries.faces, voice=carries.voice)

    @classmethod
    def of(cls, value: Mapping[str, Any]) -> ProtectedMaster:
        """The master a stored `{key, etag, faces, voice}` record names."""
        faces, voice = bool(value.get("faces")), bool(value.get("voice"))
        return cls(key=str(value["key"]), etag=str(value["etag"]), faces=faces, voice=voice)

    @property
    def carries(self) -> Protection | None:
        return Protection.named(faces=self.faces, voice=self.voice)


def record_of(protection: Protection | None) -> dict[str, bool]:
    """`{faces, voice}` for any protection, none included (both false): as an audit entry or a view names it."""
    return {"faces": bool(protection and protection.faces), "voice": bool(protection and protection.voice)}


def voice_disguise_for(
    asked: Protection | None, stored: VoiceDisguise | None, rng: random.Random | None = None
) -> VoiceDisguise | None:
    """The disguise a film keeps once `asked` is its protection: the stored one when there is one
    (a re-run makes the same sound), a new draw when voice protection is asked for the first time,
    None when the voice was never to be disguised."""
    if stored is not None:
        return stored
    return draw_voice_disguise(rng) if asked is not None and asked.voice else None


def parse_protection(value: Any, field: str = "protect_identity") -> Protection | None:
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
    return Protection.of(value)


def parse_protection_answer(value: Any) -> Protection | None:
    """The answer a draft's completion must give (`PATCH /uploads/{id}`): `{faces, voice}`, both named, true or
    false. Left out, or a kind left out, is refused: the facilitator who knows the child says whether the child
    may be recognised (docs/FIELD_OFFICE_API.md); a silence never publishes a child who needed hiding."""
    if not isinstance(value, Mapping) or any(kind not in value for kind in KINDS):
        raise InvalidRequestError(
            "protect_identity must say for this child whether faces are blurred and the voice disguised, "
            '{"faces": false, "voice": false} when the child may be recognised; '
            f"got {'nothing' if value is None else repr(value)}. Nothing was changed.",
            "protection_unanswered",
        )
    return parse_protection(value)


def outputs_protected(asked: Protection | None, applied: Protection | None) -> bool:
    """True when outputs carrying `applied` (a film's `protection_applied`) give every protection asked."""
    return asked is None or (applied is not None and all(getattr(applied, kind) for kind in asked.kinds()))


def check_protected(asked: Protection | None, applied: Protection | None) -> None:
    if asked is not None and not outputs_protected(asked, applied):
        names = {"faces": "blurred faces", "voice": "a disguised voice"}
        what = " and ".join(names[kind] for kind in asked.kinds())
        raise ConflictError(
            f"Identity protection was asked for this film ({what}) and its protected version is not ready yet: "
            "it can be published once the protection stage has made it (the editor's view shows when).",
            "protection_pending",
        )


def must_render_again(asked: Protection | None, applied: Protection | None) -> bool:
    """For a transcoded film whose outputs carry `applied` and whose protection is now `asked`: whether its
    outputs must be made again to carry exactly what is asked. Exactly, not at least: an editor who turns
    protection off (a face blurred by mistake) gets the unprotected film back, one who asks for less gets less."""
    return asked != applied


def still_applied(asked: Protection | None, applied: Protection | None) -> Protection | None:
    """While a film is rendered again, what both its old outputs (`applied`) and the new ones (`asked`) carry:
    `protection_applied` never claims more than the outputs that exist at any moment."""
    if asked is None or applied is None:
        return None
    return Protection.named(faces=asked.faces and applied.faces, voice=asked.voice and applied.voice)


def voice_to_disguise(asked: Protection | None, stored: VoiceDisguise | None) -> VoiceDisguise | None:
    """What the protection stage passes as `make_protected_master(voice=...)`: the film's stored
    disguise when its voice is asked, None (the sound untouched) when not, even if values are kept
    from an earlier request. A film asking for its voice to be disguised always has values (drawn
    when it was asked); one without them is refused rather than given a voice left as it was, or a
    new draw that a later run would not repeat."""
    if asked is None or not asked.voice:
        return None
    if stored is None:
        raise ConflictError(
            "This film asks for a disguised voice but has no disguise recorded: ask for the voice again "
            "(PUT /videos/{id}/protection) to draw one.",
            "voice_disguise_missing",
        )
    return stored


def parse_protection_correction(value: Any, current: Protection | None) -> Protection | None:
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
    before = record_of(current)
    after = {kind: bool(value[kind]) if kind in value else before[kind] for kind in KINDS}
    dropped = [kind for kind in KINDS if before[kind] and not after[kind]]
    if dropped:
        names = {"faces": "the blurred faces", "voice": "the disguised voice"}
        raise ConflictError(
            f"Identity protection, once asked, is turned off only by the project's editors: ask them to remove "
            f"{' and '.join(names[kind] for kind in dropped)} if this child does not need it. Nothing was changed.",
            "protection_kept",
        )
    return Protection.of(after)
