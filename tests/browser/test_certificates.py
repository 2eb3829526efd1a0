"""Certificates in the browser: the public verification page with its QR code (also at
360 px and in Urdu), the printable page on screen and on paper, the PDF download, and an
admin revoking a certificate, after which the verification page says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from app.models import Role
from tests.browser.test_accessibility import serious
from tests.browser.test_shell import sign_in
from tests.test_certificates import issue_for, key_dir  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_verify_print_download_and_revoke(
    app: Flask, page: Page, live_server: str, make_user, shot, outside_requests
) -> None:  # type: ignore[no-untyped-def]
    candidate = make_user(Role.TRAINEE, name="Ayesha Khan", external_id="RS-0042")
    public_id = issue_for(app, candidate)

    page.goto(f"{live_server}/verify/{public_id}")
    expect(page.get_by_role("heading", name="Valid", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="QR code of this verification page")).to_be_visible()
    expect(page.get_by_text("Ayesha Khan")).to_be_visible()
    assert serious(page) == []
    shot("verify-valid")
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    expect(page.get_by_role("img", name="QR code of this verification page")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot("verify-valid-360")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server}/verify/AAAAAAAAAAAAAAAAAAAAAA")
    expect(page.get_by_role("heading", name="Unknown certificate")).to_be_visible()
    shot("verify-unknown")

    sign_in(page, live_server, candidate.email)
    page.goto(f"{live_server}/certificates/{public_id}")
    expect(page.get_by_role("heading", name="Certificate of Japanese proficiency")).to_be_visible()
    assert serious(page) == []
    shot("printable")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_hidden()
    shot("printable-print")
    page.emulate_media(media="screen")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert b"/FontFile2" in pdf
    assert b"IPAexGothic" in pdf

    page.context.clear_cookies()
    sign_in(page, live_server, make_user(Role.PROGRAMME_ADMIN).email)
    page.get_by_role("link", name="Certificates").click()
    expect(page.get_by_role("heading", name="Certificates")).to_be_visible()
    assert serious(page) == []
    shot("admin-list")
    page.get_by_role("link", name="Revoke… Ayesha Khan").click()
    expect(page.get_by_role("heading", name="Revoke a certificate")).to_be_visible()
    page.get_by_role("button", name="Revoke the certificate").click()
    expect(page.get_by_text("Give the reason for revoking this certificate.").first).to_be_visible()
    assert serious(page) == []
    shot("revoke-refused")
    page.get_by_label("Reason").fill("Identity could not be confirmed at the sitting")
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Revoke the certificate").click()

    expect(page.get_by_role("heading", name="Revoked", exact=True)).to_be_visible()
    expect(page.get_by_text("Identity could not be confirmed at the sitting")).to_be_visible()
    assert serious(page) == []
    shot("verify-revoked")

    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_text("certificate.revoked")).to_be_visible()
    assert serious(page) == []
    shot("audit-log")
    assert outside_requests == []


def test_the_verify_and_printable_pages_in_urdu_at_360_px(
    app: Flask, page: Page, live_server: str, make_user, shot
) -> None:  # type: ignore[no-untyped-def]
    candidate = make_user(Role.TRAINEE, name="Ayesha Khan", locale="ur")
    public_id = issue_for(app, candidate)
    page.goto(f"{live_server}/about")
    page.get_by_role("button", name="اردو").click()
    page.goto(f"{live_server}/verify/{public_id}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator("svg[role=img]")).to_be_visible()
    assert serious(page) == []
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot("verify-urdu-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="English").click()  # the form in English; the account is Urdu
    sign_in(page, live_server, candidate.email)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server}/certificates/{public_id}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator("article.certificate")).to_be_visible()
    assert serious(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot("printable-urdu-360")
