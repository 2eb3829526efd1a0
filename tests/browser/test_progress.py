"""Listening and reading practice, the course map and the progress page in the browser,
on a desktop and on a 360-pixel phone in Urdu."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.models import Role
from tests.browser.test_shell import sign_in
from tests.test_practice import listening_and_reading  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


@pytest.mark.usefixtures("listening_and_reading")
def test_listening_and_reading_items_are_answered_in_the_practice_page(
    page: Page,
    live_server,
    make_user,
    shot,
) -> None:
    sign_in(page, live_server, make_user(Role.TRAINEE).email)
    page.goto(f"{live_server}/learn/")
    page.get_by_role("link", name="Listening practice").first.click()
    audio = page.locator("audio")
    expect(audio).to_have_count(1)
    source = audio.get_attribute("src")
    assert source.endswith("/listening.mp3")
    heard = page.request.get(f"{live_server}{source}")
    assert heard.status == 200
    assert heard.headers["content-type"] == "audio/mpeg"
    assert len(heard.body()) > 10_000  # a whole dialogue, not an empty file
    expect(page.get_by_text("何枚", exact=False).first).to_be_visible()
    page.get_by_role("radio", name="８まい").check()
    shot("listening")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Right!")).to_be_visible()
    shot("listening-feedback")

    page.goto(f"{live_server}/learn/sets/N5/reading")
    expect(page.locator(".passage")).to_contain_text("電話")
    page.get_by_role("radio", name="あしたかいぎの前に、やまださんに電話をします。").check()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Right!")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(page.locator(".passage")).to_contain_text("電話")  # the passage stays for question 2
    shot("reading")


PHONE = {"width": 360, "height": 740}


def fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_course_and_progress_on_a_phone_in_urdu(
    page: Page, live_server, make_user, small_curriculum, shot
) -> None:
    page.set_viewport_size(PHONE)
    user = make_user(Role.TRAINEE, locale="ur")
    sign_in(page, live_server, user.email)
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.goto(f"{live_server}/learn/n5-grammar-wa-desu/practice")
    page.get_by_role("radio", name="は").check()
    page.keyboard.press("Enter")
    page.locator("[data-stage] button.btn-primary:enabled").click()  # next
    field = page.get_by_role("textbox")
    field.press_sequentially("gakuseidesu")
    expect(field).to_have_value("がくせいです")
    page.keyboard.press("Enter")
    page.locator("[data-stage] button.btn-primary:enabled").click()  # to the summary
    expect(page.locator("[data-stage] h2")).to_be_visible()
    shot("summary")

    page.goto(f"{live_server}/home")
    menu = page.locator(".navbar-toggler")
    expect(page.locator("#nav")).not_to_be_visible()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#nav a[href='/learn/progress']")).to_be_visible()
    shot("menu")
    for path, step in (("/home", "home"), ("/learn/", "course"), ("/learn/progress", "progress")):
        page.goto(f"{live_server}{path}")
        assert fits(page), f"{path} is wider than the phone"
        shot(step)
    expect(page.locator("#chart-weeks")).to_be_visible()
    expect(page.locator("#chart-forecast")).to_be_visible()
    expect(page.locator("meter")).to_have_attribute("value", "40")
