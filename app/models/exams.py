"""Exam attempts, the answers given in them, and the windows certification is sat in.

The form is stored with the attempt when it starts, so later changes to the bank or the
blueprint never change what a candidate was asked. An answer is one row per attempt and
item, changed in place until its section closes.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models._columns import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.cohorts import Cohort
    from app.models.users import User

ACTIVE = "active"
FINISHED = "finished"
INVALIDATED = "invalidated"

FULL_FORM = "full"
SHORT_FORM = "short"


class ExamWindow(db.Model):
    """When, where and how a cohort sits the certification exam at one level.

    The access code is kept readable (not hashed) because staff must be able to show it
    to the proctor who reads it out in the room; it only guards the room, not an account.
    ``networks`` is a list of CIDRs (IPv4 or IPv6); empty means any address.
    """

    __tablename__ = "exam_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(4))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    form_size: Mapped[str] = mapped_column(String(10), default=FULL_FORM)  # full | short
    access_code: Mapped[str | None] = mapped_column(String(16))
    networks: Mapped[list[str]] = mapped_column(JSON, default=list)
    wait_days: Mapped[int] = mapped_column(default=0)  # after a failed attempt
    max_attempts: Mapped[int] = mapped_column(default=1)  # per candidate in this window
    requires_mock: Mapped[bool] = mapped_column(default=False)  # a passed mock at the level
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cohort: Mapped[Cohort] = relationship()
    created_by: Mapped[User | None] = relationship()


class ExamAttempt(db.Model):
    __tablename__ = "exam_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(4))
    kind: Mapped[str] = mapped_column(String(20))  # mock | certification
    status: Mapped[str] = mapped_column(String(20), default=ACTIVE)
    seed: Mapped[int]  # the form's random seed, so its assembly can be repeated
    # [{"id": section, "minutes": m, "parts": [{"skill": s, "items": [item ids]}]}]
    form: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # {item id: version number} when the form was drawn: shown and graded as they were.
    item_versions: Mapped[dict[str, int]] = mapped_column(JSON, default=dict, server_default="{}")
    section_index: Mapped[int] = mapped_column(default=0)
    section_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    section_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # [{"section": id, "started_at": iso, "deadline": iso, "closed_at": iso, "timed_out": b}]
    section_log: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    scores: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # raw counts and scaled
    passed: Mapped[bool | None]
    invalidated_reason: Mapped[str | None] = mapped_column(Text)
    # The certification window sat in; None for a mock.
    window_id: Mapped[int | None] = mapped_column(ForeignKey("exam_windows.id"), index=True)

    answers: Mapped[list[ExamAnswer]] = relationship(
        back_populates="attempt", order_by="ExamAnswer.id", passive_deletes=True
    )
    window: Mapped[ExamWindow | None] = relationship()
    user: Mapped[User] = relationship()

    __table_args__ = (
        # One active attempt per candidate, whatever the level or kind.
        Index(
            "uq_exam_attempts_one_active",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_exam_attempts_user_id_kind_level", "user_id", "kind", "level"),
    )


class ExamAnswer(db.Model):
    __tablename__ = "exam_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # (attempt_id, item_id) is unique, and that index serves lookups by attempt too.
    attempt_id: Mapped[int] = mapped_column(ForeignKey("exam_attempts.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    section: Mapped[str] = mapped_column(String(20))
    answer: Mapped[Any] = mapped_column(JSON)
    correct: Mapped[bool]
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    attempt: Mapped[ExamAttempt] = relationship(back_populates="answers")

    __table_args__ = (UniqueConstraint("attempt_id", "item_id"),)
