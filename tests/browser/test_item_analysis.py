"""An instructor finds the questions that misbehave: the list, a filter, one item, on a
desktop and on a 360-pixel phone, with no serious accessibility violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.models import Role
from tests.browser.test_accessibility import serious
from tests.browser.test_shell import sign_in
from tests.test_item_analysis import X, Y, Z, seeded  # noqa: F401  (seeded: the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]

PHONE = {"width": 360, "height": 740}


def test_an_instructor_reads_the_item_analysis(page: Page, live_server, make_user, shot) -> None:
    instructor = make_user(Role.INSTRUCTOR)
    sign_in(page, live_server, instructor.email)
    page.get_by_role("link", name="Items", exact=True).click()
    expect(page.get_by_role("heading", name="Item analysis")).to_be_visible()

    rows = page.locator("table.item-analysis tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first.get_by_role("rowheader")).to_have_text(Y)  # flagged: an open dispute
    expect(rows.first).to_contain_text("1 open dispute")
    x_row = page.get_by_role("row").filter(has=page.get_by_role("link", name=X, exact=True))
    expect(x_row).to_contain_text("60%")
    expect(x_row).to_contain_text("0.65")
    expect(x_row).to_contain_text("Not judged yet: 5 of the 30 answers needed.")
    shot("list")
    assert serious(page) == []

    page.get_by_label("Flagged only").check()
    page.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(1)
    expect(page.get_by_label("Flagged only")).to_be_checked()
    shot("flagged")

    page.get_by_role("link", name=Y, exact=True).click()
    expect(page.get_by_role("heading", name=f"Item {Y}")).to_be_visible()
    expect(page.get_by_role("heading", name="Most common wrong answers")).to_be_visible()
    expect(page.get_by_text("でした is fine")).to_be_visible()
    shot("typed-item")

    page.goto(f"{live_server}/teach/items/{Z}")
    expect(page.locator("ruby", has_text="猫")).to_be_visible()
    options = page.get_by_role("region", name="Options chosen")
    expect(options.get_by_role("row")).to_have_count(5)
    expect(options.get_by_role("row", name="ねこ")).to_contain_text("Key")
    shot("item")
    assert serious(page) == []

    page.set_viewport_size(PHONE)
    for name, path in (("list-phone", "/teach/items"), ("item-phone", f"/teach/items/{Z}")):
        page.goto(f"{live_server}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(name)
        assert serious(page) == []
    page.goto(f"{live_server}/teach/items")
    cards = page.get_by_role("list", name="Items, most concerning first").get_by_role("listitem")
    expect(cards.first).to_be_visible()  # on a phone, one card per item instead of the table
    expect(cards.first).to_contain_text(Y)
    expect(page.locator("table.item-analysis")).to_be_hidden()
