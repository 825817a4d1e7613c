"""API keys: stored hashed, each belonging to a field office (scoped to countries) or to an editor."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from chalicelib.clock import now_iso
from chalicelib.domain.errors import ForbiddenError, NotFoundError, UnauthenticatedError
from chalicelib.services.ports import ApiKeys

FIELD_OFFICE = "field_office"
EDITOR = "editor"
ROLES = (FIELD_OFFICE, EDITOR)


@dataclass(frozen=True)
class Caller:
    role: str
    office_id: str | None
    countries: frozenset[str]
    # Who acted, for the audit trail: the key's label, or the start of its hash.
    actor: str = ""


def hash_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()


def create_key(
    catalog: ApiKeys,
    role: str,
    *,
    office_id: str | None = None,
    countries: frozenset[str] = frozenset(),
    api_key: str | None = None,
    label: str | None = None,
) -> str:
    """Store a key (a new random one unless given) and return it; only its hash is kept."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    if role == FIELD_OFFICE and not (office_id and countries):
        raise ValueError("a field-office key needs an office id and its countries")
    api_key = api_key or secrets.token_urlsafe(32)
    key_hash = hash_key(api_key)
    record = {"role": role, "created_at": now_iso(), "revoked": False, "label": label or f"key {key_hash[:12]}"}
    if role == FIELD_OFFICE:
        record.update(office_id=office_id, countries=sorted(countries))
    catalog.put_api_key(key_hash, record)
    return api_key


def revoke_key(catalog: ApiKeys, key_or_hash: str) -> str:
    """Revoke a key, given the key itself or the hash printed when it was made; it stops working at once."""
    key_hash = (
        key_or_hash
        if len(key_or_hash) == 64 and all(c in "0123456789abcdef" for c in key_or_hash)
        else (hash_key(key_or_hash))
    )
    if not catalog.revoke_api_key(key_hash, now_iso()):
        raise NotFoundError("No such key.")
    return key_hash


def authenticate(catalog: ApiKeys, api_key: str | None, role: str) -> Caller:
    if not api_key:
        raise UnauthenticatedError("Send your API key in the x-api-key header.")
    record = catalog.get_api_key(hash_key(api_key))
    if record is None or record.get("revoked"):
        raise ForbiddenError("This API key is not valid.")
    if record["role"] != role:
        raise ForbiddenError(f"This action needs a {role.replace('_', '-')} key.")
    return Caller(
        role=record["role"],
        office_id=record.get("office_id"),
        countries=frozenset(record.get("countries", [])),
        actor=str(record.get("label", "")),
    )
