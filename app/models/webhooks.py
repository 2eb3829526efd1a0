"""Webhook endpoints, the outbox of deliveries, and every attempt to send one.

A delivery row is written in the same transaction as the change it announces (the outbox
pattern), so a change that is rolled back announces nothing and a committed one cannot be
lost; a worker sends the rows afterwards. Rows are never deleted by the app: admins read
them to see what each client was sent and what it answered.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models._columns import UTCDateTime, utcnow

# The states of a delivery. ``failed`` means the last attempt failed and another is
# scheduled; ``dead`` means Hashi gave up (a day after creation, or its endpoint is gone);
# ``cancelled`` means the candidate it is about withdrew their consent before it was sent.
PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"
DEAD = "dead"
CANCELLED = "cancelled"
DELIVERY_STATUSES = (PENDING, DELIVERED, FAILED, DEAD, CANCELLED)
DUE_STATUSES = (PENDING, FAILED)


class WebhookEndpoint(db.Model):
    """A URL an API client asked to be called at, with the events it wants."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    api_key_id: Mapped[int] = mapped_column(
        ForeignKey("api_keys.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON)
    # The signing secret (32 random bytes as hex), encrypted: Hashi must sign with it, so
    # it cannot be stored hashed, and a copy of the database must not give it away.
    # app.webhooks.secret_box reads and writes it.
    secret_ciphertext: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WebhookDelivery(db.Model):
    """One event for one endpoint: the outbox row the worker claims and sends."""

    __tablename__ = "webhook_deliveries"
    # The worker's claim: due rows in order of their next attempt.
    __table_args__ = (Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the whole body that is sent
    # The candidate the event is about (the payload's ``data.candidate_id``), as a column
    # so that withdrawing consent can cancel what is still queued about them. Not a
    # foreign key, on purpose: users are never deleted, and SQLite can add or drop a plain
    # column in place, whereas adding a key means copying the table, whose DROP would
    # cascade over webhook_attempts.
    user_id: Mapped[int | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # A worker's lease: set when claimed, so no other worker sends the row meanwhile.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    give_up_at: Mapped[datetime] = mapped_column(UTCDateTime())  # then it is dead
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    endpoint: Mapped[WebhookEndpoint] = relationship()


class DeliveryAttempt(db.Model):
    """One try at sending a delivery: the HTTP status it got, or the error."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(200))
    duration_ms: Mapped[int] = mapped_column(default=0)

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
