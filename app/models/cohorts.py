"""Cohorts: a boot-camp group at one centre, joined with a code, run by instructors."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, Date, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.lib.tokens import format_join_code
from app.models._columns import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.centres import Centre
    from app.models.content import Lesson
    from app.models.users import User

cohort_instructors = Table(
    "cohort_instructors",
    db.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Cohort(db.Model):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    target_level: Mapped[str] = mapped_column(String(4), default="N4")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    join_code_expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    centre: Mapped[Centre] = relationship()
    instructors: Mapped[list[User]] = relationship(secondary=cohort_instructors)
    memberships: Mapped[list[CohortMembership]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan"
    )
    assignments: Mapped[list[CohortLesson]] = relationship(
        back_populates="cohort",
        cascade="all, delete-orphan",
        order_by=lambda: (CohortLesson.due_on, CohortLesson.lesson_id),
    )

    __table_args__ = (UniqueConstraint("centre_id", "name"),)

    @property
    def join_code_display(self) -> str:
        return format_join_code(self.join_code)

    def __repr__(self) -> str:
        return f"<Cohort {self.id} {self.name!r}>"


class CohortMembership(db.Model):
    """A trainee's place in a cohort (a trainee may move between cohorts)."""

    __tablename__ = "cohort_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships")

    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)


class CohortLesson(db.Model):
    """A lesson the cohort's trainees are to complete by a date: what "behind schedule"
    is measured against. One row per lesson; assigning it again moves the date."""

    __tablename__ = "cohort_lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    lesson_id: Mapped[str] = mapped_column(ForeignKey("lessons.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="assignments")
    lesson: Mapped[Lesson] = relationship()

    __table_args__ = (UniqueConstraint("cohort_id", "lesson_id"),)
