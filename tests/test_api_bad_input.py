"""Bad input gets a clear 4xx in the one error shape, never a 5xx; ETags and 304s; the
per-key rate limit with Retry-After; pagination that neither skips nor repeats."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.api import cursors
from app.models import Role, User
from tests.api_support import bearer, issue_key, share


@pytest.fixture
def key(app: Flask) -> str:
    return issue_key(app)


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) >= {"code", "message", "request_id"}
    assert body["request_id"]
    if code:
        assert body["code"] == code, body
    return body


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/candidates?cursor=!!!", 400, "invalid_cursor"),
        ("/api/v1/candidates?cursor=" + cursors.encode("changes", 5), 400, "invalid_cursor"),
        ("/api/v1/changes?cursor=djE6Y2hhbmdlczotMQ", 400, "invalid_cursor"),
        ("/api/v1/changes?cursor=" + "A" * 300, 400, "invalid_parameter"),
        ("/api/v1/candidates?colour=red", 400, "unknown_parameter"),
        ("/api/v1/changes?since=1", 400, "unknown_parameter"),
        ("/api/v1/candidates?limit=0", 400, "invalid_parameter"),
        ("/api/v1/candidates?limit=ten", 400, "invalid_parameter"),
        ("/api/v1/candidates?status=hired", 400, "invalid_parameter"),
        ("/api/v1/candidates?level=N9", 400, "invalid_parameter"),
        ("/api/v1/candidates?cohort=-3", 400, "invalid_parameter"),
        ("/api/v1/candidates/by-cnic/35202-123", 422, "invalid_cnic"),
        ("/api/v1/candidates/by-cnic/abcdefghijklm", 422, "invalid_cnic"),
        ("/api/v1/candidates/424242", 404, "candidate_not_found"),
        ("/api/v1/candidates/not-a-number", 404, "not_found"),
        ("/api/v1/certificates/zzz", 404, "certificate_not_found"),
        ("/api/v1/webhooks/77/ping", 405, None),
        ("/api/v1/nowhere", 404, "not_found"),
        ("/api/v1/candidates/by-external-id/RS%00-1", 400, "invalid_path"),
        ("/api/v1/certificates/a%00b/verification", 400, "invalid_path"),
        ("/api/v1/changes?cursor=%00", 400, None),
    ],
)
def test_bad_queries_and_ids_are_clear_4xx(
    client: FlaskClient, key: str, path: str, status: int, code: str | None
) -> None:
    body = assert_error(client.get(path, headers=bearer(key)), status, code)
    assert body["message"]


def test_limit_is_capped_not_refused(client: FlaskClient, key: str) -> None:
    assert client.get("/api/v1/candidates?limit=100000", headers=bearer(key)).status_code == 200
    assert client.get("/api/v1/changes?limit=100000", headers=bearer(key)).status_code == 200


def test_a_wrong_method_says_which_are_allowed(client: FlaskClient, key: str) -> None:
    response = client.put("/api/v1/keys", headers=bearer(key))
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        (
            {"data": "url=https://e.org", "content_type": "application/x-www-form-urlencoded"},
            415,
            "unsupported_media_type",
        ),
        ({"data": "<xml/>", "content_type": "text/xml"}, 415, "unsupported_media_type"),
        ({"data": "{not json", "content_type": "application/json"}, 400, "invalid_json"),
        ({"json": ["a", "list"]}, 422, "validation_failed"),
        ({"json": {"url": "https://e.org/h"}}, 422, "validation_failed"),
        ({"json": {"url": "https://e.org/h", "events": ["everything"]}}, 422, "validation_failed"),
        ({"json": {"url": "https://e.org/h", "events": []}}, 422, "validation_failed"),
        (
            {"json": {"url": "https://e.org/h", "events": ["candidate.updated"], "x": 1}},
            422,
            "validation_failed",
        ),
        ({"json": {"url": "ftp://e.org/h", "events": ["candidate.updated"]}}, 422, None),
        ({"json": {"url": 12, "events": ["candidate.updated"]}}, 422, "validation_failed"),
        (
            {"data": "{" + " " * 70_000 + "}", "content_type": "application/json"},
            413,
            "payload_too_large",
        ),
    ],
)
def test_bad_webhook_bodies_are_clear_4xx(
    client: FlaskClient, key: str, kwargs: dict[str, Any], status: int, code: str | None
) -> None:
    body = assert_error(
        client.post("/api/v1/webhooks", headers=bearer(key), **kwargs), status, code
    )
    if code == "validation_failed":
        assert body["details"]


def test_private_webhook_urls_are_refused_in_production(
    app: Flask, other_app: Callable[..., Flask]
) -> None:
    production = other_app(
        ENV_NAME="production", SECRET_KEY="x" * 40, ALLOW_SQLITE_IN_PRODUCTION=True
    )
    key = issue_key(app)
    client = production.test_client()
    for url in (
        "http://127.0.0.1/h",
        "http://10.0.0.5/h",
        "http://[::1]/h",
        "http://169.254.169.254/",
    ):
        response = client.post(
            "/api/v1/webhooks",
            headers=bearer(key),
            json={"url": url, "events": ["candidate.updated"]},
        )
        assert_error(response, 422)


def test_get_answers_carry_an_etag_and_honour_if_none_match(
    app: Flask, client: FlaskClient, key: str, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.TRAINEE)
    share(app, user)
    first = client.get(f"/api/v1/candidates/{user.id}", headers=bearer(key))
    etag = first.headers["ETag"]
    again = client.get(
        f"/api/v1/candidates/{user.id}", headers={**bearer(key), "If-None-Match": etag}
    )
    assert again.status_code == 304
    assert again.get_data() == b""
    other = client.get(
        f"/api/v1/candidates/{user.id}", headers={**bearer(key), "If-None-Match": '"stale"'}
    )
    assert other.status_code == 200
    assert other.headers["ETag"] == etag
    unauthenticated = client.get(f"/api/v1/candidates/{user.id}", headers={"If-None-Match": etag})
    assert unauthenticated.status_code == 401


def test_rate_limit_per_key_with_retry_after(app: Flask, other_app: Callable[..., Flask]) -> None:
    limited = other_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3/minute")
    first, second = issue_key(app, name="busy"), issue_key(app, name="quiet")
    client = limited.test_client()
    for _ in range(3):
        assert client.get("/api/v1/keys", headers=bearer(first)).status_code == 200
    refused = client.get("/api/v1/keys", headers=bearer(first))
    body = assert_error(refused, 429, "rate_limited")
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert body["message"]
    assert client.get("/api/v1/keys", headers=bearer(second)).status_code == 200


def test_the_change_feed_pages_without_gaps_or_repeats(
    app: Flask, client: FlaskClient, key: str, make_user: Callable[..., User]
) -> None:
    users = [make_user(Role.TRAINEE) for _ in range(4)]
    for user in users:
        share(app, user, statuses={"N5": "passed", "N4": "in-training"})
    seen: list[int] = []
    cursor = None
    for _ in range(20):
        query = "limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/api/v1/changes?{query}", headers=bearer(key)).get_json()
        seen += [c["id"] for c in page["changes"]]
        assert page["next_cursor"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert seen == sorted(set(seen))
    assert len(seen) == 8
    empty = client.get(f"/api/v1/changes?cursor={cursor}", headers=bearer(key)).get_json()
    assert empty["changes"] == []
    assert empty["next_cursor"] == cursor
    share(app, make_user(Role.TRAINEE))
    later = client.get(f"/api/v1/changes?cursor={cursor}", headers=bearer(key)).get_json()
    assert len(later["changes"]) == 1
    assert later["changes"][0]["id"] > seen[-1]


def test_the_candidate_list_pages_by_cursor(
    app: Flask, client: FlaskClient, key: str, make_user: Callable[..., User]
) -> None:
    users = [make_user(Role.TRAINEE) for _ in range(5)]
    for user in users:
        share(app, user)
    got: list[int] = []
    cursor = None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/api/v1/candidates?{query}", headers=bearer(key)).get_json()
        got += [c["id"] for c in page["candidates"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert got == [u.id for u in users]
