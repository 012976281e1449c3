"""API keys of external systems (the city platform, 12345 / 一网统管): one street's feed each. The key
is shown once at creation; only its SHA-256 is kept. A key is no user token and a user token is no key:
each is refused where the other belongs."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridworker_server.errors import ApiError, text_field
from gridworker_server.flow.departments import street_by_code
from gridworker_server.models import ApiKey, utcnow

PREFIX = "gwk_"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(s: Session, street_code: str, name: str) -> tuple[ApiKey, str]:
    street = street_by_code(s, street_code)
    text_field("name", name)
    if not name.strip() or len(name) > 100:
        raise ApiError(422, "api_key_name", "An API key needs a name of at most 100 characters.")
    key = PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(id=uuid.uuid4(), name=name.strip(), key_hash=key_hash(key), street_id=street.id)
    s.add(row)
    s.flush()
    return row, key


def revoke_key(s: Session, key_id: uuid.UUID) -> ApiKey:
    row = s.get(ApiKey, key_id, with_for_update=True)
    if row is None:
        raise ApiError(404, "api_key_unknown", "No such API key.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def list_keys(s: Session) -> list[ApiKey]:
    return list(s.scalars(select(ApiKey).order_by(ApiKey.created_at)))


def key_of(s: Session, key: str | None) -> ApiKey:
    """The active key, or 401 (a missing, unknown or revoked key; a user's token is unknown here)."""
    row = s.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash(key))) if key else None
    if row is None or row.revoked_at is not None:
        raise ApiError(401, "api_key_invalid", "This API key is unknown or revoked.")
    return row
