"""A listing's cursor: the last key a page read, as an opaque string for the website to send back.

Only the catalog adapter reads it. A cursor carries an HMAC-SHA256 of that key, made with a key that
Secrets Manager generated for this stack (`CursorSigningKey` in infra/resources.yaml; the local stack
makes its own): one made or altered by hand is refused before anything is read, so it cannot start a
listing at a key of its choice (another workshop's story, another office's films, a film that was
never listed). A cursor is also refused unless it points into the listing asked for, and when it is
longer than any this API makes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

from chalicelib.adapters.film_items import FILM_SK
from chalicelib.domain.errors import InvalidRequestError

LISTING_INDEX = "gsi1"
# A listing's last key is a few short strings (about 300 characters once encoded): a longer cursor
# is refused before it is decoded.
MAX_CURSOR_CHARS = 1024
# What the MAC is over, so that a cursor's MAC can never be taken for another use of the same key.
_CONTEXT = b"omjr listing cursor v1\n"


def listing_pk(facet: str) -> str:
    return f"LIST#{facet}"


class ListingCursors:
    """Makes and checks cursors with the stack's signing key, asked of `signing_key` on first use
    (and then kept: a container reads the secret once, when its first listing needs it)."""

    def __init__(self, signing_key: Callable[[], bytes]) -> None:
        self._signing_key = signing_key
        self._key: bytes | None = None

    def encode(self, last_key: dict[str, Any]) -> str:
        payload = json.dumps(last_key, sort_keys=True, separators=(",", ":")).encode()
        return f"{_b64(payload)}.{_b64(self._mac(payload))}"

    def decode(self, cursor: str, facet: str) -> dict[str, Any]:
        """The position a cursor points at, refused unless this API made it for the listing asked for."""
        return _position(self._payload(cursor), {"gsi1pk": listing_pk(facet), "sk": listing_pk(facet)})

    def decode_office(self, cursor: str, office_partition: str) -> dict[str, Any]:
        """Where an office's uploads listing cursor points, refused unless that office's listing made it."""
        return _position(self._payload(cursor), {"gsi2pk": office_partition, "sk": FILM_SK})

    def decode_status(self, cursor: str, status: str) -> dict[str, Any]:
        """Where a cursor over the films in one status points, refused unless that status's listing made it."""
        return _position(self._payload(cursor), {"gsi3pk": status, "sk": FILM_SK})

    def _mac(self, payload: bytes) -> bytes:
        if self._key is None:
            self._key = self._signing_key()
        return hmac.new(self._key, _CONTEXT + payload, hashlib.sha256).digest()

    def _payload(self, cursor: str) -> Any:
        """The cursor's key, or None when the cursor is too long, malformed or not signed with this stack's key."""
        if len(cursor) > MAX_CURSOR_CHARS or cursor.count(".") != 1:
            return None
        encoded, mac = cursor.split(".")
        try:
            payload, sent_mac = _unb64(encoded), _unb64(mac)
        except (binascii.Error, ValueError):
            return None
        if not hmac.compare_digest(sent_mac, self._mac(payload)):
            return None
        try:
            return json.loads(payload)
        except ValueError:
            return None


def _position(key: Any, expected: dict[str, str]) -> dict[str, Any]:
    """A film's key in an index (`pk`, `sk` and the index's two keys, all strings) whose fields in `expected`
    have those values; anything else is refused."""
    index_keys = {name.replace("pk", "sk") for name in expected if name.startswith("gsi")}
    valid = (
        isinstance(key, dict)
        and set(key) == {"pk", "sk", *expected, *index_keys}
        and all(isinstance(v, str) and v for v in key.values())
        and key["pk"].startswith("FILM#")
        and all(key[name] == value for name, value in expected.items())
    )
    if not valid:
        raise InvalidRequestError("cursor is not one this listing returned; start again without it.", "invalid_cursor")
    return dict(key)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    """The bytes `_b64` made `text` from; anything else (another alphabet, padding, stray characters) is refused."""
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)) if text.isascii() else b""
    if _b64(data) != text:
        raise ValueError("not a cursor's base64")
    return data
