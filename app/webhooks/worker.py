"""The worker that sends the outbox: claim due deliveries, send each, record the answer.

Claims are short transactions committed before anything is sent, so no database
connection waits on a slow receiver. A claim sets ``claimed_until`` (a lease) with an
UPDATE that only succeeds while the row is unclaimed; on PostgreSQL the candidate rows are
first read with ``FOR UPDATE SKIP LOCKED`` so concurrent workers pass over each other's
rows instead of queueing on them. Several hosts may therefore run workers at once and a
delivery is sent by one of them. On SQLite, run a single worker: the claim is still
correct, but SQLite allows one writer at a time and the workers would wait on each other.

A worker that dies between sending and recording leaves its lease to expire, and the
delivery is sent again later: delivery is at least once, and receivers de-duplicate on
the ``Hashi-Delivery`` header.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import httpx
from flask import current_app
from sqlalchemy import or_, select, update

from app.extensions import db
from app.learning.clock import now as clock_now
from app.models.webhooks import (
    CANCELLED,
    DEAD,
    DELIVERED,
    DUE_STATUSES,
    FAILED,
    DeliveryAttempt,
    WebhookDelivery,
)
from app.webhooks import outbox, secret_box, signing
from app.webhooks.urls import WebhookError, check_host

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0
LEASE = timedelta(seconds=60)  # well over the timeout: a live send never loses its claim
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
DEFAULT_BATCH = 20


@dataclass(frozen=True)
class Outcome:
    delivery_id: int
    status: str  # the delivery's status after this attempt
    status_code: int | None
    error: str | None


def backoff(attempts: int, *, rng: Callable[[float, float], float] = random.uniform) -> timedelta:
    """The wait after the ``attempts``-th failure: 30 s, 1 min, 2, 4 … up to an hour, each
    ±25% at random so that receivers coming back up are not hit by every retry at once."""
    base = min(FIRST_RETRY * (2 ** max(0, attempts - 1)), LONGEST_WAIT)
    return base * rng(0.75, 1.25)


def is_production() -> bool:
    return current_app.config.get("ENV_NAME") == "production"


def claim(batch: int, *, now: datetime) -> list[int]:
    """Take up to ``batch`` due deliveries for this worker, committed before returning."""
    query = (
        select(WebhookDelivery.id)
        .where(
            WebhookDelivery.status.in_(DUE_STATUSES),
            WebhookDelivery.next_attempt_at <= now,
            or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now),
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(batch)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed: list[int] = []
    try:
        for delivery_id in db.session.scalars(query).all():
            # Conditional: a row another worker claimed meanwhile is left to it.
            result = db.session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id == delivery_id,
                    WebhookDelivery.status.in_(DUE_STATUSES),
                    or_(
                        WebhookDelivery.claimed_until.is_(None),
                        WebhookDelivery.claimed_until < now,
                    ),
                )
                .values(claimed_until=now + LEASE)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                claimed.append(delivery_id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return claimed


def release(delivery_ids: list[int]) -> None:
    """Give claimed deliveries back at once (a stopping worker), instead of at lease end."""
    if delivery_ids:
        db.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(delivery_ids))
            .values(claimed_until=None)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()


def deliver(delivery_id: int, *, now: datetime, client: httpx.Client, production: bool) -> Outcome:
    """Send one claimed delivery and record the attempt and the new status."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        return Outcome(delivery_id, DEAD, None, "gone")
    if delivery.status not in DUE_STATUSES:  # cancelled since it was claimed
        delivery.claimed_until = None
        db.session.commit()
        return Outcome(delivery_id, delivery.status, None, "not due")
    if outbox.about_withdrawn_candidate(delivery):
        # Withdrawal cancels what is queued; this catches a delivery written by a change
        # that raced the withdrawal (it read the consent just before it ended).
        delivery.status = CANCELLED
        delivery.claimed_until = None
        db.session.commit()
        return Outcome(delivery_id, CANCELLED, None, "consent withdrawn")
    endpoint = delivery.endpoint
    if not endpoint.active:
        delivery.status = DEAD
        delivery.claimed_until = None
        db.session.commit()
        return Outcome(delivery_id, DEAD, None, "endpoint removed")
    try:
        secret = secret_box.decrypt(endpoint.secret_ciphertext)
    except secret_box.SecretKeyError as unreadable:
        # Nothing is sent unsigned: the attempt fails with the reason, loudly, and is
        # retried as usual (the right key may be deployed meanwhile).
        log.error("webhook delivery %s: %s", delivery_id, unreadable)
        return _record(delivery_id, now=now, status_code=None, error=str(unreadable), ms=0)
    if secret_box.needs_resealing(endpoint.secret_ciphertext):
        endpoint.secret_ciphertext = secret_box.encrypt(secret)
    url, body = endpoint.url, signing.body_bytes(delivery.payload)
    headers = signing.headers(secret, body, event=delivery.event, delivery_id=delivery.id, now=now)
    db.session.commit()  # no transaction stays open while the receiver takes its time

    status_code, error, duration_ms = send(url, body, headers, client=client, production=production)
    return _record(delivery_id, now=now, status_code=status_code, error=error, ms=duration_ms)


