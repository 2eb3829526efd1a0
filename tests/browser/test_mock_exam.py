"""A trainee sits a mock exam in the browser, by keyboard: answers saved as given, a
reload keeps answers and the server's time, sections submitted, the result shown."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.models import Role
from app.models._columns import utcnow
from tests.browser.test_accessibility import serious
from tests.browser.test_shell import sign_in
from tests.test_mock_exam import curriculum, real_bank  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("curriculum")]


def start_n5(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/exam/mock")
    page.get_by_role("radio", name="JLPT N5").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Start the mock exam").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Section 1 of 3: Vocabulary and kanji")).to_be_visible()


def answer_by_keyboard(page: Page, number: int) -> None:
    """Answer question ``number``: the first option of a choice, or romaji for a typed one."""
    box = page.locator(f"#q-{number}")
    radios = box.get_by_role("radio")
    if radios.count():
        radios.first.focus()
        page.keyboard.press("Space")
    elif box.locator("input[lang=ja]").count():
        box.locator("input[lang=ja]").press_sequentially("watashi")
        page.keyboard.press("Enter")
    elif box.get_by_role("textbox").count():
        box.get_by_role("textbox").press_sequentially("I")
        page.keyboard.press("Enter")
    else:  # ordering: pick the chunks in the order shown
        for chunk in box.get_by_role("button").all()[:-1]:
            chunk.focus()
            page.keyboard.press("Enter")
    expect(page.get_by_text(f"Answer to question {number} saved.")).to_be_attached()


def submit_section(page: Page) -> None:
    page.get_by_role("button", name="Submit section").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Yes, submit this section")).to_be_focused()
    page.keyboard.press("Enter")


def test_a_trainee_sits_a_mock_exam_by_keyboard(
    app,
    page: Page,
    live_server,
    make_user,
    shot,
) -> None:
    start = utcnow()
    app.config["NOW_OVERRIDE"] = start  # the server's clock, moved by the test below
    sign_in(page, live_server, make_user(Role.TRAINEE).email)
    page.goto(f"{live_server}/exam/mock")
    expect(page.get_by_role("heading", name="Mock exam", exact=True)).to_be_visible()
    assert serious(page) == []
    shot("mock")
    start_n5(page, live_server)
    expect(page.locator("[data-timer]")).to_have_text(re.compile(r"^(10:00|09:5\d)$"))

    answer_by_keyboard(page, 1)
    answer_by_keyboard(page, 2)
    navigator = page.get_by_role("navigation", name="Questions")
    expect(navigator.get_by_role("link", name="1 (answered)")).to_be_visible()
    expect(navigator.get_by_role("link", name="3 (not answered)")).to_be_visible()
    first_answer = page.locator("#q-1 input:checked, #q-1 input[type=text]").first
    kept = first_answer.input_value()
    assert serious(page) == []
    shot("section-1")

    app.config["NOW_OVERRIDE"] = start + timedelta(minutes=2, seconds=30)
    page.reload()  # a closed tab or a reload resumes with the answers and the time left
    expect(page.get_by_role("heading", name="Section 1 of 3: Vocabulary and kanji")).to_be_visible()
    # The server says 7:30 is left (the page counts down from there between requests).
    expect(page.locator("[data-timer]")).to_have_text(re.compile(r"^07:(30|2\d)$"))
    expect(navigator.get_by_role("link", name="1 (answered)")).to_be_visible()
    expect(navigator.get_by_role("link", name="2 (answered)")).to_be_visible()
    expect(page.locator("#q-1 input:checked, #q-1 input[type=text]").first).to_have_value(kept)
    submit_section(page)

    expect(page.get_by_role("heading", name="Section 2 of 3: Grammar and reading")).to_be_visible()
    expect(page.locator("[data-timer]")).to_have_text(re.compile(r"^(22:00|21:5\d)$"))
    typed = page.locator(".exam-item input[lang=ja]").first  # text grammar is a typed sentence
    typed.press_sequentially("watashihagakuseidesu")
    expect(typed).to_have_value("わたしはがくせいです")
    page.keyboard.press("Tab")  # leaving the field saves it
    number = typed.get_attribute("id").split("-")[1]
    expect(page.get_by_text(f"Answer to question {number} saved.")).to_be_attached()
    shot("section-2")
    submit_section(page)

    expect(page.get_by_role("heading", name="Section 3 of 3: Listening")).to_be_visible()
    answer_by_keyboard(page, 1)
    submit_section(page)

    expect(page.get_by_role("heading", name="JLPT N5 mock exam: result")).to_be_visible()
    expect(page.get_by_text("Mock exam: practice only. No certificate is issued.")).to_be_visible()
    expect(page.get_by_text("Total:", exact=False)).to_be_visible()
    assert serious(page) == []
    shot("result")


def test_the_tested_word_of_a_kanji_reading_item_stays_bare(
    page: Page,
    live_server,
    make_user,
) -> None:
    sign_in(page, live_server, make_user(Role.TRAINEE).email)
    start_n5(page, live_server)
    rubies = page.evaluate(
        """() => window.HashiItems.prompt({type: "reading", prompt: "添付"})
                  .map((n) => n.querySelectorAll("ruby").length)"""
    )
    assert rubies == [0]
    marked = page.evaluate(
        """() => window.HashiItems.prompt({type: "choice", prompt: "{会議|かいぎ}の「用意」"})
                  .map((n) => n.textContent)"""
    )
    assert marked == ["会議かいぎの「用意」"]  # only the author's markup has furigana


def test_the_mock_exam_on_a_phone(
    app,
    page: Page,
    live_server,
    make_user,
    shot,
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server, make_user(Role.TRAINEE).email)
    page.goto(f"{live_server}/exam/mock")
    shot("phone-mock")
    start_n5(page, live_server)
    answer_by_keyboard(page, 1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot("phone-section-1")
    for name in ("Section 2 of 3: Grammar and reading", "Section 3 of 3: Listening"):
        submit_section(page)
        expect(page.get_by_role("heading", name=name)).to_be_visible()
    submit_section(page)
    expect(page.get_by_role("heading", name="JLPT N5 mock exam: result")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious(page) == []
    shot("phone-result")
    page.goto(f"{live_server}/exam/mock")
    expect(page.get_by_role("link", name="Details", exact=False)).to_be_visible()
    assert serious(page) == []
    shot("phone-mock-with-result")
