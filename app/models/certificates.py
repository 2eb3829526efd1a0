"""Certificates, the public keys that sign them, consents and the audit log.

Only public keys live in the database: a private key stays in the key directory of the
host that made it (app/certification/keys.py), so a copy of the database can verify
every certificate but forge none. A certificate keeps the exact payload text it signed,
beside the same facts as columns for searching; verification rebuilds the payload from
the columns and compares, so a changed column is caught as surely as a changed payload.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models._columns import UTCDateTime, utcnow
from app.models.users import User

SHARE_WITH_RECRUITER = "share-with-recruiter"


class SigningKey(db.Model):
    """An Ed25519 public key, published (JWKS) for as long as any certificate uses it."""

    __tablename__ = "signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    # RFC 7638 JWK thumbprint (SHA-256, base64url): the same key always gets the same id.
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    public_key: Mapped[str] = mapped_column(String(64))  # the raw 32 bytes, base64url
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # signs no more


class Certificate(db.Model):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("exam_attempts.id"), unique=True)
    level: Mapped[str] = mapped_column(String(4))
    candidate_name: Mapped[str] = mapped_column(String(120))  # as issued, not as renamed
    candidate_external_id: Mapped[str | None] = mapped_column(String(64))
    scaled: Mapped[dict[str, int]] = mapped_column(JSON)  # score group -> scaled score
    total: Mapped[int]
    raw: Mapped[dict[str, dict[str, int]]] = mapped_column(JSON)  # section -> asked, right…
    exam_date: Mapped[date] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(200))
    kid: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # the canonical JSON that was signed
    signature: Mapped[str] = mapped_column(String(100))  # Ed25519, base64url, no padding
    status_index: Mapped[int] = mapped_column(unique=True)  # its bit in the status list
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class AuditEntry(db.Model):
    """One line of the append-only audit log; the database refuses UPDATE and DELETE.

    ``actor_id`` has no foreign key on purpose: the log outlives the accounts it names.
    """

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(60))  # e.g. certificate.issued
    subject: Mapped[str] = mapped_column(String(80), index=True)  # e.g. certificate:abc
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(45))


class Consent(db.Model):
    """A candidate's agreement to a purpose, with the exact words they agreed to."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
