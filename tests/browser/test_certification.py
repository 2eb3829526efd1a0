"""A candidate sits a short certification form in the browser: the access code at the
door, a reload mid-section that keeps the server's time, a section whose time runs out,
the result with its certificate link; no key ever reaches the page. Then the same on a
phone, and the staff pages of the window."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.certification import certificates
from app.exam import windows
from app.extensions import db
from app.models import ExamAttempt, ExamWindow, Item, Role
from app.models._columns import utcnow
from tests.browser.test_accessibility import serious
from tests.browser.test_mock_exam import answer_by_keyboard, submit_section
from tests.browser.test_shell import sign_in
from tests.test_mock_exam import curriculum, real_bank, right_answer  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("curriculum")]

CODE = "K7PQ2M"


def open_window(app, make_user, make_cohort, locale: str = "en"):  # type: ignore[no-untyped-def]
    """A trainee in a cohort with a short N5 window open now, needing the access code."""
    start = utcnow().replace(microsecond=0)
    app.config["NOW_OVERRIDE"] = start
    trainee = make_user(Role.TRAINEE, name="Sana Iqbal", locale=locale)
    cohort = make_cohort(trainees=(trainee,), target_level="N5")
    with app.app_context():
        window = ExamWindow(
            cohort_id=cohort.id, level="N5", opens_at=start - timedelta(hours=1),
            closes_at=start + timedelta(hours=5), form_size="short", access_code=CODE,
            networks=[], wait_days=0, max_attempts=1, requires_mock=False,
        )  # fmt: skip
        db.session.add(window)
        db.session.commit()
        window_id = window.id
    return trainee, cohort, window_id, start


def secrets_of_section(app, attempt_id: int, index: int) -> list[str]:  # type: ignore[no-untyped-def]
    """What must never reach the page: each item's accepted answers (typed items) and
    explanation; a choice item's right option is on the page among the others, so only
    which one it is must stay out (checked on the state JSON)."""
    with app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        ids = [i for p in attempt.form[index]["parts"] for i in p["items"]]
        found = []
        for item in db.session.scalars(db.select(Item).where(Item.id.in_(ids))):
            if item.data.get("explanation"):
                found.append(item.data["explanation"])
            if "options" not in item.data:
                found += [a for a in item.data.get("accepted", []) if isinstance(a, str)]
        return found


def attempt_of(app, user_id: int) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(db.select(ExamAttempt.id).where(ExamAttempt.user_id == user_id))


def test_a_candidate_sits_a_short_certification_form(
    app, page: Page, live_server, make_user, make_cohort, shot
) -> None:
    trainee, _, _, start = open_window(app, make_user, make_cohort)
    sign_in(page, live_server, trainee.email)
    page.get_by_role("link", name="Certification exam").first.click()
    expect(page.get_by_role("heading", name="Certification exam", exact=True)).to_be_visible()
    assert serious(page) == []
    shot("windows")

    page.get_by_label("Access code").fill("K7PQ2X")
    page.get_by_role("button", name="Start the exam").click()
    expect(page.get_by_role("alert")).to_contain_text("That access code is not right")
    page.get_by_label("Access code").fill("k7pq-2m")
    page.get_by_role("button", name="Start the exam").click()

    expect(page.get_by_role("heading", name="JLPT N5 certification exam")).to_be_visible()
    expect(page.get_by_role("heading", name="Section 1 of 3: Vocabulary and kanji")).to_be_visible()
    expect(page.locator("[data-timer]")).to_have_text(re.compile(r"^(07:00|06:5\d)$"))
    attempt_id = attempt_of(app, trainee.id)
    content = page.content()
    for secret in secrets_of_section(app, attempt_id, 0):
        assert secret not in content
    state = page.evaluate(
        "(url) => fetch(url, {headers: {Accept: 'application/json'}}).then((r) => r.text())",
        f"/exam/attempts/{attempt_id}/state",
    )
    for key in ('"answer"', '"accepted"', '"explanation"', '"correct"', '"script"'):
        assert key not in state
    assert "mock" not in content.lower()
    answer_by_keyboard(page, 1)
    answer_by_keyboard(page, 2)
    assert serious(page) == []
    shot("section-1")

    app.config["NOW_OVERRIDE"] = start + timedelta(minutes=2, seconds=30)
    page.reload()  # resumes with the answers and the time the server says is left
    expect(page.get_by_role("heading", name="Section 1 of 3: Vocabulary and kanji")).to_be_visible()
    expect(page.locator("[data-timer]")).to_have_text(re.compile(r"^04:(30|2\d)$"))
    navigator = page.get_by_role("navigation", name="Questions")
    expect(navigator.get_by_role("link", name="2 (answered)")).to_be_visible()

    # Three seconds left: the page's countdown runs out and the section closes by itself.
    app.config["NOW_OVERRIDE"] = start + timedelta(minutes=6, seconds=57)
    page.reload()
    expect(page.get_by_role("heading", name="Section 2 of 3: Grammar and reading")).to_be_visible(
        timeout=15_000
    )
    with app.app_context():
        log = db.session.get(ExamAttempt, attempt_id).section_log
        assert [entry["section"] for entry in log] == ["vocabulary"]
    content = page.content()
    for secret in secrets_of_section(app, attempt_id, 1):
        assert secret not in content
    shot("section-2")
    submit_section(page)
    expect(page.get_by_role("heading", name="Section 3 of 3: Listening")).to_be_visible()
    answer_by_keyboard(page, 1)
    submit_section(page)

    expect(page.get_by_role("heading", name="JLPT N5 certification exam: result")).to_be_visible()
    expect(page.get_by_text("Total:", exact=False)).to_be_visible()
    expect(page.get_by_role("cell", name="Minimum")).to_have_count(0)
    expect(page.get_by_role("columnheader", name="Minimum")).to_be_visible()
    assert "practice" not in page.content().lower()
    assert serious(page) == []
    shot("result")
    page.get_by_role("link", name="Back to the certification exam").click()
    expect(page.get_by_text("You have used every attempt in this window.")).to_be_visible()


def test_certification_on_a_phone_in_urdu(
    app, page: Page, live_server, make_user, make_cohort, shot
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    trainee, _, _, _ = open_window(app, make_user, make_cohort, locale="ur")
    sign_in(page, live_server, trainee.email)
    page.goto(f"{live_server}/exam/certification")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious(page) == []
    shot("phone-windows")
    page.locator("input[name=code]").fill(CODE)
    page.locator("form[action*='/start'] button[type=submit]").click()
    expect(page.locator("#q-1")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious(page) == []
    shot("phone-section-1")


def test_staff_plan_a_window_and_see_its_candidates(
    app, page: Page, live_server, make_user, make_cohort, shot
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    _trainee, cohort, window_id, _ = open_window(app, make_user, make_cohort)
    admin = make_user(Role.CENTRE_ADMIN)
    sign_in(page, live_server, admin.email)
    page.goto(f"{live_server}/teach/cohorts/{cohort.id}/windows/new")
    expect(page.get_by_role("heading", name="New exam window")).to_be_visible()
    page.get_by_label("Opens (Pakistan time)").fill("2026-05-04T09:00")
    page.get_by_label("Closes (Pakistan time)").fill("2026-05-04T08:00")
    page.get_by_label("Allowed networks").fill("203.0.113.0/24\nexam room")
    page.get_by_role("button", name="Save window").click()
    expect(page.get_by_text("The window must close after it opens.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious(page) == []
    shot("window-form-errors")
    page.get_by_label("Closes (Pakistan time)").fill("2026-05-04T12:00")
    page.get_by_role("button", name="Save window").click()
    expect(page.get_by_text("is not a network address", exact=False)).to_be_visible()
    page.get_by_label("Allowed networks").fill("203.0.113.0/24")
    page.get_by_role("button", name="Save window").click()
    expect(page.get_by_text("Exam window saved.")).to_be_visible()

    page.goto(f"{live_server}/teach/cohorts/{cohort.id}/windows/{window_id}")
    expect(page.get_by_text(CODE)).to_be_visible()
    expect(page.get_by_role("rowheader", name="Sana Iqbal")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious(page) == []
    shot("window")
    with app.app_context():
        assert len(windows.windows_of_cohort(cohort.id)) == 2


def post_right_answers(page: Page, app, attempt_id: int, index: int) -> None:  # type: ignore[no-untyped-def]
    """Answer every question of section ``index`` rightly, through the page's own session
    and CSRF token (what the page would send, without clicking through every item)."""
    with app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        ids = [i for p in attempt.form[index]["parts"] for i in p["items"]]
    for item_id in ids:
        status = page.evaluate(
            """([url, body]) => fetch(url, {method: "POST", body: JSON.stringify(body),
                 headers: {"Content-Type": "application/json", Accept: "application/json",
                   "X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content}})
               .then((r) => r.status)""",
            [
                f"/exam/attempts/{attempt_id}/answers",
                {"item_id": item_id, "answer": right_answer(app, item_id)},
            ],
        )
        assert status == 200, item_id


def test_a_pass_earns_a_certificate_anyone_can_verify_until_it_is_revoked(
    app, page: Page, live_server, make_user, make_cohort, shot
) -> None:
    trainee, _, _, _ = open_window(app, make_user, make_cohort)
    sign_in(page, live_server, trainee.email)
    page.goto(f"{live_server}/exam/certification")
    page.get_by_label("Access code").fill(CODE)
    page.get_by_role("button", name="Start the exam").click()
    attempt_id = attempt_of(app, trainee.id)
    for index, title in enumerate(
        ("Vocabulary and kanji", "Grammar and reading", "Listening"), start=1
    ):
        expect(page.get_by_role("heading", name=f"Section {index} of 3: {title}")).to_be_visible()
        post_right_answers(page, app, attempt_id, index - 1)
        submit_section(page)

    expect(page.get_by_role("heading", name="JLPT N5 certification exam: result")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Passed: JLPT N5.")
    assert serious(page) == []
    shot("passed")

    page.get_by_role("link", name="Printable certificate").click()
    expect(page.get_by_role("heading", name="Certificate of Japanese proficiency")).to_be_visible()
    expect(page.get_by_text("Sana Iqbal").first).to_be_visible()
    qr = page.get_by_role("img", name="QR code of this certificate's verification page")
    expect(qr).to_be_visible()
    pdf_url = page.get_by_role("link", name="Download the PDF").get_attribute("href")
    pdf = page.request.get(f"{live_server}{pdf_url}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    shot("certificate")

    page.get_by_role("link", name="Verification page").click()
    expect(page.get_by_role("heading", name="Valid", exact=True)).to_be_visible()
    verify_url = page.url
    page.context.clear_cookies()  # what anyone, signed in or not, sees
    page.goto(verify_url)
    expect(page.get_by_role("heading", name="Valid", exact=True)).to_be_visible()
    shot("verify-valid")

    with app.app_context():
        public_id = verify_url.rsplit("/", 1)[1]
        admin = make_user(Role.PROGRAMME_ADMIN)
        certificates.revoke(
            public_id, reason="Identity not confirmed", by_user_id=admin.id, now=utcnow()
        )
        db.session.commit()
    page.reload()
    expect(page.get_by_role("heading", name="Revoked", exact=True)).to_be_visible()
    expect(page.get_by_text("Identity not confirmed")).to_be_visible()
    assert serious(page) == []
    shot("verify-revoked")
