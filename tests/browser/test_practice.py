"""A trainee practises a lesson in the browser: romaji becomes kana, feedback explains."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from app.models import Role
from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser


def test_practice_with_romaji_typing_and_feedback(
    page: Page, live_server, make_user, small_curriculum, shot
) -> None:
    user = make_user(Role.TRAINEE)
    sign_in(page, live_server, user.email)
    page.goto(f"{live_server}/learn/n5-grammar-wa-desu")
    page.get_by_role("link", name="Practise this lesson").click()

    page.get_by_role("radio", name="は").check()
    shot("choice")
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("Right!")).to_be_visible()
    page.get_by_role("button", name="Next").click()

    field = page.get_by_role("textbox", name="Your answer")
    field.press_sequentially("gakuseideshita")
    expect(field).to_have_value("がくせいでした")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Not quite.")).to_be_visible()
    expect(page.locator("mark", has_text="がくせいでした")).to_be_visible()
    expect(page.get_by_text("Check the tense", exact=False)).to_be_visible()
    expect(page.get_by_text("Answer:", exact=False)).to_be_visible()
    shot("feedback")
    page.get_by_role("button", name="I was right").click()
    expect(page.get_by_text("Sent to your instructor.")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Practice done")).to_be_visible()
    expect(page.get_by_text("1 / 2")).to_be_visible()
    shot("summary")


def to_the_typed_item(page: Page, live_server: str, user) -> Locator:  # type: ignore[no-untyped-def]
    """Sign in, open the lesson's practice, answer the choice item: the typed one is next."""
    sign_in(page, live_server, user.email)
    page.goto(f"{live_server}/learn/n5-grammar-wa-desu/practice")
    page.get_by_role("radio", name="は").check()
    page.get_by_role("button", name="Check").click()
    page.get_by_role("button", name="Next").click()
    return page.get_by_role("textbox", name="Your answer")


def test_a_japanese_ime_composition_is_left_alone(
    page: Page, live_server, make_user, small_curriculum
) -> None:
    field = to_the_typed_item(page, live_server, make_user(Role.TRAINEE))
    field.evaluate(
        """(el) => {
            el.dispatchEvent(new CompositionEvent('compositionstart'));
            el.value = 'ka';
            el.dispatchEvent(new InputEvent('input'));
        }"""
    )
    expect(field).to_have_value("ka")  # mid-composition: untouched


def test_the_next_day_a_review_brings_back_what_was_practised(
    app, page: Page, live_server, make_user, small_curriculum, shot
) -> None:
    from datetime import timedelta

    from app.models._columns import utcnow

    user = make_user(Role.TRAINEE)
    sign_in(page, live_server, user.email)
    page.goto(f"{live_server}/learn/n5-grammar-wa-desu/practice")
    page.get_by_role("radio", name="を").check()
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("Not quite.")).to_be_visible()

    app.config["NOW_OVERRIDE"] = utcnow() + timedelta(days=1)  # the clock moves on a day
    page.goto(f"{live_server}/home")
    page.get_by_role("link", name="Review 1 item").click()
    expect(page.get_by_text("1 item is due.")).to_be_visible()
    page.get_by_role("radio", name="は").check()
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("Right!")).to_be_visible()
    shot("review")


def test_katakana_and_no_conversion_switches(
    page: Page, live_server, make_user, small_curriculum
) -> None:
    field = to_the_typed_item(page, live_server, make_user(Role.TRAINEE))
    page.get_by_role("button", name="Katakana").click()
    field.press_sequentially("pan")
    expect(field).to_have_value("パn")  # the last n waits for the next letter
    field.fill("")
    page.get_by_role("button", name="No conversion").click()
    expect(page.get_by_role("button", name="No conversion")).to_have_attribute(
        "aria-pressed", "true"
    )
    field.press_sequentially("watashi")
    expect(field).to_have_value("watashi")
