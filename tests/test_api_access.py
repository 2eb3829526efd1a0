"""Access control on every operation of the document: a missing, malformed, wrong,
revoked or under-scoped key is refused; a signed-in browser session is not a key; no
answer carries a password hash, a raw key or another client's webhook."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.api import keys
from app.extensions import db
from app.models import ApiKey, Role, User
from app.models._columns import utcnow
from tests.api_support import bearer, issue_key, share

METHODS = {"get", "post", "put", "patch", "delete"}


def operations(client: FlaskClient) -> list[tuple[str, str, str]]:
    """(method, concrete path, scope) of every documented operation."""
    spec = client.get("/api/v1/openapi.json").get_json()
    found = []
    for template, item in spec["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            path = (
                template.replace("{hashi_id}", "1")
                .replace("{external_id}", "RS-1")
                .replace("{cnic}", "3520212345671")
                .replace("{certificate_id}", "abc")
                .replace("{webhook_id}", "1")
            )
            scope = op["security"][0]["bearerAuth"][0]
            found.append((method.upper(), path, scope))
    return found


def _body(method: str) -> dict[str, Any]:
    if method == "POST":
        return {"json": {"url": "https://example.org/h", "events": ["candidate.updated"]}}
    return {}


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "missing_key"),
        ("Bearer", "missing_key"),
        ("Basic dXNlcjpwYXNz", "missing_key"),
        ("Bearer not-a-key", "invalid_key"),
        ("Bearer hashi_000000000000_wrongsecret", "invalid_key"),
    ],
)
def test_every_operation_refuses_a_missing_malformed_or_unknown_key(
    app: Flask, client: FlaskClient, header: str | None, code: str
) -> None:
    issue_key(app)
    for method, path, _scope in operations(client):
        headers = {"Authorization": header} if header else {}
        response = client.open(path, method=method, headers=headers, **_body(method))
        assert response.status_code == 401, (method, path)
        body = response.get_json()
        assert body["code"] == code
        assert body["request_id"] == response.headers["X-Request-ID"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_secret_with_a_real_prefix_is_refused(app: Flask, client: FlaskClient) -> None:
    key = issue_key(app)
    prefix = key.split("_")[1]
    forged = f"hashi_{prefix}_{'A' * 43}"
    for method, path, _scope in operations(client):
        response = client.open(path, method=method, headers=bearer(forged), **_body(method))
        assert response.status_code == 401, (method, path)


def test_revoked_and_rotated_keys_are_refused_everywhere(app: Flask, client: FlaskClient) -> None:
    revoked = issue_key(app, name="old client")
    rotated = issue_key(app, name="rotating client")
    with app.app_context():
        by_prefix = {k.prefix: k for k in keys.all_keys()}
        keys.revoke(by_prefix[revoked.split("_")[1]].id, now=utcnow(), actor_id=None)
        fresh = keys.rotate(by_prefix[rotated.split("_")[1]].id, now=utcnow(), actor_id=None)
        db.session.commit()
        fresh_text = fresh.text
    for method, path, _scope in operations(client):
        for dead in (revoked, rotated):
            response = client.open(path, method=method, headers=bearer(dead), **_body(method))
            assert response.status_code == 401, (method, path)
    assert client.get("/api/v1/keys", headers=bearer(fresh_text)).status_code == 200


def test_a_key_without_the_scope_is_forbidden(app: Flask, client: FlaskClient) -> None:
    ops = operations(client)
    assert {scope for _m, _p, scope in ops} == set(keys.SCOPES)
    for scope in keys.SCOPES:
        others = [s for s in keys.SCOPES if s != scope]
        key = issue_key(app, *others, name=f"without {scope}")
        for method, path, needed in ops:
            if needed != scope:
                continue
            response = client.open(path, method=method, headers=bearer(key), **_body(method))
            assert response.status_code == 403, (method, path)
            assert response.get_json()["code"] == "insufficient_scope"


def test_a_signed_in_admin_session_is_not_an_api_key(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    login_as(Role.PROGRAMME_ADMIN)
    for method, path, _scope in operations(client):
        response = client.open(path, method=method, **_body(method))
        assert response.status_code == 401, (method, path)
        assert "Set-Cookie" not in response.headers, (method, path)


def test_no_answer_leaks_a_password_hash_a_key_or_a_secret(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.TRAINEE, external_id="RS-1", cnic="3520212345671")
    share(app, user)
    key = issue_key(app)
    with app.app_context():
        stored = db.session.get(User, user.id)
        password_hash = stored.password_hash
        secret_hash = db.session.query(ApiKey).one().secret_hash
    client.post(
        "/api/v1/webhooks",
        headers=bearer(key),
        json={"url": "https://e.org/h", "events": ["candidate.updated"]},
    )
    for method, path, _scope in operations(client):
        if method != "GET":
            continue
        text = client.get(path.replace("/1", f"/{user.id}"), headers=bearer(key)).get_data(
            as_text=True
        )
        for secret in (password_hash, secret_hash, key, key.split("_", 2)[2], "password"):
            assert secret not in text, (path, secret)


def test_a_client_sees_and_touches_only_its_own_webhooks(app: Flask, client: FlaskClient) -> None:
    mine, theirs = issue_key(app, name="mine"), issue_key(app, name="theirs")
    made = client.post(
        "/api/v1/webhooks",
        headers=bearer(theirs),
        json={"url": "https://theirs.example.org/h", "events": ["candidate.updated"]},
    ).get_json()
    listed = client.get("/api/v1/webhooks", headers=bearer(mine)).get_json()
    assert listed == {"webhooks": []}
    assert "theirs.example.org" not in client.get(
        "/api/v1/webhooks", headers=bearer(mine)
    ).get_data(as_text=True)
    ping = client.post(f"/api/v1/webhooks/{made['id']}/ping", headers=bearer(mine))
    assert ping.status_code == 404
    gone = client.delete(f"/api/v1/webhooks/{made['id']}", headers=bearer(mine))
    assert gone.status_code == 404
    still = client.get("/api/v1/webhooks", headers=bearer(theirs)).get_json()["webhooks"]
    assert [w["id"] for w in still] == [made["id"]]


def test_cors_is_closed(app: Flask, client: FlaskClient) -> None:
    key = issue_key(app)
    response = client.get("/api/v1/keys", headers={**bearer(key), "Origin": "https://evil.example"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = client.options(
        "/api/v1/keys",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 405
    assert preflight.get_json()["code"] == "cors_not_allowed"
    assert not any(name.startswith("Access-Control-") for name, _value in preflight.headers)


def test_candidates_who_do_not_share_are_not_found(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    hidden = make_user(Role.TRAINEE, external_id="RS-9", cnic="3520212345679")
    key = issue_key(app)
    for path in (
        f"/api/v1/candidates/{hidden.id}",
        "/api/v1/candidates/by-external-id/RS-9",
        "/api/v1/candidates/by-cnic/35202-1234567-9",
    ):
        response = client.get(path, headers=bearer(key))
        assert response.status_code == 404
        assert response.get_json()["code"] == "candidate_not_found"
    assert client.get("/api/v1/candidates", headers=bearer(key)).get_json()["candidates"] == []
