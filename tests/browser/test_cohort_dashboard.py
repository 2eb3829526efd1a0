"""An instructor assigns a unit with a due date, one trainee practises it, and once the
date has passed the cohort dashboard shows who is behind and by how much."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.learning.clock import local_day
from app.models import Role
from app.models._columns import utcnow
from tests.browser.test_accessibility import serious
from tests.browser.test_practice import to_the_typed_item
from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser


def test_the_dashboard_shows_who_is_behind_after_a_due_date(
    app, page: Page, live_server, make_user, make_cohort, small_curriculum, shot
) -> None:
    instructor = make_user(Role.INSTRUCTOR, name="Kamran Shah")
    keen = make_user(Role.TRAINEE, name="Ayesha Karim")
    late = make_user(Role.TRAINEE, name="Bilal Ahmed")
    cohort = make_cohort("Evening batch", trainees=(keen, late), instructors=(instructor,))
    due = local_day(utcnow())

    sign_in(page, live_server, instructor.email)
    page.get_by_role("link", name="Evening batch").click()
    page.get_by_role("link", name="Assigned lessons").click()
    unit = page.get_by_role("group", name=re.compile("grammar-1", re.IGNORECASE))
    unit.get_by_label("Due on").fill(due.isoformat())
    shot("assign")
    unit.get_by_role("button", name="Assign the whole unit").click()
    expect(page.get_by_text("1 lesson assigned.")).to_be_visible()
    expect(page.locator("#assignments")).to_contain_text("AはBです")
    assert serious(page) == []
    page.context.clear_cookies()

    # Ayesha completes the lesson: both items right.
    field = to_the_typed_item(page, live_server, keen)
    field.press_sequentially("watashihagakuseidesu")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Right!", exact=True)).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Practice done")).to_be_visible()
    page.context.clear_cookies()

    # Two days after the due date: Bilal, who never practised, is behind by two days.
    app.config["NOW_OVERRIDE"] = utcnow() + timedelta(days=2)
    sign_in(page, live_server, instructor.email)
    page.goto(f"{live_server}/teach/cohorts/{cohort.id}/progress")
    expect(page.get_by_test_id("behind-summary")).to_have_text(
        "1 of 2 trainees are behind schedule."
    )
    rows = page.get_by_test_id("trainee-row")
    expect(rows.nth(0)).to_contain_text("Bilal Ahmed")
    expect(rows.nth(0)).to_contain_text("1 lesson late")
    expect(rows.nth(0)).to_contain_text("oldest by 2 days")
    expect(rows.nth(0)).to_contain_text("never")
    expect(rows.nth(1)).to_contain_text("Ayesha Karim")
    expect(rows.nth(1)).to_contain_text("On schedule")
    expect(rows.nth(1).locator("svg[role=img]")).to_have_count(1)
    shot("dashboard")
    assert serious(page) == []

    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot("dashboard-phone")

    page.get_by_role("link", name="Bilal Ahmed").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilal Ahmed")
    expect(page.locator("#overdue")).to_contain_text("2 days late")
    shot("trainee-phone")
    assert serious(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/teach/cohorts/{cohort.id}/trainees/{keen.id}")
    expect(page.locator("#trainee-sessions")).to_contain_text("passed")
    shot("trainee")
    assert serious(page) == []


def test_an_instructor_removes_a_trainee_after_confirming(
    page: Page, live_server, make_user, make_cohort, shot
) -> None:
    instructor = make_user(Role.INSTRUCTOR)
    leaving = make_user(Role.TRAINEE, name="Leaving Lina")
    cohort = make_cohort("Morning batch", trainees=(leaving,))
    make_cohort("Weekend batch")
    sign_in(page, live_server, instructor.email)
    page.goto(f"{live_server}/teach/cohorts/{cohort.id}")
    page.get_by_role("link", name="Move Leaving Lina", exact=True).click()
    expect(page.get_by_label("Move to")).to_contain_text("Weekend batch")
    shot("move")
    assert serious(page) == []
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Remove Leaving Lina", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Remove Leaving Lina from Morning batch?"
    )
    shot("remove")
    assert serious(page) == []
    page.get_by_role("button", name="Remove from cohort").click()
    expect(page.get_by_text("Leaving Lina is no longer in this cohort.")).to_be_visible()
    expect(page.get_by_text("No trainees yet. Give them the join code.")).to_be_visible()
    shot("after-remove")
