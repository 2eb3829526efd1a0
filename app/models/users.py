"""People who sign in, and the one-time links that let them set a password."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.lib.cnic import format_cnic
from app.models._columns import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.centres import Centre
    from app.models.cohorts import CohortMembership


class Role(enum.StrEnum):
    TRAINEE = "trainee"
    INSTRUCTOR = "instructor"
    CENTRE_ADMIN = "centre_admin"
    PROGRAMME_ADMIN = "programme_admin"

    @property
    def is_staff(self) -> bool:
        return self is not Role.TRAINEE

    @property
    def is_admin(self) -> bool:
        return self in (Role.CENTRE_ADMIN, Role.PROGRAMME_ADMIN)


def new_session_token() -> str:
    return secrets.token_hex(16)


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centres.id"), index=True)
    locale: Mapped[str] = mapped_column(String(8), default="en")
    # Furigana over kanji: "always", "above-level" (only kanji above the lesson's level)
    # or "never".
    furigana: Mapped[str] = mapped_column(String(12), default="always", server_default="always")
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    cnic: Mapped[str | None] = mapped_column(String(13), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Part of the login cookie: changing it (on a password change) signs out every device.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    centre: Mapped[Centre | None] = relationship()
    memberships: Mapped[list[CohortMembership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login's protocol, written out so that is_active is a real column.
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def cnic_display(self) -> str:
        return format_cnic(self.cnic) if self.cnic else ""

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role.value}>"


class PasswordReset(db.Model):
    """A one-time link an instructor or admin hands to a user; only its hash is kept."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
