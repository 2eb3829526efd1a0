"""Recruitment in the browser: a trainee who has just joined agrees to share their results
from the home page, sees what the recruitment system sees, records a JFT-Basic result
with a scan; an admin verifies it; the trainee sees it verified. Axe on every page,
screenshots on the desktop and at 360 px in Urdu."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from playwright.sync_api import Page, expect

from app.models import Role
from tests.browser.test_accessibility import serious
from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser


def scan_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (240, 240, 240)).save(out, "PNG")
    return out.getvalue()


def fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_share_see_record_and_verify(
    app: Flask, page: Page, live_server: str, make_user, make_cohort, shot, outside_requests,
    tmp_path: Path,
) -> None:  # fmt: skip
    app.config["EXTERNAL_RESULTS_DIR"] = str(tmp_path / "scans")
    trainee = make_user(Role.TRAINEE, name="Bilal Ahmed", external_id="RS-0777")
    make_cohort("Batch 5, Lahore", trainees=(trainee,), target_level="N5")

    # offered on the home page after joining
    sign_in(page, live_server, trainee.email)
    expect(
        page.get_by_role("heading", name="Share your results with the recruitment system?")
    ).to_be_visible()
    assert serious(page) == []
    shot("home-offer")
    page.get_by_role("link", name="Read and decide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sharing your results with the recruitment system"
    )
    page.get_by_role("button", name="Share my results").click()  # without the box ticked
    expect(page.get_by_text("Tick the box to agree.")).to_be_visible()
    assert serious(page) == []
    shot("consent-refused")
    page.get_by_label("I agree to share my results as described above.").check()
    page.get_by_role("button", name="Share my results").click()
    expect(page).to_have_url(f"{live_server}/home")
    expect(
        page.get_by_role("heading", name="Share your results with the recruitment system?")
    ).to_have_count(0)

    # what the recruitment system sees
    page.goto(f"{live_server}/account")
    page.get_by_role("link", name="What the recruitment system sees").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What the recruitment system sees")
    expect(page.locator('td[data-status="in-training"]')).to_have_count(1)
    shown = json.loads(page.locator("#raw-json").inner_text())
    assert shown["external_id"] == "RS-0777"
    assert shown["status"] == {"N5": "in-training", "N4": "not-started"}
    assert serious(page) == []
    shot("recruiter-view")

    # an outside result with a scan
    page.goto(f"{live_server}/account")
    page.get_by_role("link", name="Your JLPT and JFT-Basic results").click()
    page.get_by_label("Exam").select_option("JFT-Basic")
    page.get_by_label("Score").fill("215")
    page.get_by_label("Date of the test").fill("2026-09-14")
    page.get_by_label("Certificate number").fill("JFT-2026-000123")
    page.get_by_label("Scan of the certificate").set_input_files(
        files=[{"name": "notes.txt", "mimeType": "image/png", "buffer": b"not a picture"}]
    )
    page.get_by_role("button", name="Record this result").click()
    expect(page.get_by_text("Upload a PDF, JPEG or PNG file.")).to_be_visible()
    assert serious(page) == []
    shot("result-refused")
    page.get_by_label("Scan of the certificate").set_input_files(
        files=[{"name": "jft.png", "mimeType": "image/png", "buffer": scan_png()}]
    )
    page.get_by_role("button", name="Record this result").click()
    expect(page.get_by_text("Your result is recorded. An admin will check it.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="JFT-2026-000123")
    expect(row).to_contain_text("A2 (215)")
    expect(row).to_contain_text("Self-reported")
    assert serious(page) == []
    shot("results")

    # an admin checks it
    page.context.clear_cookies()
    sign_in(page, live_server, make_user(Role.CENTRE_ADMIN).email)
    page.get_by_role("link", name="Outside results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("JLPT and JFT-Basic results to check")
    assert serious(page) == []
    shot("review-queue")
    page.get_by_role("link", name="Bilal Ahmed").click()
    expect(page.get_by_text("JFT-2026-000123")).to_be_visible()
    scan = page.request.get(
        live_server + page.get_by_role("link", name="Open the scan").get_attribute("href")
    )
    assert scan.status == 200
    assert scan.body() == scan_png()
    assert serious(page) == []
    shot("review")
    page.get_by_role("button", name="Mark as verified").click()
    expect(page.get_by_text("The result is marked as verified.")).to_be_visible()

    # the trainee sees it verified, also at 360 px in Urdu
    page.context.clear_cookies()
    sign_in(page, live_server, trainee.email)
    page.goto(f"{live_server}/account/recruiter-view")
    expect(page.get_by_text("Verified", exact=True)).to_be_visible()
    assert (
        json.loads(page.locator("#raw-json").inner_text())["external_results"][0]["verification"]
        == "verified"
    )
    page.set_viewport_size({"width": 360, "height": 800})
    menu = page.locator(".navbar-toggler")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name="اردو").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.goto(f"{live_server}/account/recruiter-view")
    assert fits(page)
    assert serious(page) == []
    shot("recruiter-view-360-ur")
    page.goto(f"{live_server}/account/results")
    assert fits(page)
    assert serious(page) == []
    shot("results-360-ur")
    page.goto(f"{live_server}/account/sharing")
    assert fits(page)
    shot("sharing-360-ur")
    assert outside_requests == []
