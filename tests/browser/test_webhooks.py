"""The webhooks admin page in the browser: from the nav to the endpoints and deliveries,
filtering by status, a delivery's failed attempts, and redelivering it (also at 360 px)."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from app.models import Role
from tests.browser.test_accessibility import serious
from tests.browser.test_shell import sign_in
from tests.test_webhooks_delivery import T0, enqueue, make_key, register, run

pytestmark = pytest.mark.browser


def test_admin_sees_endpoints_filters_and_redelivers(
    app: Flask, page: Page, live_server: str, make_user, shot, outside_requests
) -> None:  # type: ignore[no-untyped-def]
    key = make_key(app, "Placement Office")
    register(app, key, "http://127.0.0.1:9/hooks/hashi")
    enqueue(app, "certification.passed", hashi_id=12)
    run(app, T0)  # refused: the delivery is failing, with one attempt
    register(
        app, make_key(app, "Second client"), "https://93.184.215.14/hook", ("candidate.updated",)
    )

    sign_in(page, live_server, make_user(Role.PROGRAMME_ADMIN).email)
    page.get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Placement Office").first).to_be_visible()
    expect(page.get_by_text("http://127.0.0.1:9/hooks/hashi")).to_be_visible()
    assert serious(page) == []
    shot("index")

    page.get_by_label("Status").select_option("delivered")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("No delivery has this status.")).to_be_visible()
    page.get_by_label("Status").select_option("failed")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Failing, will retry").last).to_be_visible()
    shot("filtered")

    page.get_by_role("link", name="Delivery ").first.click()
    expect(page.get_by_role("heading", name="Attempts")).to_be_visible()
    expect(page.get_by_text("No answer")).to_be_visible()
    assert serious(page) == []
    shot("delivery")

    page.get_by_role("button", name="Redeliver now").click()
    expect(page.get_by_text("The delivery will be sent again within moments.")).to_be_visible()
    expect(page.get_by_text("Pending", exact=True)).to_be_visible()
    assert serious(page) == []
    shot("redelivered")

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server}/admin/webhooks")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot("index-360")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/admin/audit")
    expect(page.get_by_text("webhook.redelivered")).to_be_visible()
    assert outside_requests == []
