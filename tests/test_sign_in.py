"""Signing in and out: each role lands at home, mistakes are explained, nothing leaks."""

from __future__ import annotations

import pytest
import redis
from sqlalchemy import select

from app.extensions import db, limiter
from app.models import Role, User
from tests.conftest import PASSWORD, csrf_token, sign_in

WRONG = "The email or password is not correct."


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.TRAINEE, "/home"),
        (Role.INSTRUCTOR, "/home"),
        (Role.CENTRE_ADMIN, "/home"),
        (Role.PROGRAMME_ADMIN, "/home"),
    ],
)
def test_each_role_signs_in_and_reaches_its_home(app, client, make_user, role, home) -> None:
    user = make_user(role, name="Rabia Aslam")
    response = sign_in(client, user.email.upper())  # emails are matched case-insensitively
    assert response.status_code == 302
    assert response.headers["Location"] == home
    page = client.get(home, follow_redirects=True).get_data(as_text=True)
    assert "Rabia Aslam" in page
    with app.app_context():
        assert db.session.get(User, user.id).last_login_at is not None


def test_wrong_password_and_unknown_email_get_the_same_message(client, make_user) -> None:
    user = make_user()
    wrong_password = sign_in(client, user.email, "not the password")
    unknown_email = sign_in(client, "nobody@example.org", PASSWORD)
    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert WRONG in response.get_data(as_text=True)
    # The two pages differ only in the CSRF token and request ids: no enumeration.
    assert "nobody@example.org" in unknown_email.get_data(as_text=True)


def test_deactivated_account_cannot_sign_in(client, make_user) -> None:
    user = make_user(is_active=False)
    assert WRONG in sign_in(client, user.email).get_data(as_text=True)


def test_empty_and_overlong_fields_are_explained(client) -> None:
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": "", "password": "", "csrf_token": token})
    assert response.get_data(as_text=True).count("This field is required.") == 2
    response = client.post(
        "/login", data={"email": "a" * 300 + "@x.org", "password": "p", "csrf_token": token}
    )
    assert "Use at most 254 characters." in response.get_data(as_text=True)


def test_sign_out_ends_the_session(client, make_user) -> None:
    user = make_user()
    sign_in(client, user.email)
    assert client.get("/home").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/home")})
    assert response.status_code == 302
    assert client.get("/home").headers["Location"] == "/login"


def test_next_parameter_cannot_send_people_to_another_site(client, make_user) -> None:
    user = make_user()
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        data={
            "email": user.email,
            "password": PASSWORD,
            "next": "//evil.example.com/",
            "csrf_token": token,
        },
    )
    assert response.headers["Location"] == "/home"


def test_pages_that_need_sign_in_redirect_to_it(client) -> None:
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_missing_or_forged_csrf_token_is_refused_with_an_explanation(
    client, make_user, token
) -> None:
    user = make_user()
    data = {"email": user.email, "password": PASSWORD}
    if token:
        data["csrf_token"] = token
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert "reload the page and try again" in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302  # still signed out


def test_session_cookie_is_httponly_and_samesite(client, make_user) -> None:
    user = make_user()
    response = sign_in(client, user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_login_attempts_are_rate_limited(app, other_app) -> None:
    app = other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    limiter.reset()
    client = app.test_client()
    attempt = {
        "email": "x@example.org",
        "password": "wrong",
        "csrf_token": csrf_token(client, "/login"),
    }
    statuses = [client.post("/login", data=attempt).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]  # each says the password is wrong
    blocked = client.post("/login", data=attempt)
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    assert int(blocked.headers["Retry-After"]) > 0
    assert client.get("/login").status_code == 200  # reading the form is not limited
    limiter.reset()


def test_rate_limits_are_shared_through_redis_when_configured(app, other_app) -> None:
    server = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    try:
        server.ping()
    except redis.ConnectionError:
        pytest.fail("Redis must answer on 127.0.0.1:6379 for this test")
    server.flushdb()
    config = {
        "RATELIMIT_ENABLED": True,
        "LOGIN_RATE_LIMIT": "2 per minute",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
    }
    host_a = other_app(**config).test_client()
    host_b = other_app(**config).test_client()
    attempt = {"email": "y@example.org", "password": "wrong"}
    for _ in range(2):
        assert (
            host_a.post(
                "/login", data={**attempt, "csrf_token": csrf_token(host_a, "/login")}
            ).status_code
            == 200
        )
    # A second host sees the first host's count: the third attempt is refused there.
    token_b = csrf_token(host_b, "/login")
    assert host_b.post("/login", data={**attempt, "csrf_token": token_b}).status_code == 429
    assert any(b"hashi" in key for key in server.keys("*"))
    server.flushdb()
    limiter.reset()


def test_password_hashes_are_argon2id(app, make_user) -> None:
    user = make_user()
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_a_user_changes_their_password_and_other_devices_are_signed_out(app, make_user) -> None:
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user.email)
    sign_in(phone, user.email)
    token = csrf_token(laptop, "/account")
    wrong = laptop.post(
        "/account",
        data={
            "current_password": "nope",
            "password": "new password 1",
            "confirm": "new password 1",
            "csrf_token": token,
        },
    )
    assert "The current password is not correct." in wrong.get_data(as_text=True)
    done = laptop.post(
        "/account",
        data={
            "current_password": PASSWORD,
            "password": "new password 1",
            "confirm": "new password 1",
            "csrf_token": token,
        },
    )
    assert done.status_code == 302
    assert laptop.get("/account").status_code == 200  # this browser stays signed in
    assert phone.get("/account").status_code == 302  # the other one is signed out
    assert sign_in(app.test_client(), user.email, "new password 1").status_code == 302
