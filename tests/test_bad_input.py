"""Hostile and careless input on every form: a clear 4xx or a message, never a 500."""

from __future__ import annotations

import pytest

from app.models import Role
from tests.conftest import csrf_token

NASTY_VALUES = [
    "x" * 10_000,
    "nul\x00byte",
    "'; DROP TABLE users; --",
    "<script>alert(1)</script>",
    "🙂 ٹیسٹ テスト",
    "",
]

FORMS = {
    "/login": ["email", "password", "next"],
    "/join": ["join_code", "name", "email", "cnic", "password", "confirm"],
    "/language": ["locale", "next"],
    "/teach/cohorts/new": [
        "name",
        "centre",
        "target_level",
        "starts_on",
        "ends_on",
        "instructors",
        "code_days",
    ],
    "/teach/cohorts/1/join-code": ["days"],
    "/admin/users/new": ["name", "email", "role", "centre"],
    "/admin/centres": ["name", "city"],
}


@pytest.mark.parametrize(
    "value", NASTY_VALUES, ids=["long", "nul", "sql", "html", "emoji", "empty"]
)
@pytest.mark.parametrize("path", list(FORMS))
def test_forms_never_fail_with_a_server_error(client, login_as, make_cohort, path, value) -> None:
    if path.startswith(("/teach", "/admin")):
        login_as(Role.PROGRAMME_ADMIN)
        make_cohort()
    token = csrf_token(client, "/about")
    response = client.post(path, data={**dict.fromkeys(FORMS[path], value), "csrf_token": token})
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_a_huge_body_is_refused_politely(client) -> None:
    response = client.post("/login", data={"email": "x" * (17 * 1024 * 1024)})
    assert response.status_code == 413


def test_a_nul_character_is_refused_with_a_message(client) -> None:
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": "a\x00b@example.org", "csrf_token": token})
    assert response.status_code == 400
    assert "The form contained a character that cannot be saved." in response.get_data(as_text=True)
