"""The trainee's mock exam over HTTP: start, resume, one active attempt, answers saved
and changed on the server's clock, late and foreign answers refused, scored at the end.

The real curriculum (without the generated study sets) is the item bank, so the mock
is assembled exactly as a trainee would get it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.content import services as content_services
from app.exam import attempts
from app.extensions import db
from app.models import ExamAnswer, ExamAttempt, Item, Role
from app.questions import registry
from tests.conftest import csrf_token, sign_in

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def real_bank():  # type: ignore[no-untyped-def]
    """The project's lessons and question bank, read and checked once per run."""
    bundle = content_services.check(study_sets=False)
    assert not bundle.problems
    return bundle


@pytest.fixture
def curriculum(app: Flask, real_bank) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        content_services.load(real_bank)
        db.session.commit()


@pytest.fixture
def clock(app: Flask):  # type: ignore[no-untyped-def]
    """Set the server's clock: clock(minutes=10, seconds=4) is that long after T0."""

    def at(**delta: float) -> datetime:
        app.config["NOW_OVERRIDE"] = T0 + timedelta(**delta)
        return app.config["NOW_OVERRIDE"]

    at()
    return at


def post(client, path: str, body: Any = None, **kwargs):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/account")
    return client.post(
        path, json={} if body is None else body, headers={"X-CSRFToken": token}, **kwargs
    )


