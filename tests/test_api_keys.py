"""API keys: stored hashed, shown once, rotated and revoked with audit entries, last use
recorded at most once a minute; the admin pages and the command line."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from app.api import keys
from app.extensions import db
from app.models import ApiKey, AuditEntry, Role, User
from app.models._columns import utcnow
from tests.api_support import bearer, issue_key
from tests.conftest import csrf_token


def test_only_a_hash_of_the_secret_is_stored(app: Flask) -> None:
    text = issue_key(app, "candidates:read")
    assert re.fullmatch(r"hashi_[0-9a-f]{12}_[A-Za-z0-9_\-]{43}", text)
    _hashi, prefix, secret = text.split("_", 2)
    with app.app_context():
        row = db.session.scalar(select(ApiKey))
        assert row.prefix == prefix
        assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in (row.secret_hash, row.name, row.scopes)
        assert row.scope_list == ["candidates:read"]


def test_unknown_scopes_and_empty_names_are_refused(app: Flask) -> None:
    with app.app_context():
        for name, scopes in (("x", ["admin:all"]), ("", ["candidates:read"]), ("x", [])):
            with pytest.raises(keys.ApiKeyError) as refused:
                keys.create(name, scopes, now=utcnow(), actor_id=None)
            assert refused.value.status == 422


def test_last_use_is_recorded_at_most_once_a_minute(app: Flask) -> None:
    text = issue_key(app)
    start = utcnow()
    with app.app_context():
        assert keys.authenticate(text, now=start) is not None
        assert db.session.scalar(select(ApiKey.last_used_at)) == start
        assert keys.authenticate(text, now=start + timedelta(seconds=30)) is not None
        assert db.session.scalar(select(ApiKey.last_used_at)) == start
        later = start + timedelta(seconds=61)
        assert keys.authenticate(text, now=later) is not None
        assert db.session.scalar(select(ApiKey.last_used_at)) == later


def test_rotate_and_revoke_leave_audit_entries(app: Flask) -> None:
    text = issue_key(app)
    with app.app_context():
        key_id = db.session.scalar(select(ApiKey.id))
        new = keys.rotate(key_id, now=utcnow(), actor_id=None)
        db.session.commit()
        assert keys.authenticate(text, now=utcnow()) is None
        assert keys.authenticate(new.text, now=utcnow()) is not None
        assert new.text.split("_")[1] == text.split("_")[1]  # same client, same prefix
        keys.revoke(key_id, now=utcnow(), actor_id=None)
        db.session.commit()
        assert keys.authenticate(new.text, now=utcnow()) is None
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == [keys.CREATED, keys.ROTATED, keys.REVOKED]
        with pytest.raises(keys.ApiKeyError) as refused:
            keys.rotate(key_id, now=utcnow(), actor_id=None)
        assert refused.value.status == 409


def test_cli_create_prints_the_key_on_its_last_line(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    result = runner.invoke(
        args=["api-keys", "create", "--name", "RS", "--scope", "certifications:read"]
    )
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert client.get("/api/v1/keys", headers=bearer(key)).status_code == 200
    listed = runner.invoke(args=["api-keys", "list"])
    assert "RS" in listed.output
    assert "active" in listed.output
    assert key not in listed.output
    prefix = key.split("_")[1]
    rotated = runner.invoke(args=["api-keys", "rotate", prefix])
    new_key = rotated.output.strip().splitlines()[-1]
    assert client.get("/api/v1/keys", headers=bearer(key)).status_code == 401
    assert client.get("/api/v1/keys", headers=bearer(new_key)).status_code == 200
    revoked = runner.invoke(args=["api-keys", "revoke", prefix])
    assert revoked.exit_code == 0, revoked.output
    assert client.get("/api/v1/keys", headers=bearer(new_key)).status_code == 401
    assert runner.invoke(args=["api-keys", "revoke", prefix]).exit_code != 0
    assert runner.invoke(args=["api-keys", "revoke", "nope"]).exit_code != 0
    bad = runner.invoke(args=["api-keys", "create", "--name", "x", "--scope", "root"])
    assert bad.exit_code != 0


def test_admin_pages_create_show_once_rotate_and_revoke(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    admin = login_as(Role.PROGRAMME_ADMIN)
    page = client.get("/admin/api-keys")
    assert page.status_code == 200
    assert "/api/v1/docs" in page.get_data(as_text=True)
    created = client.post(
        "/admin/api-keys",
        data={
            "name": "Recruitment system",
            "scopes": ["candidates:read", "certifications:read"],
            "csrf_token": csrf_token(client, "/admin/api-keys"),
        },
    )
    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    key = re.search(r'value="(hashi_[^"]+)"', created.get_data(as_text=True)).group(1)
    assert client.get("/api/v1/keys", headers=bearer(key)).status_code == 200
    listing = client.get("/admin/api-keys").get_data(as_text=True)
    assert "Recruitment system" in listing
    assert key not in listing
    with app.app_context():
        row = db.session.scalar(select(ApiKey))
        assert row.created_by_id == admin.id
        key_id = row.id
    unconfirmed = client.post(
        f"/admin/api-keys/{key_id}/revoke",
        data={"csrf_token": csrf_token(client, f"/admin/api-keys/{key_id}/revoke")},
    )
    assert unconfirmed.status_code == 422
    assert client.get("/api/v1/keys", headers=bearer(key)).status_code == 200
    rotated = client.post(
        f"/admin/api-keys/{key_id}/rotate",
        data={"confirm": "y", "csrf_token": csrf_token(client, f"/admin/api-keys/{key_id}/rotate")},
    )
    new_key = re.search(r'value="(hashi_[^"]+)"', rotated.get_data(as_text=True)).group(1)
    assert client.get("/api/v1/keys", headers=bearer(key)).status_code == 401
    revoked = client.post(
        f"/admin/api-keys/{key_id}/revoke",
        data={"confirm": "y", "csrf_token": csrf_token(client, f"/admin/api-keys/{key_id}/revoke")},
    )
    assert revoked.status_code == 302
    assert client.get("/api/v1/keys", headers=bearer(new_key)).status_code == 401
    with app.app_context():
        actors = db.session.scalars(select(AuditEntry.actor_id)).all()
        assert actors == [admin.id] * 3


def test_bad_admin_input_is_a_clear_4xx(client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as(Role.PROGRAMME_ADMIN)
    token = csrf_token(client, "/admin/api-keys")
    for data in (
        {"name": "", "scopes": ["candidates:read"]},
        {"name": "x"},
        {"name": "x", "scopes": ["root"]},
        {"name": "x" * 500, "scopes": ["candidates:read"]},
    ):
        response = client.post("/admin/api-keys", data={**data, "csrf_token": token})
        assert response.status_code == 422, data
    assert client.get("/admin/api-keys/999/revoke").status_code == 404


def test_only_programme_admins_manage_keys(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    login_as(Role.CENTRE_ADMIN)
    assert client.get("/admin/api-keys").status_code == 403


def test_the_reference_page_is_served_by_the_app(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "/api/v1/candidates/{hashi_id}" in text
    assert "candidates:read" in text
    # Every script, style and link the page loads is the app's own.
    for url in re.findall(r'(?:src|href)="([^"#]+)"', text):
        assert url.startswith("/"), url
