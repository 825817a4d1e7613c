"""The size of a page a listing is asked for: the `limit` query parameter of every listing route."""

from __future__ import annotations

from chalicelib.domain.errors import InvalidRequestError


def parse_limit(value: str | None, default: int, maximum: int) -> int:
    """`limit` as a whole number from 1 to `maximum` (`default` when not sent), or InvalidRequestError."""
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= maximum:
        raise InvalidRequestError(f"limit must be a whole number from 1 to {maximum}; got {value!r}.", "invalid_limit")
    return int(value)
