"""An instructor writes a grammar lesson (furigana from the selection helper, example
sentences), creates a sentence item, tries answers, publishes; a trainee sees the lesson."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.models import Role
from tests.browser.test_accessibility import serious
from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser

EXAMPLES = [
    ("{私|わたし}も{学生|がくせい}です。", "I am a student too."),
    ("{田中|たなか}さんも{先生|せんせい}です。", "Mr Tanaka is a teacher too."),
    ("これも{本|ほん}です。", "This is a book too."),
    ("それもペンです。", "That is a pen too."),
    ("あれも{学校|がっこう}です。", "That over there is a school too."),
]
BODY = (
    "## Saying also\n\nも means *also*: 私も学生です。\n\n```examples\n"
    + "\n\n".join(f"{ja}\n{en}" for ja, en in EXAMPLES)
    + "\n```\n"
)


def select_text(page: Page, word: str) -> None:
    """Select the first occurrence of ``word`` in the lesson text, as a mouse would."""
    page.locator("#f-body").evaluate(
        "(el, word) => { const at = el.value.indexOf(word); el.focus(); "
        "el.setSelectionRange(at, at + word.length); }",
        word,
    )


def test_an_instructor_writes_a_lesson_and_an_item_and_a_trainee_sees_it(
    page: Page, live_server, make_user, make_cohort, small_curriculum, shot
) -> None:
    instructor = make_user(Role.INSTRUCTOR, name="Ayesha Khan")
    sign_in(page, live_server, instructor.email)
    page.get_by_role("link", name="Content", exact=True).click()
    expect(page.get_by_role("heading", name="Content", exact=True)).to_be_visible()
    page.get_by_role("link", name="New lesson").click()

    page.get_by_label("Lesson id").fill("n5-grammar-mo")
    page.get_by_label("Title").fill("AもBです")
    page.get_by_label("Unit").fill("grammar-1")
    page.get_by_label("Order").fill("2")
    page.get_by_label("Vocabulary").fill("学生 先生")
    page.get_by_label("Kanji", exact=True).fill("学 生")
    page.get_by_label("Prerequisites").fill("n5-grammar-wa-desu")
    page.get_by_label("Lesson text (Markdown)").fill(BODY)

    # Furigana for the first 私: the engine suggests わたし, the instructor keeps it.
    select_text(page, "私")
    page.get_by_role("button", name="Add furigana to selection").click()
    reading = page.get_by_label("Reading for")
    expect(reading).to_have_value("わたし")
    page.get_by_role("button", name="Insert furigana").click()
    expect(page.locator("#f-body")).to_have_value(BODY.replace("私", "{私|わたし}", 1))
    select_text(page, "学生です。\n\n```")
    page.locator("#f-body").evaluate(
        "(el) => { const at = el.value.indexOf('学生です。'); el.setSelectionRange(at, at + 2); }"
    )
    page.get_by_role("button", name="Add furigana to selection").click()
    expect(reading).to_have_value("がくせい")
    reading.press("Enter")
    expect(page.locator("#f-body")).to_have_value(
        re.compile(r"\{私\|わたし\}も\{学生\|がくせい\}です。")
    )

    preview = page.locator("[data-preview]")
    expect(preview.locator("ruby", has_text="学生")).to_be_visible()
    expect(preview.locator(".examples li")).to_have_count(5)
    expect(preview.get_by_text("student", exact=False).first).to_be_visible()  # words panel
    expect(page.locator("[data-preview-status]")).to_have_text("Preview updated.")
    assert serious(page) == []
    shot("lesson-editor")
    page.set_viewport_size({"width": 360, "height": 800})
    shot("lesson-editor-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Version 1 is published.")).to_be_visible()

    # A sentence item for the lesson; tried before it is saved.
    page.goto(f"{live_server}/teach/content/items/new?type=sentence&lesson=n5-grammar-mo")
    page.get_by_label("Item id").fill("n5-mo-001")
    page.get_by_label("Prompt").fill("I am a student too.")
    page.get_by_label("Accepted answer 1").fill("(私も)学生です。")
    page.get_by_label("Explanation (shown after answering)").fill("も replaces は: also.")
    candidate = page.get_by_label("Answer to try")
    candidate.press_sequentially("watashimogakuseidesu")
    expect(candidate).to_have_value("わたしもがくせいです")
    page.get_by_role("button", name="Try", exact=True).click()
    result = page.locator("[data-try-result]")
    expect(result).to_contain_text("Graded right.")

    candidate.fill("")
    candidate.press_sequentially("watashiwogakuseidesu")
    page.get_by_role("button", name="Try", exact=True).click()
    expect(result).to_contain_text("Graded wrong.")
    expect(result.locator("code", has_text="particle")).to_be_visible()
    expect(result.locator("mark", has_text="を")).to_be_visible()
    shot("try-particle")
    page.get_by_role("button", name="Keep as a known wrong answer").click()
    expect(page.locator("[data-list=cases]")).to_contain_text("わたしをがくせいです")
    expect(page.get_by_role("button", name="Keep as a known wrong answer")).to_be_hidden()

    # Validation as the instructor types: an unbalanced bracket is shown on the field.
    accepted = page.get_by_label("Accepted answer 1")
    accepted.fill("(私も学生です。")
    expect(accepted).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#err-accepted")).to_contain_text("never closed")
    accepted.fill("(私も)学生です。")
    expect(accepted).not_to_have_attribute("aria-invalid", "true")
    assert serious(page) == []
    shot("item-editor")
    page.set_viewport_size({"width": 360, "height": 800})
    shot("item-editor-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Version 1 is published.")).to_be_visible()

    # A trainee sees the new lesson, with its furigana and its practice.
    page.context.clear_cookies()
    trainee = make_user(Role.TRAINEE)
    make_cohort(trainees=(trainee,))
    sign_in(page, live_server, trainee.email)
    page.goto(f"{live_server}/learn/n5-grammar-mo")
    expect(page.get_by_role("heading", name="AもBです")).to_be_visible()
    expect(page.locator("article ruby", has_text="学生").first).to_be_visible()
    shot("trainee-lesson")

    # The trainee practises the new item (after the lesson it builds on) ...
    page.goto(f"{live_server}/learn/n5-grammar-wa-desu/practice")
    page.get_by_role("radio", name="は").check()
    page.keyboard.press("Enter")
    page.locator("[data-stage] button.btn-primary:enabled").click()
    page.get_by_role("textbox", name="Your answer").press_sequentially("watashihagakuseidesu")
    page.keyboard.press("Enter")
    page.locator("[data-stage] button.btn-primary:enabled").click()
    expect(page.get_by_role("heading", name="Practice done")).to_be_visible()
    page.goto(f"{live_server}/learn/n5-grammar-mo/practice")
    expect(page.get_by_text("I am a student too.")).to_be_visible()
    page.get_by_role("textbox", name="Your answer").press_sequentially("watashimogakuseidesu")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Right!", exact=True)).to_be_visible()
    page.locator("[data-stage] button.btn-primary:enabled").click()
    page.get_by_role("link", name="Review this session").click()
    past = page.url
    expect(page.locator(".session-answer .prompt")).to_have_text("I am a student too.")

    # ... the instructor publishes a second version ...
    page.context.clear_cookies()
    sign_in(page, live_server, instructor.email)
    page.goto(f"{live_server}/teach/content/items/n5-mo-001")
    page.get_by_label("Prompt").fill("I am a student as well.")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Version 2 is published.")).to_be_visible()

    # ... and the trainee's earlier attempt still shows version 1, new practice version 2.
    page.context.clear_cookies()
    sign_in(page, live_server, trainee.email)
    page.goto(past)
    expect(page.locator(".session-answer .prompt")).to_have_text("I am a student too.")
    expect(page.locator(".session-updated")).to_be_visible()
    shot("trainee-earlier-attempt")
    page.goto(f"{live_server}/learn/n5-grammar-mo/practice")
    expect(page.get_by_text("I am a student as well.")).to_be_visible()
    shot("trainee-new-version")
