"""API keys: how the recruitment system (or any other client) proves who it is.

Only a SHA-256 hash of each secret is stored: the secret is 256 random bits, so a plain
hash is as strong as a slow password hash here and costs microseconds per request. The
public ``prefix`` finds the row without scanning; the hash is then compared in constant
time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models._columns import UTCDateTime, utcnow


class ApiKey(db.Model):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # The public part of the key (`hashi_<prefix>_<secret>`): stays the same on rotation.
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the secret, hex
    scopes: Mapped[str] = mapped_column(String(200))  # space-separated
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
