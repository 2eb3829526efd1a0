"""An admin creates an API key in the browser, sees it once, uses it, and revokes it;
the API reference page the admin page links to renders without any outside host."""

from __future__ import annotations

import httpx
import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from app.models import Role
from tests.browser.test_accessibility import serious
from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser


def test_create_show_once_use_and_revoke_a_key(
    app: Flask, page: Page, live_server: str, make_user, shot, outside_requests
) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.PROGRAMME_ADMIN, name="Programme Admin")
    sign_in(page, live_server, admin.email)
    page.get_by_role("link", name="API keys").click()
    expect(page.get_by_role("heading", name="API keys", exact=True)).to_be_visible()
    assert serious(page) == []
    shot("empty")

    page.get_by_role("button", name="Create the key").click()
    expect(page.get_by_text("Give the key a name.")).to_be_visible()
    shot("refused")

    page.get_by_label("Name").fill("Recruitment system, production")
    page.get_by_label("candidates:read", exact=False).check()
    page.get_by_label("certifications:read", exact=False).check()
    page.get_by_role("button", name="Create the key").click()
    expect(page.get_by_role("heading", name="Your new API key")).to_be_visible()
    key = page.get_by_label("API key").input_value()
    assert key.startswith("hashi_")
    assert serious(page) == []
    shot("shown-once")

    answer = httpx.get(f"{live_server}/api/v1/keys", headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 200

    page.get_by_role("link", name="Done: back to API keys").click()
    row = page.get_by_role("row", name="Recruitment system, production")
    expect(row).to_contain_text("active")
    assert key not in page.content()
    shot("listed")

    row.get_by_role("link", name="Revoke").click()
    expect(page.get_by_role("heading", name="Revoke an API key")).to_be_visible()
    assert serious(page) == []
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Revoke the key").click()
    expect(page.get_by_role("row", name="Recruitment system, production")).to_contain_text(
        "revoked"
    )
    shot("revoked")
    refused = httpx.get(f"{live_server}/api/v1/keys", headers={"Authorization": f"Bearer {key}"})
    assert refused.status_code == 401

    page.get_by_role("link", name="API reference").click()
    expect(page.get_by_role("heading", name="Hashi recruitment API")).to_be_visible()
    expect(page.get_by_role("heading", name="GET /api/v1/changes")).to_be_visible()
    assert serious(page) == []
    shot("reference")
    assert outside_requests == []
