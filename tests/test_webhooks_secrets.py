"""Webhook signing secrets are encrypted at rest: the stored row never holds the secret,
a real receiver still verifies every signature, a host with the wrong key fails loudly
(the delivery is not sent, the worker refuses to start), a damaged value says so, and
setting WEBHOOK_SECRET_KEY later keeps older secrets readable and reseals them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import text

from app.extensions import db
from app.models.webhooks import FAILED, DeliveryAttempt, WebhookEndpoint
from app.webhooks import secret_box
from tests.test_webhooks_delivery import (
    Receiver,
    delivery_rows,
    enqueue,
    make_key,
    register,
    run,
)

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
OTHER_SECRET_KEY = "another-hosts-secret-key-of-enough-length"
WEBHOOK_KEY = "a-dedicated-webhook-secret-key-32-chars-or-more"


def stored(app: Flask, endpoint_id: int) -> dict[str, object]:
    """The endpoint's row as the database holds it, every column."""
    with app.app_context():
        row = db.session.execute(
            text("SELECT * FROM webhook_endpoints WHERE id = :id"), {"id": endpoint_id}
        ).one()
        return dict(row._mapping)


def test_the_row_holds_only_ciphertext(app: Flask) -> None:
    endpoint_id, secret = register(app, make_key(app), "https://example.org/hook")
    row = stored(app, endpoint_id)
    assert "secret" not in row
    assert all(secret not in str(value) for value in row.values())
    assert str(row["secret_ciphertext"]).startswith("v1:")
    with app.app_context():
        assert secret_box.decrypt(str(row["secret_ciphertext"])) == secret
    second_id, second = register(app, make_key(app), "https://example.org/hook")
    assert second != secret
    assert stored(app, second_id)["secret_ciphertext"] != row["secret_ciphertext"]


def test_the_receiver_verifies_signatures_made_with_the_decrypted_secret(
    app: Flask, receiver: Receiver
) -> None:
    receiver.clock = lambda: T0
    _endpoint, receiver.secret = register(app, make_key(app), receiver.url)
    enqueue(app, now=T0)
    [outcome] = run(app, T0)
    assert outcome.status_code == 200
    assert [r.signature_ok for r in receiver.requests] == [True]


def test_a_host_with_the_wrong_key_sends_nothing_and_says_why(
    app: Flask, other_app: Callable[..., Flask], receiver: Receiver
) -> None:
    receiver.clock = lambda: T0
    endpoint_id, receiver.secret = register(app, make_key(app), receiver.url)
    enqueue(app, now=T0)
    wrong = other_app(SECRET_KEY=OTHER_SECRET_KEY)

    [outcome] = run(wrong, T0)
    assert outcome.status == FAILED
    assert outcome.error is not None
    assert "key id" in outcome.error
    assert "WEBHOOK_SECRET_KEY" in outcome.error
    assert receiver.requests == []  # never sent unsigned or wrongly signed
    [row] = delivery_rows(app)
    with app.app_context():
        [attempt] = db.session.query(DeliveryAttempt).all()
        assert attempt.error == outcome.error  # the whole reason, for the admin page
        assert len(outcome.error) <= 200
    assert row.attempts == 1

    refused = wrong.test_cli_runner().invoke(args=["webhooks", "work", "--once"])
    assert refused.exit_code != 0
    assert f"Webhook endpoint {endpoint_id}" in refused.output
    assert "differs from the one it was encrypted with" in refused.output

    # The right key still works: nothing was lost, the retry arrives.
    receiver.clock = lambda: T0 + timedelta(minutes=1)
    [later] = run(app, T0 + timedelta(minutes=1))
    assert later.status_code == 200
    assert [r.signature_ok for r in receiver.requests] == [True]


def test_a_damaged_ciphertext_is_reported_as_damaged(app: Flask) -> None:
    endpoint_id, _secret = register(app, make_key(app), "https://example.org/hook")
    value = str(stored(app, endpoint_id)["secret_ciphertext"])
    flipped = value[:-3] + ("A" if value[-3] != "A" else "B") + value[-2:]
    with app.app_context():
        with pytest.raises(secret_box.SecretKeyError, match="damaged"):
            secret_box.decrypt(flipped)
        with pytest.raises(secret_box.SecretKeyError, match="flask db upgrade"):
            secret_box.decrypt("0123456789abcdef" * 4)  # a plain secret, never migrated


def test_a_dedicated_key_set_later_reads_older_secrets_and_reseals_them(
    app: Flask, other_app: Callable[..., Flask], receiver: Receiver
) -> None:
    receiver.clock = lambda: T0
    endpoint_id, receiver.secret = register(app, make_key(app), receiver.url)
    before = str(stored(app, endpoint_id)["secret_ciphertext"])
    dedicated = other_app(WEBHOOK_SECRET_KEY=WEBHOOK_KEY)

    enqueue(app, now=T0)
    [outcome] = run(dedicated, T0)
    assert outcome.status_code == 200
    after = str(stored(app, endpoint_id)["secret_ciphertext"])
    assert secret_box.key_id_of(after) != secret_box.key_id_of(before)
    assert secret_box.key_id_of(after) == secret_box.derive(WEBHOOK_KEY)[0]

    # From now on SECRET_KEY may change: the webhooks no longer depend on it.
    rotated = other_app(WEBHOOK_SECRET_KEY=WEBHOOK_KEY, SECRET_KEY=OTHER_SECRET_KEY)
    enqueue(app, now=T0)
    [again] = run(rotated, T0)
    assert again.status_code == 200
    assert [r.signature_ok for r in receiver.requests] == [True, True]
    with rotated.app_context():
        endpoint = db.session.get(WebhookEndpoint, endpoint_id)
        assert secret_box.decrypt(endpoint.secret_ciphertext) == receiver.secret


def test_reseal_secrets_moves_every_secret_to_the_dedicated_key(
    app: Flask, other_app: Callable[..., Flask]
) -> None:
    endpoint_id, secret = register(app, make_key(app), "https://example.org/hook")
    dedicated = other_app(WEBHOOK_SECRET_KEY=WEBHOOK_KEY)
    result = dedicated.test_cli_runner().invoke(args=["webhooks", "reseal-secrets"])
    assert result.exit_code == 0, result.output
    assert "1 webhook secrets sealed again" in result.output
    again = dedicated.test_cli_runner().invoke(args=["webhooks", "reseal-secrets"])
    assert "0 webhook secrets sealed again" in again.output
    rotated = other_app(WEBHOOK_SECRET_KEY=WEBHOOK_KEY, SECRET_KEY=OTHER_SECRET_KEY)
    with rotated.app_context():
        endpoint = db.session.get(WebhookEndpoint, endpoint_id)
        assert secret_box.decrypt(endpoint.secret_ciphertext) == secret
    lost = other_app(SECRET_KEY=OTHER_SECRET_KEY).test_cli_runner()
    refused = lost.invoke(args=["webhooks", "reseal-secrets"])
    assert refused.exit_code != 0
    assert "differs from the one it was encrypted with" in refused.output
