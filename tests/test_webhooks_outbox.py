"""Registering endpoints: which URLs are allowed (and where), the event list, a client's
own endpoints only, removal and the test ping."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models.webhooks import DEAD, PENDING, WebhookDelivery, WebhookEndpoint
from app.webhooks import outbox
from app.webhooks.outbox import WebhookError
from app.webhooks.urls import check_url, is_public
from tests.test_webhooks_delivery import enqueue, make_key, register

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

REFUSED_ANYWHERE = [
    ("ftp://example.org/hook", "must start with https://"),
    ("file:///etc/passwd", "must start with https://"),
    ("javascript:alert(1)", "must start with https://"),
    ("http://", "no host"),
    ("https:///path", "no host"),
    ("example.org/hook", "must start with https://"),
    ("https://user:pw@example.org/", "user name or password"),
    ("https://example.org/a b", "spaces"),
    ("https://example.org/#frag", "fragment"),
    ("https://example.org:99999/", "cannot be read"),
    ("https://example.org/" + "a" * 2000, "longer than"),
    ("", "as a string"),
    (None, "as a string"),
    (["https://example.org/"], "as a string"),
]

PRIVATE = [
    "http://127.0.0.1/hook",
    "http://127.9.9.9:8080/hook",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.10/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://100.64.0.1/",
    "http://localhost:5000/",
]


@pytest.mark.parametrize(("url", "reason"), REFUSED_ANYWHERE)
def test_bad_urls_are_refused_everywhere(url: object, reason: str) -> None:
    for production in (False, True):
        with pytest.raises(WebhookError, match=reason) as refused:
            check_url(url, production=production)
        assert refused.value.status == 422


@pytest.mark.parametrize("url", PRIVATE)
def test_private_loopback_and_link_local_are_refused_in_production(url: str) -> None:
    with pytest.raises(WebhookError, match="public addresses") as refused:
        check_url(url, production=True)
    assert refused.value.status == 422
    assert check_url(url, production=False) == url  # a receiver on this machine, in tests


def test_public_addresses_are_allowed_in_production() -> None:
    assert check_url(" https://93.184.215.14/hooks ", production=True) == (
        "https://93.184.215.14/hooks"
    )
    assert check_url("https://[2606:4700::1111]/h", production=True)
    assert is_public("8.8.8.8")
    assert not is_public("::ffff:10.0.0.1")


def test_a_name_that_does_not_resolve_is_refused_in_production() -> None:
    with pytest.raises(WebhookError, match="cannot be found"):
        check_url("https://no-such-host.invalid/hook", production=True)


def test_register_lists_and_hands_out_the_secret_once(app: Flask) -> None:
    key = make_key(app)
    with app.app_context():
        endpoint, secret = outbox.register(
            key,
            "https://93.184.215.14/hook",
            ["certification.passed", "certification.passed", "candidate.updated"],
            now=T0,
            production=True,
        )
        db.session.commit()
        assert len(secret) == 64
        int(secret, 16)
        assert endpoint.events == ["certification.passed", "candidate.updated"]
        assert [e.id for e in outbox.endpoints_of(key)] == [endpoint.id]
        assert outbox.endpoints_of(make_key(app, "Other")) == []


@pytest.mark.parametrize(
    ("events", "reason"),
    [
        ([], "at least one"),
        (["certification.exploded"], "Unknown event"),
        ("certification.passed", "as a list"),
        ({"certification.passed": True}, "as a list"),
        (None, "as a list"),
        ([1], "Unknown event"),
    ],
)
def test_bad_event_lists_are_refused(app: Flask, events: object, reason: str) -> None:
    key = make_key(app)
    with app.app_context(), pytest.raises(WebhookError, match=reason) as refused:
        outbox.register(key, "https://93.184.215.14/", events, now=T0, production=False)
    assert refused.value.status == 422


def test_a_production_registration_refuses_a_private_url(app: Flask) -> None:
    key = make_key(app)
    with app.app_context():
        with pytest.raises(WebhookError, match="public addresses"):
            outbox.register(key, "http://10.0.0.7/", ["candidate.updated"], now=T0, production=True)
        assert db.session.scalars(select(WebhookEndpoint)).all() == []


def test_a_client_has_at_most_ten_endpoints(app: Flask) -> None:
    key = make_key(app)
    for number in range(10):
        register(app, key, f"https://93.184.215.14/{number}")
    with app.app_context(), pytest.raises(WebhookError) as refused:
        outbox.register(
            key, "https://93.184.215.14/x", ["candidate.updated"], now=T0, production=False
        )
    assert refused.value.status == 409


def test_another_clients_endpoint_is_unknown(app: Flask) -> None:
    mine, theirs = make_key(app, "Mine"), make_key(app, "Theirs")
    endpoint_id, _secret = register(app, theirs, "https://93.184.215.14/")
    with app.app_context():
        for action in (
            lambda: outbox.remove(mine, endpoint_id, now=T0),
            lambda: outbox.ping(mine, endpoint_id, now=T0),
            lambda: outbox.ping(theirs, endpoint_id + 1000, now=T0),
        ):
            with pytest.raises(WebhookError) as refused:
                action()
            assert refused.value.status == 404
        assert db.session.get(WebhookEndpoint, endpoint_id).active


def test_remove_stops_the_endpoint_and_gives_up_what_it_had_waiting(app: Flask) -> None:
    key = make_key(app)
    endpoint_id, _secret = register(app, key, "https://93.184.215.14/")
    enqueue(app)
    with app.app_context():
        outbox.remove(key, endpoint_id, now=T0)
        db.session.commit()
        endpoint = db.session.get(WebhookEndpoint, endpoint_id)
        assert (endpoint.active, endpoint.disabled_at) == (False, T0)
        assert outbox.endpoints_of(key) == []
        assert [d.status for d in db.session.scalars(select(WebhookDelivery))] == [DEAD]
        with pytest.raises(WebhookError):
            outbox.remove(key, endpoint_id, now=T0)  # already gone
    assert enqueue(app) == ""  # a removed endpoint is sent nothing new


def test_ping_queues_a_delivery_to_that_endpoint_only(app: Flask) -> None:
    key = make_key(app)
    endpoint_id, _secret = register(app, key, "https://93.184.215.14/a")
    register(app, key, "https://93.184.215.14/b")
    with app.app_context():
        delivery = outbox.ping(key, endpoint_id, now=T0)
        db.session.commit()
        assert (delivery.endpoint_id, delivery.event, delivery.status) == (
            endpoint_id,
            "webhook.ping",
            PENDING,
        )
        assert delivery.payload["type"] == "webhook.ping"
        assert delivery.payload["data"]["endpoint_id"] == endpoint_id
        assert db.session.scalars(select(WebhookDelivery)).all() == [delivery]
