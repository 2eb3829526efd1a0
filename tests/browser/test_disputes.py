"""A disputed grading from the trainee's "I was right" to the instructor's Accept, and
back to the trainee's past session, where the answer now shows as right."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import PracticeSession, Role
from tests.browser.test_accessibility import serious
from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser

ITEM = "n5-wa-desu-002"


def test_an_accepted_dispute_turns_the_trainees_answer_right(
    app, page: Page, live_server, make_user, small_curriculum, shot
) -> None:
    trainee = make_user(Role.TRAINEE, name="Ayesha Khan")
    instructor = make_user(Role.INSTRUCTOR, name="Bilal Ahmed")

    sign_in(page, live_server, trainee.email)
    page.goto(f"{live_server}/learn/n5-grammar-wa-desu/practice")
    page.get_by_role("radio", name="は").check()
    page.get_by_role("button", name="Check").click()
    page.get_by_role("button", name="Next").click()
    field = page.get_by_role("textbox", name="Your answer")
    field.press_sequentially("gakuseida")
    expect(field).to_have_value("がくせいだ")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Not quite.")).to_be_visible()
    page.get_by_role("button", name="I was right").click()
    expect(page.get_by_text("Sent to your instructor.")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Practice done")).to_be_visible()
    with app.app_context():
        session_id = db.session.scalar(
            select(PracticeSession.id).where(PracticeSession.user_id == trainee.id)
        )
    page.goto(f"{live_server}/learn/sessions/{session_id}")
    expect(page.locator(".session-answer").nth(1).get_by_text("Not right")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, instructor.email)
    page.get_by_role("link", name="Disputes (1)").click()
    expect(page.get_by_role("heading", name="Disputed gradings")).to_be_visible()
    assert serious(page) == []
    shot("queue")
    page.get_by_role("link", name=ITEM).click()
    expect(page.get_by_role("heading", name="Answer: がくせいだ")).to_be_visible()
    expect(page.get_by_text("Ayesha Khan")).to_be_visible()
    expect(page.get_by_text("re-grades 1 past answer.")).to_be_visible()
    assert serious(page) == []
    shot("item")
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot("item-360")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("Note for the history (optional)").fill("plain form is fine here")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Past answers re-graded: 1; disputes closed: 1.")).to_be_visible()
    expect(page.get_by_text("No open disputes.")).to_be_visible()
    expect(page.get_by_role("link", name="Disputes (0)")).to_be_visible()
    shot("accepted")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, trainee.email)
    page.goto(f"{live_server}/learn/sessions/{session_id}")
    typed = page.locator(".session-answer").nth(1)
    expect(typed.get_by_text("Right", exact=True)).to_be_visible()
    expect(typed.locator(".session-given")).to_have_text("がくせいだ")
    expect(page.get_by_text("2 of 2 answers right")).to_be_visible()
    shot("trainee-session")
