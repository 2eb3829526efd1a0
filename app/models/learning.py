"""Practice sessions, the answers given in them, and disputed gradings.

Every answer is a row written before the page shows it as graded, so nothing a trainee
saw graded is ever lost; a repeated post (double click, retry after a timeout) carries
the same key and finds the row already there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models._columns import UTCDateTime, utcnow


class PracticeSession(db.Model):
    __tablename__ = "practice_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[str | None] = mapped_column(ForeignKey("lessons.id"))
    kind: Mapped[str] = mapped_column(String(20), default="lesson")
    item_ids: Mapped[list[str]] = mapped_column(JSON)  # in the order they are asked
    # {item id: version number} as shown at the start: answers are graded against these.
    item_versions: Mapped[dict[str, int]] = mapped_column(JSON, default=dict, server_default="{}")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    responses: Mapped[list[Response]] = relationship(
        back_populates="session", order_by="Response.id"
    )


class Response(db.Model):
    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("practice_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    item_version: Mapped[int | None]  # the version answered (None: before versions existed)
    client_key: Mapped[str] = mapped_column(String(64))  # the page's key for this answer
    answer: Mapped[Any] = mapped_column(JSON)
    correct: Mapped[bool]
    score: Mapped[float]
    retry: Mapped[bool] = mapped_column(default=False)
    feedback: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    response_ms: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    session: Mapped[PracticeSession] = relationship(back_populates="responses")

    __table_args__ = (UniqueConstraint("session_id", "client_key"),)


class Dispute(db.Model):
    """A trainee's "I was right": kept for the item's instructors to accept or reject."""

    __tablename__ = "disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), unique=True
    )
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The instructor's decision, kept so the trainee can be told why.
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReviewCard(db.Model):
    """One item a trainee has met, scheduled for review with FSRS."""

    __tablename__ = "review_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"))
    card: Mapped[dict[str, Any]] = mapped_column(JSON)  # fsrs.Card.to_dict()
    due: Mapped[datetime] = mapped_column(UTCDateTime())
    reviews: Mapped[int] = mapped_column(default=0)
    last_reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("user_id", "item_id"),
        Index("ix_review_cards_user_id_due", "user_id", "due"),
    )