def start(client, level: str = "N5") -> int:  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/account")
    response = client.post("/exam/mock", data={"level": level, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def state(client, attempt_id: int, **kwargs: Any) -> dict:  # type: ignore[no-untyped-def]
    response = client.get(f"/exam/attempts/{attempt_id}/state", **kwargs)
    assert response.status_code == 200, response.json
    return response.json


def section_items(st: dict) -> list[dict]:
    return [item for part in st["section"]["parts"] for item in part["items"]]


def right_answer(app: Flask, item_id: str) -> Any:
    with app.app_context():
        item = db.session.get(Item, item_id)
        if item.type == "ordering":
            return item.data["chunks"]
        if "answer" in item.data:
            return item.data["answer"]
        question = registry.get(item.type)
        return question.expected(question.model.model_validate(item.data))


def wrong_answer(app: Flask, item_id: str) -> Any:
    with app.app_context():
        item = db.session.get(Item, item_id)
        if item.type == "ordering":
            return list(reversed(item.data["chunks"]))
        if "options" in item.data:
            return next(o for o in item.data["options"] if o != item.data["answer"])
        return "ちがう"


def answer(client, attempt_id: int, item_id: str, given: Any):  # type: ignore[no-untyped-def]
    return post(
        client, f"/exam/attempts/{attempt_id}/answers", {"item_id": item_id, "answer": given}
    )


def stored_answers(app: Flask, attempt_id: int) -> list[ExamAnswer]:
    with app.app_context():
        rows = db.session.scalars(
            select(ExamAnswer).where(ExamAnswer.attempt_id == attempt_id).order_by(ExamAnswer.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


# ---- starting and resuming --------------------------------------------------------------


def test_the_mock_page_shows_both_levels_and_no_results_yet(client, login_as, curriculum) -> None:
    login_as(Role.TRAINEE)
    page = client.get("/exam/mock").get_data(as_text=True)
    assert "JLPT N5" in page
    assert "JLPT N4" in page
    assert "Start the mock exam" in page
    assert "No mock exams yet." in page


def test_only_trainees_sit_the_mock(client, login_as, curriculum) -> None:
    login_as(Role.INSTRUCTOR)
    assert client.get("/exam/mock").status_code == 403


def test_start_fixes_a_form_by_the_mock_blueprint(app, client, login_as, curriculum, clock) -> None:
    login_as(Role.TRAINEE)
    attempt_id = start(client)
    with app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        assert (attempt.level, attempt.kind, attempt.status) == ("N5", "mock", "active")
        assert [(s["id"], s["minutes"]) for s in attempt.form] == [
            ("vocabulary", 10),
            ("grammar-reading", 22),
            ("listening", 8),
        ]
        ids = [i for s in attempt.form for p in s["parts"] for i in p["items"]]
        assert len(ids) == len(set(ids)) == 28
        uses = set(db.session.scalars(select(Item.use).where(Item.id.in_(ids))))
        assert uses == {"practice"}
        assert attempt.section_deadline == T0 + timedelta(minutes=10)
    st = state(client, attempt_id)
    assert st["section"]["index"] == 0
    assert st["section"]["remaining_seconds"] == 600
    assert [s["count"] for s in st["sections"]] == [10, 12, 6]


def test_starting_again_resumes_the_active_attempt(
    app, client, login_as, curriculum, clock
) -> None:
    user = login_as(Role.TRAINEE)
    first = start(client, "N5")
    assert start(client, "N4") == first  # still the N5 attempt: one active at a time
    page = client.get("/exam/mock").get_data(as_text=True)
    assert "Resume" in page
    assert "Start the mock exam" not in page
    with app.app_context():
        count = db.session.scalar(select(func.count(ExamAttempt.id)))
        assert count == 1
        resumed, was_active = attempts.start(
            db.session.get(type(user), user.id), "N5", "mock", now=T0
        )
        assert (resumed.id, was_active) == (first, True)


def test_the_database_refuses_a_second_active_attempt(app, make_user) -> None:
    user = make_user(Role.TRAINEE)
    with app.app_context():

        def attempt(status: str) -> ExamAttempt:
            return ExamAttempt(
                user_id=user.id, level="N5", kind="mock", status=status, seed=1, form=[],
                section_log=[],
            )  # fmt: skip

        db.session.add_all([attempt("finished"), attempt("finished"), attempt("active")])
        db.session.commit()
        db.session.add(attempt("active"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_a_section_shows_no_keys(client, login_as, curriculum, clock) -> None:
    login_as(Role.TRAINEE)
    attempt_id = start(client)
    for index in range(3):
        st = state(client, attempt_id)
        for item in section_items(st):
            assert not {"answer", "accepted", "explanation", "script", "skills"} & set(item)
        post(client, f"/exam/attempts/{attempt_id}/sections/{index}/submit")


# ---- answers ----------------------------------------------------------------------------


def test_answers_are_idempotent_and_can_change_until_the_section_closes(
    app, client, login_as, curriculum, clock
) -> None:
    login_as(Role.TRAINEE)
    attempt_id = start(client)
    item_id = section_items(state(client, attempt_id))[0]["id"]
    right, wrong = right_answer(app, item_id), wrong_answer(app, item_id)

    first = answer(client, attempt_id, item_id, wrong)
    assert first.status_code == 200
    assert first.json == {
        "saved": True, "item_id": item_id, "section_index": 0, "remaining_seconds": 600,
    }  # fmt: skip
    assert "correct" not in first.json  # no feedback during the exam
    answer(client, attempt_id, item_id, wrong)  # a double click or a retry
    rows = stored_answers(app, attempt_id)
    assert [(r.item_id, r.answer, r.correct) for r in rows] == [(item_id, wrong, False)]

    clock(minutes=9)
    changed = answer(client, attempt_id, item_id, right)
    assert changed.json["remaining_seconds"] == 60
    rows = stored_answers(app, attempt_id)
    assert [(r.answer, r.correct, r.saved_at) for r in rows] == [
        (right, True, T0 + timedelta(minutes=9))
    ]
    assert state(client, attempt_id)["section"]["answers"] == {item_id: right}


def test_a_late_answer_is_refused_and_the_next_request_moves_on(
    app, client, login_as, curriculum, clock
) -> None:
    login_as(Role.TRAINEE)
    attempt_id = start(client)
    first, second = [i["id"] for i in section_items(state(client, attempt_id))][:2]

    clock(minutes=10, seconds=4)  # past the deadline, within the grace for requests in flight
    assert answer(client, attempt_id, first, right_answer(app, first)).status_code == 200
    clock(minutes=10, seconds=6)
    late = answer(client, attempt_id, second, right_answer(app, second))
    assert late.status_code == 409
    assert "Time is up" in late.json["message"]
    assert [r.item_id for r in stored_answers(app, attempt_id)] == [first]

    st = state(client, attempt_id)  # the section closed when its time was up
    assert st["section"]["index"] == 1
    assert st["section"]["id"] == "grammar-reading"
    assert st["section"]["remaining_seconds"] == 22 * 60  # starts when the trainee is back
    assert answer(client, attempt_id, second, right_answer(app, second)).status_code == 404
    with app.app_context():
        log = db.session.get(ExamAttempt, attempt_id).section_log
        assert log[0]["timed_out"] is True
        assert log[0]["closed_at"] == (T0 + timedelta(minutes=10)).isoformat()


def test_another_trainees_attempt_is_missing(
    app, client, login_as, make_user, curriculum, clock
) -> None:
    owner = make_user(Role.TRAINEE)
    sign_in(client, owner.email)
    attempt_id = start(client)
    item_id = section_items(state(client, attempt_id))[0]["id"]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})

    login_as(Role.TRAINEE)
    assert client.get(f"/exam/attempts/{attempt_id}/state").status_code == 404
    assert client.get(f"/exam/attempts/{attempt_id}").status_code == 404
    assert client.get(f"/exam/attempts/{attempt_id}/result").status_code == 404
    assert answer(client, attempt_id, item_id, "x").status_code == 404
    assert post(client, f"/exam/attempts/{attempt_id}/sections/0/submit").status_code == 404
    assert client.get("/exam/attempts/999999/state").status_code == 404
    assert stored_answers(app, attempt_id) == []


def test_an_item_not_in_the_open_section_is_refused(
    app, client, login_as, curriculum, clock
) -> None:
    login_as(Role.TRAINEE)
    attempt_id = start(client)
    with app.app_context():
        form = db.session.get(ExamAttempt, attempt_id).form
    later = form[2]["parts"][0]["items"][0]  # a listening item, not open yet
    assert answer(client, attempt_id, later, "x").status_code == 404
    assert answer(client, attempt_id, "n5-no-such-item", "x").status_code == 404
    assert stored_answers(app, attempt_id) == []


def test_huge_and_malformed_answers_are_refused(app, client, login_as, curriculum, clock) -> None:
    login_as(Role.TRAINEE)
    attempt_id = start(client)
    item_id = section_items(state(client, attempt_id))[0]["id"]
    assert answer(client, attempt_id, item_id, "あ" * 2000).status_code == 413
    huge = post(
        client,
        f"/exam/attempts/{attempt_id}/answers",
        {"item_id": item_id, "answer": "a" * 1_000_000},
    )
    assert huge.status_code == 413
    assert answer(client, attempt_id, item_id, {"not": "an answer"}).status_code == 422
    assert answer(client, attempt_id, item_id, True).status_code == 422
    no_item = post(client, f"/exam/attempts/{attempt_id}/answers", {"answer": "x"})
    assert no_item.status_code == 422
    assert post(client, f"/exam/attempts/{attempt_id}/answers", ["x"]).status_code == 422
    assert stored_answers(app, attempt_id) == []


def test_submitting_a_section_twice_never_skips_the_next(
    client, login_as, curriculum, clock
) -> None:
    login_as(Role.TRAINEE)
    attempt_id = start(client)
    url = f"/exam/attempts/{attempt_id}/sections/0/submit"
    assert post(client, url).json["section"]["index"] == 1
    assert post(client, url).json["section"]["index"] == 1  # a replay changes nothing
    ahead = post(client, f"/exam/attempts/{attempt_id}/sections/2/submit")
    assert ahead.status_code == 409


# ---- finishing and scoring --------------------------------------------------------------


def sit_all(app, client, attempt_id: int, pick) -> None:  # type: ignore[no-untyped-def]
    for index in range(3):
        for item in section_items(state(client, attempt_id)):
            assert answer(client, attempt_id, item["id"], pick(app, item["id"])).status_code == 200
        post(client, f"/exam/attempts/{attempt_id}/sections/{index}/submit")


def test_all_right_passes_with_raw_counts_beside_scaled_scores(
    app, client, login_as, curriculum, clock
) -> None:
    user = login_as(Role.TRAINEE)
    attempt_id = start(client)
    assert client.get(f"/exam/attempts/{attempt_id}/result").status_code == 302  # not yet
    clock(minutes=5)
    sit_all(app, client, attempt_id, right_answer)
    final = state(client, attempt_id)
    assert final["status"] == "finished"
    assert final["result_url"] == f"/exam/attempts/{attempt_id}/result"
    with app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        assert attempt.finished_at == T0 + timedelta(minutes=5)
        assert attempt.passed is True
        scores = attempt.scores
    assert scores["sections"] == {
        "vocabulary": {"asked": 10, "answered": 10, "right": 10},
        "grammar-reading": {"asked": 12, "answered": 12, "right": 12},
        "listening": {"asked": 6, "answered": 6, "right": 6},
    }
    # 22 right at difficulty 0: EAP 2.2851 -> 60 + 20 * 2.2851 = 105.7 -> 106;
    # 6 right: EAP 1.3589 -> 30 + 10 * 1.3589 = 43.6 -> 44 (tests/test_exam_scoring.py)
    assert scores["groups"]["knowledge-reading"]["scaled"] == 106
    assert scores["groups"]["listening"]["scaled"] == 44
    assert scores["total"] == 150

    page = client.get(f"/exam/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "No certificate is issued" in page
    assert "Total: 150 of 180" in page
    assert "This would be a pass at N5." in page
    assert client.get(f"/exam/attempts/{attempt_id}").status_code == 302  # to the result
    assert answer(client, attempt_id, "n5-x", "x").status_code == 409

    with app.app_context():
        latest = attempts.latest_mock(user.id, "N5")
        assert latest is not None
        assert (latest.attempt_id, latest.total, latest.passed) == (attempt_id, 150, True)
        assert latest.scaled == {"knowledge-reading": 106, "listening": 44}
        assert latest.finished_at == T0 + timedelta(minutes=5)
        assert attempts.latest_mock(user.id, "N4") is None
    assert "150 / 180" in client.get("/exam/mock").get_data(as_text=True)


def test_wrong_and_unanswered_fail_and_a_next_attempt_avoids_seen_items(
    app, client, login_as, curriculum, clock
) -> None:
    user = login_as(Role.TRAINEE)
    attempt_id = start(client)
    sit_all(app, client, attempt_id, wrong_answer)
    page = client.get(f"/exam/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "This would not yet be a pass at N5." in page
    with app.app_context():
        first = db.session.get(ExamAttempt, attempt_id)
        assert first.passed is False
        assert first.scores["sections"]["vocabulary"]["right"] == 0
        seen = attempts.seen_items(user.id)
        assert len(seen) == 28
    second = start(client)
    assert second != attempt_id
    with app.app_context():
        form = db.session.get(ExamAttempt, second).form
        vocabulary = {i for p in form[0]["parts"] for i in p["items"]}
        assert not vocabulary & seen  # plenty of unseen vocabulary items are left


def test_time_running_out_in_the_last_section_finishes_the_attempt(
    app, client, login_as, curriculum, clock
) -> None:
    login_as(Role.TRAINEE)
    attempt_id = start(client)
    post(client, f"/exam/attempts/{attempt_id}/sections/0/submit")
    post(client, f"/exam/attempts/{attempt_id}/sections/1/submit")
    clock(minutes=9)  # listening has 8 minutes
    response = client.get(f"/exam/attempts/{attempt_id}/result")
    assert response.status_code == 200
    assert "Total:" in response.get_data(as_text=True)
    with app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        assert attempt.status == "finished"
        assert attempt.scores["sections"]["listening"]["answered"] == 0
        assert attempt.passed is False
