"""What programme admins see of webhooks, and the manual redeliver."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.certification import audit
from app.extensions import db
from app.models.api_keys import ApiKey
from app.models.webhooks import (
    DELIVERY_STATUSES,
    PENDING,
    DeliveryAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from app.webhooks import outbox
from app.webhooks.outbox import GIVE_UP_AFTER
from app.webhooks.urls import WebhookError

PER_PAGE = 50
REDELIVERED = "webhook.redelivered"


class ConsentWithdrawnError(WebhookError):
    """The delivery is about a candidate who no longer agrees to share their results."""


@dataclass(frozen=True)
class DeliveryPage:
    rows: list[tuple[WebhookDelivery, WebhookEndpoint, str]]  # with the client's key name
    status: str | None
    page: int
    pages: int
    total: int


def endpoints() -> list[tuple[WebhookEndpoint, str]]:
    """Every endpoint with its client's key name, active ones first."""
    return [
        (endpoint, name)
        for endpoint, name in db.session.execute(
            select(WebhookEndpoint, ApiKey.name)
            .join(ApiKey, ApiKey.id == WebhookEndpoint.api_key_id)
            .order_by(WebhookEndpoint.active.desc(), WebhookEndpoint.id.desc())
        )
    ]


def deliveries(status: str | None, page: int, *, per_page: int = PER_PAGE) -> DeliveryPage:
    """Newest first, optionally one status only. An unknown status shows every delivery;
    a page past the end is the last page."""
    status = status if status in DELIVERY_STATUSES else None
    count = select(func.count()).select_from(WebhookDelivery)
    query = (
        select(WebhookDelivery, WebhookEndpoint, ApiKey.name)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .join(ApiKey, ApiKey.id == WebhookEndpoint.api_key_id)
        .order_by(WebhookDelivery.id.desc())
    )
    if status:
        count = count.where(WebhookDelivery.status == status)
        query = query.where(WebhookDelivery.status == status)
    total = db.session.scalar(count) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return DeliveryPage(
        rows=[(d, e, name) for d, e, name in rows],
        status=status,
        page=page,
        pages=pages,
        total=total,
    )


def attempts_of(delivery_id: int) -> list[DeliveryAttempt]:
    return list(
        db.session.scalars(
            select(DeliveryAttempt)
            .where(DeliveryAttempt.delivery_id == delivery_id)
            .order_by(DeliveryAttempt.id)
        )
    )


def redeliver(
    delivery_id: int, *, now: datetime, actor_id: int | None, ip: str | None = None
) -> WebhookDelivery:
    """Send the delivery again now, with the same ``Hashi-Delivery`` id (a receiver that
    already has it sees a duplicate, not a new event), and a fresh day of retries. Logged
    in the audit log. Refused while a worker is sending it, and while the candidate it is
    about has withdrawn their consent."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        raise WebhookError("There is no delivery with that id.", 404)
    if outbox.about_withdrawn_candidate(delivery):
        raise ConsentWithdrawnError(
            "The candidate this delivery is about has withdrawn their consent.", 409
        )
    if delivery.claimed_until is not None and delivery.claimed_until > now:
        raise WebhookError("A worker is sending this delivery right now; try again soon.", 409)
    if not delivery.endpoint.active:
        raise WebhookError("The endpoint has been removed by its client.", 409)
    previous = delivery.status
    delivery.status = PENDING
    delivery.next_attempt_at = now
    delivery.give_up_at = now + GIVE_UP_AFTER
    audit.record(
        REDELIVERED,
        f"webhook-delivery:{delivery.id}",
        now=now,
        actor_id=actor_id,
        details={"previous_status": previous, "event": delivery.event},
        ip=ip,
    )
    return delivery
