"""The admin pages: who may see them, what they show, the status filter, bad input, and
the manual redeliver with its audit entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, Role
from app.models.webhooks import DEAD, DELIVERED, PENDING, WebhookDelivery
from app.webhooks import admin
from app.webhooks.urls import WebhookError
from tests.conftest import csrf_token
from tests.test_webhooks_delivery import enqueue, make_key, register, run

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def two_deliveries(app: Flask) -> tuple[int, int]:
    """A dead delivery and a delivered one, to the endpoint of "Placement Office"."""
    key = make_key(app, "Placement Office")
    register(app, key, "https://93.184.215.14/hooks")
    enqueue(app, "certification.revoked", hashi_id=1)
    enqueue(app, "certification.passed", hashi_id=2)
    with app.app_context():
        dead, delivered = db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
        dead.status, dead.attempts = DEAD, 31
        delivered.status, delivered.attempts = DELIVERED, 1
        db.session.commit()
        return dead.id, delivered.id


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.INSTRUCTOR, Role.CENTRE_ADMIN])
def test_only_programme_admins_may_see_webhooks(
    app: Flask, client: FlaskClient, login_as, role: Role
) -> None:  # type: ignore[no-untyped-def]
    dead, _delivered = two_deliveries(app)
    login_as(role)
    assert client.get("/admin/webhooks").status_code == 403
    assert client.get(f"/admin/webhooks/deliveries/{dead}").status_code == 403
    assert client.post(f"/admin/webhooks/deliveries/{dead}/redeliver").status_code in (400, 403)


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/admin/webhooks")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_page_lists_endpoints_and_deliveries_and_filters(
    app: Flask, client: FlaskClient, login_as
) -> None:  # type: ignore[no-untyped-def]
    dead, delivered = two_deliveries(app)
    login_as(Role.PROGRAMME_ADMIN)
    page = client.get("/admin/webhooks").get_data(as_text=True)
    assert "Placement Office" in page
    assert "https://93.184.215.14/hooks" in page
    assert f"Delivery {dead}<" in page
    assert f"Delivery {delivered}<" in page
    assert 'href="/admin/webhooks"' in page  # the nav link

    only_dead = client.get("/admin/webhooks?status=dead").get_data(as_text=True)
    assert f"Delivery {dead}<" in only_dead
    assert f"Delivery {delivered}<" not in only_dead
    assert "No delivery has this status." in client.get("/admin/webhooks?status=pending").get_data(
        as_text=True
    )

    for odd in ("?status=nonsense", "?page=abc", "?page=-4", "?page=99999", "?status=" + "x" * 500):
        response = client.get("/admin/webhooks" + odd)
        assert response.status_code == 200, odd
        assert f"Delivery {dead}<" in response.get_data(as_text=True)


def test_a_delivery_shows_its_attempts_and_body(app: Flask, client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]

    key = make_key(app)
    register(app, key, "http://127.0.0.1:9/refused")
    enqueue(app, "candidate.updated", hashi_id=77)
    run(app, T0)
    [row] = db_rows(app)
    login_as(Role.PROGRAMME_ADMIN)
    page = client.get(f"/admin/webhooks/deliveries/{row.id}").get_data(as_text=True)
    assert "candidate.updated" in page
    assert "No answer" in page
    assert "ConnectError" in page
    assert "&#34;hashi_id&#34;: 77" in page or '"hashi_id": 77' in page
    assert client.get("/admin/webhooks/deliveries/999999").status_code == 404
    assert client.get("/admin/webhooks/deliveries/abc").status_code == 404


def db_rows(app: Flask) -> list[WebhookDelivery]:
    with app.app_context():
        rows = list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))
        db.session.expunge_all()
        return rows


def test_redeliver_queues_it_now_and_is_audited(app: Flask, client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    dead, _delivered = two_deliveries(app)
    admin_user = login_as(Role.PROGRAMME_ADMIN)
    path = f"/admin/webhooks/deliveries/{dead}"
    assert client.post(path + "/redeliver").status_code == 400  # no CSRF token
    response = client.post(path + "/redeliver", data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(path)
    assert "will be sent again" in client.get(path).get_data(as_text=True)
    with app.app_context():
        row = db.session.get(WebhookDelivery, dead)
        assert row.status == PENDING
        assert row.attempts == 31  # the history stays
        assert row.give_up_at > row.created_at + timedelta(hours=23)
        [entry] = db.session.scalars(select(AuditEntry)).all()
        assert (entry.action, entry.subject, entry.actor_id) == (
            "webhook.redelivered",
            f"webhook-delivery:{dead}",
            admin_user.id,
        )
        assert entry.details == {"previous_status": "dead", "event": "certification.revoked"}
    missing = client.post(
        "/admin/webhooks/deliveries/999999/redeliver", data={"csrf_token": csrf_token(client, path)}
    )
    assert missing.status_code == 404


def test_redeliver_waits_while_a_worker_is_sending(app: Flask) -> None:
    dead, _delivered = two_deliveries(app)
    with app.app_context():
        row = db.session.get(WebhookDelivery, dead)
        row.claimed_until = T0 + timedelta(seconds=30)
        db.session.commit()
        with pytest.raises(WebhookError) as refused:
            admin.redeliver(dead, now=T0, actor_id=None)
        assert refused.value.status == 409
        assert db.session.get(WebhookDelivery, dead).status == DEAD
        assert admin.redeliver(dead, now=T0 + timedelta(minutes=1), actor_id=None).status == PENDING


def test_the_page_explains_a_refused_redeliver(app: Flask, client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    dead, _delivered = two_deliveries(app)
    with app.app_context():
        db.session.get(WebhookDelivery, dead).claimed_until = T0 + timedelta(days=3650)
        db.session.commit()
    login_as(Role.PROGRAMME_ADMIN)
    path = f"/admin/webhooks/deliveries/{dead}"
    response = client.post(
        path + "/redeliver", data={"csrf_token": csrf_token(client, path)}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "cannot be sent again now" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(WebhookDelivery, dead).status == DEAD
        assert db.session.scalars(select(AuditEntry)).all() == []
