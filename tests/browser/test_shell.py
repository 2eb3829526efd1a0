"""A person in a real browser: signing in as each role, joining, switching to Urdu."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.models import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).last.click()


@pytest.mark.parametrize(
    ("role", "lands_on", "heading"),
    [
        (Role.TRAINEE, "/home", "Welcome, Maryam Siddiqui"),
        (Role.INSTRUCTOR, "/teach/", "Cohorts"),
        (Role.CENTRE_ADMIN, "/teach/", "Cohorts"),
        (Role.PROGRAMME_ADMIN, "/teach/", "Cohorts"),
    ],
)
def test_each_role_signs_in(
    page: Page, live_server, make_user, shot, outside_requests, role, lands_on, heading
) -> None:
    user = make_user(role, name="Maryam Siddiqui")
    sign_in(page, live_server, user.email)
    expect(page).to_have_url(f"{live_server}{lands_on}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    nav = page.get_by_role("navigation", name="Main")
    if role.is_admin:
        expect(nav.get_by_role("link", name="People")).to_be_visible()
    else:
        expect(nav.get_by_role("link", name="People")).to_have_count(0)
    shot("home")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    assert outside_requests == []


def test_wrong_password_is_explained_on_the_form(page: Page, live_server, make_user, shot) -> None:
    user = make_user()
    sign_in(page, live_server, user.email, "wrong password")
    expect(page.get_by_role("alert")).to_have_text("The email or password is not correct.")
    expect(page.get_by_label("Email")).to_have_value(user.email)
    shot("wrong-password")


def test_a_new_trainee_joins_a_cohort_with_a_code(
    page: Page, live_server, make_cohort, shot, outside_requests
) -> None:
    cohort = make_cohort("Batch 9, Lahore")
    page.goto(live_server)
    page.get_by_role("link", name="Join with a code").click()
    page.get_by_label("Join code").fill("WRONG-CODE")
    page.get_by_label("Full name").fill("Ali Raza")
    page.get_by_label("Email").fill("ali.raza@example.org")
    page.get_by_label("CNIC (optional)").fill("35202-1234567-1")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("This join code does not exist.")).to_be_visible()
    expect(page.get_by_label("Join code")).to_have_attribute("aria-invalid", "true")
    shot("bad-code")

    page.get_by_label("Join code").fill(cohort.join_code_display.lower())
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(f"{live_server}/home")
    expect(page.get_by_text("You have joined Batch 9, Lahore.", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Ali Raza")
    shot("joined")
    assert outside_requests == []


def test_switching_to_urdu_gives_a_right_to_left_page(
    page: Page, live_server, make_user, shot
) -> None:
    user = make_user(Role.TRAINEE, name="Zainab Bibi")
    sign_in(page, live_server, user.email)
    page.get_by_role("button", name="اردو").click()
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ur")
    expect(page.get_by_role("button", name="سائن آؤٹ")).to_be_visible()
    # The brand stays Japanese inside the Urdu page.
    expect(page.locator(".navbar-brand [lang=ja]")).to_have_text("橋")
    # The layout really flows right to left: the brand sits on the right.
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] > page.viewport_size["width"] / 2
    shot("urdu-home")
    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("dir", "ltr")


def test_a_trainee_is_refused_an_instructor_page(page: Page, live_server, make_user, shot) -> None:
    user = make_user(Role.TRAINEE)
    sign_in(page, live_server, user.email)
    response = page.goto(f"{live_server}/teach/cohorts/new")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You do not have access to this page."
    )
    shot("forbidden")


def test_an_instructor_creates_a_cohort_and_sees_its_join_code(
    page: Page, live_server, make_user, shot
) -> None:
    user = make_user(Role.INSTRUCTOR, name="Kamran Shah")
    sign_in(page, live_server, user.email)
    page.get_by_role("link", name="New cohort").click()
    page.get_by_label("Cohort name").fill("Evening batch")
    page.get_by_label("Starts on").fill("2027-01-10")
    page.get_by_label("Ends on").fill("2027-07-10")
    page.get_by_label("Kamran Shah").check()
    shot("new-cohort")
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evening batch")
    expect(page.get_by_test_id("join-code")).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    shot("cohort")


def test_the_shell_fits_a_phone(page: Page, live_server, shot) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing forces sideways scrolling
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    menu.click()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    shot("phone")


def test_an_urdu_form_explains_mistakes_in_urdu(page: Page, live_server, shot) -> None:
    page.goto(f"{live_server}/join")
    page.get_by_role("button", name="اردو").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator(
        "form[novalidate] button[type=submit], form[novalidate] input[type=submit]"
    ).click()
    errors = page.locator(".invalid-feedback")
    expect(errors.first).to_be_visible()
    assert errors.count() >= 4  # code, name, email and both passwords are required
    assert "required" not in errors.first.inner_text()
    # The form runs right to left, but the email stays a left-to-right field.
    assert page.locator("input[type=email]").get_attribute("dir") == "ltr"
    shot("urdu-join-errors")
