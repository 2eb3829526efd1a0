"""API keys: create, rotate, revoke, and recognise one on a request.

A key reads ``hashi_<prefix>_<secret>``: the prefix (public, 12 hex digits) finds the row
through a unique index, the secret (256 random bits, base64url) is checked against its
SHA-256 hash in constant time. Rotation replaces the secret at once (the old key stops
working on the next request: there is no overlap, so a leaked key is dead the moment an
admin rotates it); the prefix stays, so logs and the admin list still name the client.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_, select, update

from app.certification import audit
from app.extensions import db
from app.lib.service_error import ServiceError
from app.models import ApiKey

SCOPES = ("certifications:read", "candidates:read", "webhooks:manage")
KEY_PREFIX = "hashi"
# Recording every use would make each read a write; once a minute is enough to see
# whether a client is still alive.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_NAME = 120

CREATED = "api-key.created"
ROTATED = "api-key.rotated"
REVOKED = "api-key.revoked"


class ApiKeyError(ServiceError):
    """A key that cannot be created, rotated or revoked as asked."""


@dataclass(frozen=True)
class IssuedKey:
    """A key row and its full text, which exists only here: it is never stored."""

    key: ApiKey
    text: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _new_secret() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def _key_text(prefix: str, secret: str) -> str:
    return f"{KEY_PREFIX}_{prefix}_{secret}"


def parse(text: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed key, else None. The secret's alphabet
    (base64url) includes ``_``, so only the first two separators count."""
    parts = text.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    if len(parts[1]) > 16 or len(parts[2]) > 100:
        return None
    return parts[1], parts[2]


def _clean_scopes(scopes: list[str] | tuple[str, ...]) -> list[str]:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ApiKeyError(f"Unknown scope: {', '.join(unknown)}.", 422)
    if not scopes:
        raise ApiKeyError("Choose at least one scope.", 422)
    return [s for s in SCOPES if s in scopes]


def create(
    name: str, scopes: list[str] | tuple[str, ...], *, now: datetime, actor_id: int | None
) -> IssuedKey:
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise ApiKeyError(f"Give the key a name of 1 to {MAX_NAME} characters.", 422)
    chosen = _clean_scopes(scopes)
    prefix = secrets.token_hex(6)
    while db.session.scalar(select(ApiKey.id).where(ApiKey.prefix == prefix)) is not None:
        prefix = secrets.token_hex(6)  # pragma: no cover (48 random bits)
    secret = _new_secret()
    key = ApiKey(
        name=name,
        prefix=prefix,
        secret_hash=hash_secret(secret),
        scopes=" ".join(chosen),
        created_at=now,
        created_by_id=actor_id,
    )
    db.session.add(key)
    db.session.flush()
    audit.record(
        CREATED,
        f"api-key:{key.id}",
        now=now,
        actor_id=actor_id,
        details={"name": name, "prefix": prefix, "scopes": chosen},
    )
    return IssuedKey(key, _key_text(prefix, secret))


def get(key_id: int) -> ApiKey:
    key = db.session.get(ApiKey, key_id)
    if key is None:
        raise ApiKeyError("There is no such API key.", 404)
    return key


def rotate(key_id: int, *, now: datetime, actor_id: int | None) -> IssuedKey:
    key = get(key_id)
    if key.is_revoked:
        raise ApiKeyError("A revoked key cannot be rotated; create a new one.", 409)
    secret = _new_secret()
    key.secret_hash = hash_secret(secret)
    key.rotated_at = now
    audit.record(ROTATED, f"api-key:{key.id}", now=now, actor_id=actor_id)
    return IssuedKey(key, _key_text(key.prefix, secret))


def revoke(key_id: int, *, now: datetime, actor_id: int | None) -> ApiKey:
    key = get(key_id)
    if key.is_revoked:
        raise ApiKeyError("This key is already revoked.", 409)
    key.revoked_at = now
    audit.record(REVOKED, f"api-key:{key.id}", now=now, actor_id=actor_id)
    return key


def all_keys() -> list[ApiKey]:
    """Active keys first, then revoked ones; newest first within each."""
    return list(
        db.session.scalars(
            select(ApiKey).order_by(ApiKey.revoked_at.is_not(None), ApiKey.id.desc())
        )
    )


def find(prefix_or_id: str) -> ApiKey | None:
    """A key by its id or its public prefix (for the command line)."""
    if prefix_or_id.isdigit():
        found = db.session.get(ApiKey, int(prefix_or_id))
        if found is not None:
            return found
    return db.session.scalar(select(ApiKey).where(ApiKey.prefix == prefix_or_id))


# Built once: every API request runs it.
_BY_PREFIX = select(ApiKey).where(ApiKey.prefix == bindparam("prefix"))


def authenticate(text: str, *, now: datetime) -> ApiKey | None:
    """The active key ``text`` is, or None. Records the use at most once a minute."""
    parsed = parse(text)
    if parsed is None:
        return None
    prefix, secret = parsed
    key = db.session.scalar(_BY_PREFIX, {"prefix": prefix})
    # Hash and compare even when no row matched, so timing does not reveal prefixes.
    expected = key.secret_hash if key is not None else "0" * 64
    if not hmac.compare_digest(expected, hash_secret(secret)) or key is None or key.is_revoked:
        return None
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        _touch(key, now)
    return key


def _touch(key: ApiKey, now: datetime) -> None:
    """One conditional UPDATE: of several hosts seeing the key in the same minute, only
    the first writes."""
    db.session.execute(
        update(ApiKey)
        .where(ApiKey.id == key.id)
        .where(
            or_(
                ApiKey.last_used_at.is_(None),
                ApiKey.last_used_at <= now - LAST_USED_RESOLUTION,
            )
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    key.last_used_at = now