def _record(
    delivery_id: int, *, now: datetime, status_code: int | None, error: str | None, ms: int
) -> Outcome:
    """Store the attempt and the delivery's new status. The row is read again, locked on
    PostgreSQL: consent withdrawn while it was being sent has cancelled it, and it stays
    cancelled unless it arrived (a failed try is then not retried)."""
    delivery = db.session.get(
        WebhookDelivery, delivery_id, populate_existing=True, with_for_update=True
    )
    assert delivery is not None
    db.session.add(
        DeliveryAttempt(
            delivery_id=delivery.id,
            at=now,
            status_code=status_code,
            error=error[:200] if error else None,
            duration_ms=ms,
        )
    )
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.claimed_until = None
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = DELIVERED
        delivery.delivered_at = now
    elif delivery.status == CANCELLED:
        pass  # consent was withdrawn while it was on its way: not retried
    elif now >= delivery.give_up_at:
        delivery.status = DEAD
    else:
        delivery.status = FAILED
        # The last try is at the deadline itself, a day after the event.
        delivery.next_attempt_at = min(now + backoff(delivery.attempts), delivery.give_up_at)
    db.session.commit()
    return Outcome(delivery_id, delivery.status, status_code, error)


def send(
    url: str, body: bytes, headers: dict[str, str], *, client: httpx.Client, production: bool
) -> tuple[int | None, str | None, int]:
    """POST the body; (status code or None, error or None, milliseconds taken). The body
    of the answer is not read: only its status matters."""
    started = time.monotonic()
    status_code: int | None = None
    error: str | None = None
    try:
        if production:  # again now: the name may point elsewhere since registration
            parts = urlsplit(url)
            check_host(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        with client.stream("POST", url, content=body, headers=headers) as response:
            status_code = response.status_code
    except WebhookError as refused:
        error = f"refused: {refused.message}"[:200]
    except httpx.TimeoutException:
        error = "timeout"
    except httpx.HTTPError as failure:
        error = f"{type(failure).__name__}: {failure}"[:200]
    return status_code, error, int((time.monotonic() - started) * 1000)


def new_client() -> httpx.Client:
    """Redirects are not followed (a 3xx counts as a failure): a redirect could lead the
    request to an address the URL check would have refused."""
    return httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False, trust_env=False)


def run_once(
    *,
    batch: int = DEFAULT_BATCH,
    now: datetime | None = None,
    client: httpx.Client | None = None,
    production: bool | None = None,
    stop: threading.Event | None = None,
) -> list[Outcome]:
    """Claim one batch and send it. ``now`` fixes the clock (tests move it forward)."""
    production = is_production() if production is None else production
    owned = client is None
    client = client or new_client()
    try:
        ids = claim(batch, now=now or clock_now())
        outcomes: list[Outcome] = []
        for index, delivery_id in enumerate(ids):
            if stop is not None and stop.is_set():
                release(ids[index:])
                break
            outcomes.append(
                deliver(delivery_id, now=now or clock_now(), client=client, production=production)
            )
        return outcomes
    finally:
        if owned:
            client.close()


def work(*, batch: int, idle_seconds: float, stop: threading.Event) -> int:
    """Send until ``stop`` is set; sleep ``idle_seconds`` when nothing is due. Returns the
    number of deliveries attempted."""
    total = 0
    with new_client() as client:
        while not stop.is_set():
            try:
                outcomes = run_once(batch=batch, client=client, stop=stop)
            except Exception:  # a database blip must not end the worker
                db.session.rollback()
                log.exception("webhook worker: batch failed")
                outcomes = []
                stop.wait(idle_seconds)
            total += len(outcomes)
            for outcome in outcomes:
                log.info(
                    "webhook delivery %s: %s (%s)",
                    outcome.delivery_id,
                    outcome.status,
                    outcome.status_code or outcome.error,
                )
            if not outcomes:
                stop.wait(idle_seconds)
    return total
