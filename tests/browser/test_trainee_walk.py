"""A new trainee's first days, end to end in the browser, on the real curriculum: joining
with a code, the first kana lesson, practice typing romaji that becomes kana, a wrong
answer with its highlighted feedback, the next day's review, the progress page and a
mock exam. Once on a desktop in English, once on a 360-pixel phone in Urdu; every page
visited leaves a screenshot."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from babel.support import Translations
from playwright.sync_api import Page, expect

from app.models._columns import utcnow
from tests.browser.test_accessibility import serious
from tests.conftest import PASSWORD
from tests.test_mock_exam import curriculum, real_bank  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("curriculum")]

ROOT = Path(__file__).resolve().parents[2]
FIRST_LESSON = "n5-kana-hiragana-basic"
# Typed items answered by typing romaji, as a trainee without a Japanese keyboard would.
ROMAJI = {
    "ねこ": "neko",
    "さかな": "sakana",
    "やま": "yama",
    "こんにちは": "konnnichiha",
    "おやすみなさい": "oyasuminasai",
    "いす": "isu",
    "いいえ": "iie",
}
WRONG = ("n5-hiragana-basic-014", "neku", "ねく")  # neko, typed with a slip


def kana_items() -> list[dict]:
    return yaml.safe_load((ROOT / "question_bank/N5/kana/hiragana-basic.yaml").read_text())


@pytest.fixture(params=["desktop-en", "phone-ur"])
def trainee_view(request: pytest.FixtureRequest, page: Page):  # type: ignore[no-untyped-def]
    """The viewport and a ``say`` that gives a UI string as this trainee reads it."""
    locale = request.param.split("-")[1]
    if request.param.startswith("phone"):
        page.set_viewport_size({"width": 360, "height": 740})
    catalogue = Translations.load(str(ROOT / "app/translations"), [locale])
    return locale, catalogue.gettext


def fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_new_trainees_first_days(
    app, page: Page, live_server, make_cohort, trainee_view, shot
) -> None:
    locale, say = trainee_view
    cohort = make_cohort("Batch 12, Karachi", target_level="N5")
    page.goto(live_server)
    if locale == "ur":
        menu = page.locator(".navbar-toggler")
        if menu.is_visible():  # on a phone the language buttons are in the menu
            menu.click()
        page.get_by_role("button", name="اردو").click()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")

    # joining with the code the instructor gave out
    page.get_by_role("link", name=say("Join with a code")).first.click()
    page.get_by_label(say("Join code")).fill(cohort.join_code_display)
    page.get_by_label(say("Full name")).fill("Hina Baloch")
    page.get_by_label(say("Email")).fill(f"hina.{locale}@example.org")
    page.get_by_label(say("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(say("Repeat the password")).fill(PASSWORD)
    shot("join")
    page.get_by_role("button", name=say("Create my account")).click()
    expect(page).to_have_url(f"{live_server}/home")
    assert fits(page)
    shot("home-first")

    # the next lesson is the first kana lesson
    page.get_by_role("link", name=say("Continue")).click()
    expect(page).to_have_url(f"{live_server}/learn/{FIRST_LESSON}")
    expect(page.locator("h1")).to_contain_text("Hiragana 1")
    assert fits(page)
    shot("lesson")
    page.get_by_role("link", name=say("Practise this lesson")).click()

    for item in kana_items():
        box = page.locator("[data-stage]")
        if item["type"] == "choice":
            box.get_by_role("radio", name=item["answer"], exact=True).check()
            page.keyboard.press("Enter")
        else:
            field = box.get_by_role("textbox", name=say("Your answer"))
            wrong = item["id"] == WRONG[0]
            typed = WRONG[1] if wrong else ROMAJI[item["accepted"][0]]
            field.press_sequentially(typed)
            expect(field).to_have_value(WRONG[2] if wrong else item["accepted"][0])
            page.keyboard.press("Enter")
            if wrong:  # the differing part is highlighted and explained
                expect(page.get_by_text(say("Not quite."))).to_be_visible()
                expect(page.locator("mark", has_text="く")).to_be_visible()
                expect(page.locator(".explanation")).to_be_visible()
                assert fits(page)
                shot("wrong-answer")
        expect(page.locator("[data-stage] button.btn-primary:enabled")).to_be_focused()
        page.keyboard.press("Enter")  # next
    expect(page.get_by_role("heading", name=say("Practice done"))).to_be_visible()
    expect(page.get_by_text("19 / 20")).to_be_visible()
    shot("summary")

    page.goto(f"{live_server}/learn/")
    first = page.locator("li", has=page.locator(f"a[href='/learn/{FIRST_LESSON}']")).first
    expect(first.locator(".lesson-done")).to_be_visible()
    shot("course")

    # the next day: what was wrong comes back for review
    app.config["NOW_OVERRIDE"] = utcnow() + timedelta(days=1)
    page.goto(f"{live_server}/home")
    shot("home-next-day")
    page.locator("a[href='/learn/review']").click()
    field = page.locator("[data-stage]").get_by_role("textbox", name=say("Your answer"))
    field.press_sequentially("neko")
    expect(field).to_have_value("ねこ")
    page.keyboard.press("Enter")
    expect(page.get_by_text(say("Right!"))).to_be_visible()
    shot("review")

    # progress: what was done, with the charts drawn by the app
    page.goto(f"{live_server}/learn/progress")
    expect(page.locator("#chart-weeks")).to_be_visible()
    expect(page.locator("#sections-N5")).to_contain_text("20/21")  # 19 of 20, then the review
    assert fits(page)
    assert serious(page) == []
    shot("progress")

    # a mock exam, sections and timer, scored like the real one
    page.goto(f"{live_server}/exam/mock")
    page.get_by_role("radio", name="JLPT N5").check()
    page.get_by_role("button", name=say("Start the mock exam")).click()
    expect(page.locator("[data-timer]")).to_be_visible()
    shot("mock-exam")
    title = page.locator("[data-section-title]")
    for section in ("Vocabulary and kanji", "Grammar and reading", "Listening"):
        expect(title).to_contain_text(say(section))  # this section is on the page now
        page.get_by_role("button", name=say("Submit section")).click()
        page.get_by_role("button", name=say("Yes, submit this section")).click()
    expect(
        page.get_by_text(say("Mock exam: practice only. No certificate is issued."))
    ).to_be_visible()
    assert fits(page)
    shot("mock-result")
    page.goto(f"{live_server}/home")
    expect(page.locator(".readiness-reasons [data-code='mock-failed']")).to_be_visible()
    shot("home-after-mock")
