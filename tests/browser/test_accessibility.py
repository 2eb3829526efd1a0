"""axe-core in the browser: no serious or critical accessibility violation on the pages
people use, in English and in Urdu."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from app.models import Role
from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser

AXE = Axe()


def serious(page: Page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


ANONYMOUS = ["/", "/login", "/join", "/about", "/kanji/日"]
TRAINEE = [
    "/home",
    "/learn/",
    "/learn/n5-grammar-wa-desu",
    "/learn/n5-grammar-wa-desu/practice",
    "/learn/progress",
    "/account",
]
INSTRUCTOR = ["/teach/", "/teach/cohorts/new"]


@pytest.mark.parametrize("locale", ["en", "ur"])
def test_pages_have_no_serious_accessibility_violations(
    page: Page, live_server, make_user, make_cohort, small_curriculum, locale
) -> None:
    found: dict[str, list[str]] = {}

    def visit(paths: list[str]) -> None:
        for path in paths:
            page.goto(f"{live_server}{path}")
            page.wait_for_load_state("networkidle")
            if problems := serious(page):
                found[path] = problems

    if locale == "ur":
        page.goto(f"{live_server}/about")
        page.get_by_role("button", name="اردو").click()
    visit(ANONYMOUS)
    if locale == "ur":  # sign in through the English form; the account's own choice is Urdu
        page.get_by_role("button", name="English").click()
    trainee = make_user(Role.TRAINEE, locale=locale)
    make_cohort(trainees=(trainee,))
    sign_in(page, live_server, trainee.email)
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ur" else "ltr")
    visit(TRAINEE)
    page.context.clear_cookies()
    instructor = make_user(Role.INSTRUCTOR, locale=locale)
    sign_in(page, live_server, instructor.email)
    visit(INSTRUCTOR)
    assert found == {}
