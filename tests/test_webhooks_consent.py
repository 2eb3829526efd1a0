"""Withdrawing consent cancels the webhook deliveries still queued about the candidate:
in the same transaction, shown as cancelled to admins, skipped by the worker (also when
it had already claimed or was sending one), and not redeliverable until the candidate
agrees again. A real receiver counts what arrives."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, Role, User
from app.models.webhooks import CANCELLED, DELIVERED, FAILED, PENDING, WebhookDelivery
from app.recruitment import consent
from app.webhooks import admin, outbox, worker
from app.webhooks.admin import ConsentWithdrawnError
from tests.conftest import csrf_token
from tests.test_webhooks_delivery import Receiver, delivery_rows, make_key, register, run, serve

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@dataclass
class PausingReceiver(Receiver):
    """A receiver that runs ``meanwhile`` once, while the first request is in flight."""

    meanwhile: Callable[[], None] | None = None

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        if self.meanwhile is not None:
            action, self.meanwhile = self.meanwhile, None
            action()
        super().handle(handler)


@pytest.fixture
def receiver() -> Iterator[PausingReceiver]:
    found = PausingReceiver(clock=lambda: T0)
    server = serve(found)
    yield found
    server.shutdown()
    server.server_close()


def send_at(app: Flask, receiver: Receiver, moment: datetime) -> list[worker.Outcome]:
    """Run the worker at ``moment``, the receiver checking signatures against it too."""
    receiver.clock = lambda: moment
    return run(app, moment)


def agree(app: Flask, user: User, at: datetime = T0) -> None:
    with app.app_context():
        consent.give(db.session.get(User, user.id), text="I agree.", now=at)
        db.session.commit()


def withdraw(app: Flask, user: User, at: datetime = T0) -> None:
    with app.app_context():
        assert consent.withdraw(db.session.get(User, user.id), now=at)
        db.session.commit()


def about(rows: list[WebhookDelivery], user: User) -> list[WebhookDelivery]:
    return [r for r in rows if r.user_id == user.id]


@pytest.fixture
def subscribed(app: Flask, receiver: PausingReceiver) -> None:
    _endpoint, receiver.secret = register(app, make_key(app), receiver.url)


def test_deliveries_carry_the_candidate_they_are_about(
    app: Flask, make_user: Callable[..., User], subscribed: None
) -> None:
    user = make_user(Role.TRAINEE)
    agree(app, user)
    rows = delivery_rows(app)
    assert rows
    assert all(r.user_id == user.id == r.payload["data"]["candidate_id"] for r in rows)
    with app.app_context():
        made = outbox.enqueue("certification.passed", {"hashi_id": 5}, now=T0)
        assert made[0].user_id is None  # an event about no candidate
        db.session.rollback()


def test_withdrawing_cancels_what_is_queued_and_nothing_more_is_sent(
    app: Flask, make_user: Callable[..., User], receiver: PausingReceiver, subscribed: None
) -> None:
    leaving, staying = make_user(Role.TRAINEE), make_user(Role.TRAINEE)
    agree(app, leaving)
    receiver.plan = ["500"]  # the first one sent fails and waits for a retry
    [first] = run(app, T0, batch=1)
    assert first.status == FAILED
    agree(app, leaving, T0 + timedelta(seconds=1))  # nothing new: already agreed
    agree(app, staying)
    queued = about(delivery_rows(app), leaving)
    assert {r.status for r in queued} == {PENDING, FAILED}

    withdraw(app, leaving)

    rows = delivery_rows(app)
    assert {r.status for r in about(rows, leaving)} == {CANCELLED}
    assert {r.status for r in about(rows, staying)} == {PENDING}
    with app.app_context():
        [entry] = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "consent.withdrawn")
        ).all()
        assert entry.details["cancelled_deliveries"] == len(queued)

    before = len(receiver.requests)
    sent = send_at(app, receiver, T0 + timedelta(hours=2))
    assert {o.delivery_id for o in sent} == {r.id for r in about(rows, staying)}
    arrived = receiver.requests[before:]
    assert arrived
    assert {r.body["data"]["candidate_id"] for r in arrived} == {staying.id}
    assert send_at(app, receiver, T0 + timedelta(hours=30)) == []  # never retried
    assert {r.status for r in about(delivery_rows(app), leaving)} == {CANCELLED}


def test_a_rolled_back_withdrawal_cancels_nothing(
    app: Flask, make_user: Callable[..., User], subscribed: None
) -> None:
    user = make_user(Role.TRAINEE)
    agree(app, user)
    with app.app_context():
        consent.withdraw(db.session.get(User, user.id), now=T0)
        db.session.rollback()
    assert {r.status for r in delivery_rows(app)} == {PENDING}


def test_a_claimed_delivery_cancelled_before_sending_is_skipped(
    app: Flask, make_user: Callable[..., User], receiver: PausingReceiver, subscribed: None
) -> None:
    user = make_user(Role.TRAINEE)
    agree(app, user)
    with app.app_context():
        claimed = worker.claim(10, now=T0)
    assert claimed
    withdraw(app, user)
    with app.app_context():
        outcomes = [
            worker.deliver(i, now=T0, client=worker.new_client(), production=False) for i in claimed
        ]
    assert {o.status for o in outcomes} == {CANCELLED}
    assert receiver.requests == []
    rows = delivery_rows(app)
    assert all(r.claimed_until is None and r.attempts == 0 for r in rows)


def test_a_delivery_about_a_candidate_who_does_not_agree_is_never_sent(
    app: Flask, make_user: Callable[..., User], receiver: PausingReceiver, subscribed: None
) -> None:
    """What a change racing the withdrawal could leave behind: written after the
    withdrawal cancelled the queue. The worker checks the consent before sending."""
    user = make_user(Role.TRAINEE)
    agree(app, user)
    withdraw(app, user)
    with app.app_context():
        [late] = outbox.enqueue("candidate.updated", {"candidate_id": user.id}, now=T0)
        late_id = late.id
        db.session.commit()
    [outcome] = run(app, T0)
    assert (outcome.delivery_id, outcome.status, outcome.error) == (
        late_id,
        CANCELLED,
        "consent withdrawn",
    )
    assert receiver.requests == []


@pytest.mark.parametrize(("answer", "final"), [("500", CANCELLED), ("ok", DELIVERED)])
def test_withdrawn_while_being_sent(
    app: Flask,
    make_user: Callable[..., User],
    receiver: PausingReceiver,
    subscribed: None,
    answer: str,
    final: str,
) -> None:
    """The send already left: a failed one stays cancelled (no retry); one that arrived
    is recorded as delivered, which it was."""
    user = make_user(Role.TRAINEE)
    agree(app, user)
    receiver.plan = [answer]
    receiver.meanwhile = lambda: withdraw(app, user)
    outcome = run(app, T0, batch=1)[0]
    assert outcome.status == final
    rows = {r.id: r for r in delivery_rows(app)}
    assert rows[outcome.delivery_id].status == final
    assert rows[outcome.delivery_id].attempts == 1
    assert {r.status for i, r in rows.items() if i != outcome.delivery_id} <= {CANCELLED}
    assert run(app, T0 + timedelta(hours=30)) == []


def test_redeliver_is_refused_while_consent_is_withdrawn(
    app: Flask, make_user: Callable[..., User], subscribed: None
) -> None:
    user = make_user(Role.TRAINEE)
    agree(app, user)
    withdraw(app, user)
    delivery_id = delivery_rows(app)[0].id
    with app.app_context():
        with pytest.raises(ConsentWithdrawnError) as refused:
            admin.redeliver(delivery_id, now=T0, actor_id=None)
        assert refused.value.status == 409
        assert "withdrawn their consent" in refused.value.message
        db.session.rollback()
    agree(app, user, T0 + timedelta(hours=1))  # agreeing again allows it
    with app.app_context():
        assert admin.redeliver(delivery_id, now=T0, actor_id=None).status == PENDING
        db.session.commit()


def test_admins_see_cancelled_deliveries_and_why_redeliver_is_refused(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    subscribed: None,
) -> None:
    user = make_user(Role.TRAINEE)
    agree(app, user)
    withdraw(app, user)
    delivery_id = delivery_rows(app)[0].id
    login_as(Role.PROGRAMME_ADMIN)
    listing = client.get("/admin/webhooks?status=cancelled").get_data(as_text=True)
    assert f"Delivery {delivery_id}<" in listing
    assert "Cancelled: consent withdrawn" in listing
    assert '<option value="cancelled" selected>' in listing
    path = f"/admin/webhooks/deliveries/{delivery_id}"
    assert "Cancelled: consent withdrawn" in client.get(path).get_data(as_text=True)
    response = client.post(
        path + "/redeliver", data={"csrf_token": csrf_token(client, path)}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "the candidate it is about has withdrawn their consent" in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.get(WebhookDelivery, delivery_id).status == CANCELLED
        assert (
            db.session.scalars(
                select(AuditEntry).where(AuditEntry.action == "webhook.redelivered")
            ).all()
            == []
        )
