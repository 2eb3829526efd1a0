"""The two webhook migrations on a database of their own, with rows written the way the
older code wrote them: each delivery learns its candidate from its payload, plain secrets
come out encrypted (and still sign what a receiver verifies), and the downgrade gives
back the plain secrets and turns cancelled deliveries into dead ones."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.extensions import db
from app.webhooks import secret_box, signing
from tests.conftest import make_app, own_database

BEFORE = "5e2c7a9d1b07"  # the revision these migrations follow
T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
PLAIN = "ab" * 32


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of this test's own (never the shared, migrated one)."""
    with own_database(tmp_path / "migrations.sqlite3", prefix="hashi_test_mig") as url:
        yield url


def execute(statement: str, **values: object) -> list[sa.Row]:  # type: ignore[type-arg]
    result = db.session.execute(sa.text(statement), values)
    rows = list(result) if result.returns_rows else []
    db.session.commit()
    return rows


def test_upgrade_fills_and_encrypts_and_downgrade_gives_back(fresh_url: str) -> None:
    app = make_app(fresh_url)
    with app.app_context():
        upgrade(revision=BEFORE)
        execute(
            "INSERT INTO api_keys (id, name, prefix, secret_hash, scopes, created_at) "
            "VALUES (1, 'Recruiter', 'abc123', :hash, 'webhooks:manage', :at)",
            hash="0" * 64,
            at=T0,
        )
        execute(
            "INSERT INTO webhook_endpoints (id, api_key_id, url, events, secret, active, "
            "created_at) VALUES (1, 1, 'https://example.org/h', '[\"candidate.updated\"]', "
            ":secret, :yes, :at)",
            secret=PLAIN,
            yes=True,
            at=T0,
        )
        payloads = [
            '{"id": "evt_1", "data": {"candidate_id": 42, "level": "N5"}}',
            '{"id": "evt_2", "data": {"hashi_id": 7}}',
            '{"id": "evt_3", "data": {"endpoint_id": 1, "url": "https://example.org/h"}}',
        ]
        for number, payload in enumerate(payloads, start=1):
            execute(
                "INSERT INTO webhook_deliveries (id, endpoint_id, event, payload, status, "
                "attempts, next_attempt_at, give_up_at, created_at) "
                "VALUES (:id, 1, 'candidate.updated', :payload, 'pending', 0, :at, :at, :at)",
                id=number,
                payload=payload,
                at=T0,
            )
        execute(
            "INSERT INTO webhook_attempts (delivery_id, at, status_code, duration_ms) "
            "VALUES (1, :at, 500, 12)",
            at=T0,
        )

        upgrade()

        users = execute("SELECT id, user_id FROM webhook_deliveries ORDER BY id")
        assert [tuple(r) for r in users] == [(1, 42), (2, None), (3, None)]
        [endpoint] = execute("SELECT * FROM webhook_endpoints")
        columns = dict(endpoint._mapping)
        assert "secret" not in columns
        assert PLAIN not in str(columns)
        sealed = columns["secret_ciphertext"]
        assert secret_box.decrypt(sealed) == PLAIN  # the app reads what the migration wrote
        body = b'{"id":"evt_1"}'
        header = signing.signature_header(secret_box.decrypt(sealed), body, now=T0)
        assert signing.verify(PLAIN, header, body, now=T0)  # a receiver's old secret works

        execute("UPDATE webhook_deliveries SET status = 'cancelled' WHERE id = 1")
        downgrade(revision=BEFORE)

        [endpoint] = execute("SELECT * FROM webhook_endpoints")
        columns = dict(endpoint._mapping)
        assert columns["secret"] == PLAIN
        assert "secret_ciphertext" not in columns
        statuses = execute("SELECT status FROM webhook_deliveries ORDER BY id")
        assert [r.status for r in statuses] == ["dead", "pending", "pending"]
        assert "user_id" not in dict(execute("SELECT * FROM webhook_deliveries")[0]._mapping)
        assert len(execute("SELECT * FROM webhook_deliveries")) == 3  # nothing cascaded away
        assert len(execute("SELECT * FROM webhook_attempts")) == 1

        upgrade()  # and up again, as a redeploy would
        [endpoint] = execute("SELECT secret_ciphertext FROM webhook_endpoints")
        assert secret_box.decrypt(endpoint.secret_ciphertext) == PLAIN
        db.session.remove()
        db.engine.dispose()
