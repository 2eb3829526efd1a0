"""Recruitment: the certification status each candidate was last given per level, the
log of status changes the recruitment system polls (its id is the feed's cursor), and
results of outside exams (JLPT, JFT-Basic) that trainees report and admins check.

The status is stored, not computed on each read, so that the feed, the webhooks and the
API agree: a change exists once, with one id, whoever asks and whenever.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models._columns import UTCDateTime, utcnow


class CandidateStatus(db.Model):
    """The status last recorded for a candidate at one level."""

    __tablename__ = "candidate_statuses"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "level"),
        # The API's list filters by level and status, then walks users in id order.
        Index("ix_candidate_statuses_level_status_user_id", "level", "status", "user_id"),
    )


class StatusChange(db.Model):
    """One change of a candidate's status at a level. ``id`` only grows, so a client
    that remembers the last id it saw never misses or repeats one. ``old_status`` is None
    when the change announces the current status to the recruitment system (consent given)."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(4))
    old_status: Mapped[str | None] = mapped_column(String(20))
    new_status: Mapped[str] = mapped_column(String(20))
    cause: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


SELF_REPORTED = "self-reported"
VERIFIED = "verified"
REJECTED = "rejected"


class ExternalResult(db.Model):
    """A JLPT or JFT-Basic result a trainee holds, with a scan of its certificate.

    JLPT: ``level`` N5..N1 (a certificate of proficiency is only given on a pass), an
    optional total ``score``. JFT-Basic: ``score`` 10-250 and the ``band`` the Japan
    Foundation prints for it (derived from the score and test date, see external_results).
    """

    __tablename__ = "external_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    exam: Mapped[str] = mapped_column(String(12))  # JLPT | JFT-Basic
    level: Mapped[str | None] = mapped_column(String(4))
    score: Mapped[int | None]
    band: Mapped[str | None] = mapped_column(String(8))
    taken_on: Mapped[date] = mapped_column(Date)
    certificate_number: Mapped[str] = mapped_column(String(40))
    scan_name: Mapped[str] = mapped_column(String(80))  # random file name in the instance folder
    scan_type: Mapped[str] = mapped_column(String(40))  # the sniffed media type
    scan_size: Mapped[int]
    state: Mapped[str] = mapped_column(String(16), default=SELF_REPORTED)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_external_results_state_created_at", "state", "created_at"),)


class CandidateView(db.Model):
    """What the API returns for one candidate, stored as the JSON it sends, with its ETag.

    A read model: built from the tables above and the user's cohorts, certificates and
    finished attempts whenever one of them changes (app/recruitment/views.py), so a
    request for a candidate costs one indexed read instead of six queries. A missing row
    is never wrong, only slower: the API then builds the document on the spot.
    """

    __tablename__ = "candidate_views"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    body: Mapped[str] = mapped_column(Text)
    etag: Mapped[str] = mapped_column(String(40))
    built_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
