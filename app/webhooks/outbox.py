"""The outbox: endpoints a client registers, and the deliveries written for each event.

``enqueue`` only adds rows to the caller's session and never commits: the delivery is
stored in the same transaction as the status change it announces, so a change that is
rolled back announces nothing, and one that is committed is sent by the worker however
the process ends afterwards.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from app.extensions import db
from app.models._columns import utcnow
from app.models.webhooks import (
    CANCELLED,
    DEAD,
    DUE_STATUSES,
    PENDING,
    WebhookDelivery,
    WebhookEndpoint,
)
from app.recruitment import status as recruitment
from app.webhooks import secret_box
from app.webhooks.urls import WebhookError, check_url

__all__ = [
    "EVENTS",
    "PING",
    "WebhookError",
    "about_withdrawn_candidate",
    "cancel_for_candidate",
    "endpoints_of",
    "enqueue",
    "ping",
    "register",
    "remove",
]

EVENTS = (
    "certification.passed",
    "certification.failed",
    "certification.revoked",
    "candidate.updated",
)
PING = "webhook.ping"  # sent only on request, to the one endpoint asked for
GIVE_UP_AFTER = timedelta(hours=24)
MAX_ENDPOINTS_PER_KEY = 10


def enqueue(event: str, data: dict[str, Any], *, now: datetime) -> list[WebhookDelivery]:
    """One delivery per active endpoint subscribed to ``event``, added to the caller's
    transaction (flushed, not committed). Every copy carries the same event id, and the
    candidate the event is about (``data["candidate_id"]``) is kept on each row."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    endpoints = db.session.scalars(
        select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))
    ).all()
    body = _payload(event, data, now=now)
    candidate = data.get("candidate_id")
    user_id = candidate if isinstance(candidate, int) and not isinstance(candidate, bool) else None
    made = [
        _delivery(ep, event, body, now=now, user_id=user_id)
        for ep in endpoints
        if event in ep.events
    ]
    db.session.flush()
    return made


def cancel_for_candidate(user_id: int) -> int:
    """Cancel every delivery about the candidate not sent yet (pending or to be retried),
    in the caller's transaction: they withdrew their consent, so nothing more about them
    leaves Hashi. A delivery a worker is sending at this moment is already on its way; the
    worker leaves it cancelled unless it arrived. Returns how many were cancelled."""
    result = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.user_id == user_id, WebhookDelivery.status.in_(DUE_STATUSES))
        .values(status=CANCELLED)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def about_withdrawn_candidate(delivery: WebhookDelivery) -> bool:
    """The delivery is about a candidate who no longer agrees to share their results:
    it must not be sent (the worker) or sent again (an admin's redeliver)."""
    return delivery.user_id is not None and not recruitment.consenting(delivery.user_id)


def register(
    api_key_id: int, url: object, events: object, *, now: datetime, production: bool
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (the only time the secret is handed out)."""
    checked = check_url(url, production=production)
    wanted = _check_events(events)
    if len(endpoints_of(api_key_id)) >= MAX_ENDPOINTS_PER_KEY:
        raise WebhookError(
            f"A client may register at most {MAX_ENDPOINTS_PER_KEY} webhook endpoints.", 409
        )
    secret = secrets.token_hex(32)
    endpoint = WebhookEndpoint(
        api_key_id=api_key_id,
        url=checked,
        events=wanted,
        secret_ciphertext=secret_box.encrypt(secret),
        active=True,
        created_at=now,
    )
    db.session.add(endpoint)
    db.session.flush()
    return endpoint, secret


def endpoints_of(api_key_id: int) -> list[WebhookEndpoint]:
    """The client's active endpoints, oldest first."""
    return list(
        db.session.scalars(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.api_key_id == api_key_id, WebhookEndpoint.active.is_(True))
            .order_by(WebhookEndpoint.id)
        )
    )


def endpoint_of(api_key_id: int, endpoint_id: int) -> WebhookEndpoint:
    """The client's own active endpoint; another client's is as unknown as a missing one."""
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.api_key_id != api_key_id or not endpoint.active:
        raise WebhookError("There is no webhook endpoint with that id.", 404)
    return endpoint


def remove(api_key_id: int, endpoint_id: int, *, now: datetime | None = None) -> None:
    """Stop calling the endpoint. The row stays (admins still see what it was sent);
    deliveries not yet sent to it are given up."""
    moment = now or utcnow()
    endpoint = endpoint_of(api_key_id, endpoint_id)
    endpoint.active = False
    endpoint.disabled_at = moment
    for delivery in db.session.scalars(
        select(WebhookDelivery).where(
            WebhookDelivery.endpoint_id == endpoint.id,
            WebhookDelivery.status.in_(DUE_STATUSES),
        )
    ):
        delivery.status = DEAD
    db.session.flush()


def ping(api_key_id: int, endpoint_id: int, *, now: datetime) -> WebhookDelivery:
    """A ``webhook.ping`` delivery to this endpoint only, sent by the worker like any
    other, so a client can check its receiver and its signature check end to end."""
    endpoint = endpoint_of(api_key_id, endpoint_id)
    body = _payload(PING, {"endpoint_id": endpoint.id, "url": endpoint.url}, now=now)
    delivery = _delivery(endpoint, PING, body, now=now)
    db.session.flush()
    return delivery


def _payload(event: str, data: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    return {
        "id": f"evt_{uuid.uuid4().hex}",
        "type": event,
        "created": now.isoformat().replace("+00:00", "Z"),
        "data": data,
    }


def _delivery(
    endpoint: WebhookEndpoint,
    event: str,
    body: dict[str, Any],
    *,
    now: datetime,
    user_id: int | None = None,
) -> WebhookDelivery:
    delivery = WebhookDelivery(
        endpoint_id=endpoint.id,
        event=event,
        payload=body,
        user_id=user_id,
        status=PENDING,
        attempts=0,
        next_attempt_at=now,
        give_up_at=now + GIVE_UP_AFTER,
        created_at=now,
    )
    db.session.add(delivery)
    return delivery


def _check_events(events: object) -> list[str]:
    if not isinstance(events, Iterable) or isinstance(events, (str, bytes, dict)):
        raise WebhookError("Give the events as a list of event names.", 422)
    wanted: list[str] = []
    for name in events:
        if name not in EVENTS:
            raise WebhookError(
                f"Unknown event {str(name)[:60]!r}; the events are: {', '.join(EVENTS)}.", 422
            )
        if name not in wanted:
            wanted.append(name)
    if not wanted:
        raise WebhookError("Subscribe to at least one event.", 422)
    return wanted
