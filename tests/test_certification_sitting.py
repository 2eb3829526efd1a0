"""A candidate sits the certification exam over HTTP: the windows page, the exam room's
door (access code, network), one active attempt, a form from exam items fixed at start,
answers refused where they do not belong, a pass that issues a certificate (by submit
or when time runs out), a retake policy, and an invalidation that revokes.

The real question bank is the pool, as in tests/test_mock_exam.py, whose helpers sit
the sections here too.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.exam import windows
from app.extensions import db
from app.models import AuditEntry, Certificate, ExamAnswer, ExamAttempt, ExamWindow, Item, Role
from app.models.exams import INVALIDATED
from tests import test_mock_exam as mock_exam
from tests.conftest import csrf_token, sign_in
from tests.test_mock_exam import (
    T0,
    answer,
    post,
    right_answer,
    section_items,
    sit_all,
    state,
    wrong_answer,
)

# The mock exam's fixtures: the real question bank loaded, and the server's clock.
real_bank, curriculum, clock = mock_exam.real_bank, mock_exam.curriculum, mock_exam.clock

ROOM = "203.0.113.0/24"


def make_window(app: Flask, cohort_id: int, **fields: Any) -> int:
    """A window open from T0 for a day, short form, no code, any network."""
    values: dict[str, Any] = {
        "level": "N5", "opens_at": T0, "closes_at": T0 + timedelta(days=1),
        "form_size": "short", "networks": [], "wait_days": 0, "max_attempts": 1,
        "requires_mock": False,
    }  # fmt: skip
    values.update(fields)
    with app.app_context():
        window = ExamWindow(cohort_id=cohort_id, **values)
        db.session.add(window)
        db.session.commit()
        return window.id


@pytest.fixture
def candidate(login_as, make_cohort):  # type: ignore[no-untyped-def]
    """A signed-in trainee in a cohort (returns the user and the cohort)."""
    user = login_as(Role.TRAINEE)
    return user, make_cohort(trainees=(user,), target_level="N5")


def start_in(client, window_id: int, code: str = "", **kwargs: Any):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/account")
    return client.post(
        f"/exam/certification/windows/{window_id}/start",
        data={"code": code, "csrf_token": token},
        **kwargs,
    )


def started(client, window_id: int, code: str = "", **kwargs: Any) -> int:  # type: ignore[no-untyped-def]
    response = start_in(client, window_id, code, **kwargs)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def count(app: Flask, model: Any, *where: Any) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def audit_actions(app: Flask) -> list[tuple[str, str, str | None]]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        return [(r.action, r.subject, r.reason) for r in rows]


# ---- the windows page and starting ------------------------------------------------------


def test_the_page_lists_the_candidates_windows_with_reasons(
    app, client, candidate, make_cohort, curriculum, clock
) -> None:
    _, cohort = candidate
    later = make_window(
        app, cohort.id, opens_at=T0 + timedelta(days=2), closes_at=T0 + timedelta(days=3)
    )
    make_window(app, make_cohort().id)  # another cohort's window is not listed
    page = client.get("/exam/certification").get_data(as_text=True)
    assert "Certification exam" in page
    assert page.count("card-title") == 1
    assert "Opens on" in page
    assert "Start the exam" not in page
    clock(days=2, minutes=1)
    page = client.get("/exam/certification").get_data(as_text=True)
    assert f"/exam/certification/windows/{later}/start" in page
    assert "Access code" not in page  # this window needs none


def test_staff_and_strangers_cannot_start(
    app, client, login_as, make_cohort, curriculum, clock
) -> None:
    window_id = make_window(app, make_cohort().id)
    login_as(Role.INSTRUCTOR)
    assert client.get("/exam/certification").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login_as(Role.TRAINEE)  # in no cohort: the window is as good as missing
    assert start_in(client, window_id).status_code == 404
    assert start_in(client, 999_999).status_code == 404
    assert count(app, ExamAttempt) == 0


def test_a_short_form_from_exam_items_is_fixed_at_start_and_resumed(
    app, client, candidate, curriculum, clock
) -> None:
    _user, cohort = candidate
    window_id = make_window(app, cohort.id)
    attempt_id = started(client, window_id)
    with app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        assert (attempt.kind, attempt.level, attempt.window_id) == (
            "certification",
            "N5",
            window_id,
        )
        ids = [i for s in attempt.form for p in s["parts"] for i in p["items"]]
        assert [s["minutes"] for s in attempt.form] == [7, 15, 8]
        assert len(ids) == 21
        uses = set(db.session.scalars(select(Item.use).where(Item.id.in_(ids))))
        assert uses == {"exam"}
    assert started(client, window_id) == attempt_id  # a second start resumes
    assert count(app, ExamAttempt) == 1
    page = client.get(f"/exam/attempts/{attempt_id}").get_data(as_text=True)
    assert "JLPT N5 certification exam" in page
    assert "mock" not in page.lower()
    assert "practice" not in page.lower()
    listing = client.get("/exam/certification").get_data(as_text=True)
    assert f"/exam/attempts/{attempt_id}" in listing
    assert "Resume the exam" in listing


def test_the_access_code_is_checked_and_a_wrong_one_audited(
    app, client, candidate, curriculum, clock
) -> None:
    _, cohort = candidate
    window_id = make_window(app, cohort.id, access_code="K7PQ2M")
    assert 'name="code"' in client.get("/exam/certification").get_data(as_text=True)
    refused = start_in(client, window_id, "K7PQ2N")
    assert refused.status_code == 403
    assert "That access code is not right" in refused.get_data(as_text=True)
    assert start_in(client, window_id, "").status_code == 403
    assert start_in(client, window_id, "x" * 40).status_code == 400  # too long for the form
    assert count(app, ExamAttempt) == 0
    assert audit_actions(app) == [
        (windows.ACCESS_REFUSED, f"window:{window_id}", "access code"),
        (windows.ACCESS_REFUSED, f"window:{window_id}", "access code"),
    ]
    assert started(client, window_id, " k7pq-2m ")  # as a proctor reads it, as it is typed


def test_only_the_exam_rooms_network_may_start(app, client, candidate, curriculum, clock) -> None:
    _, cohort = candidate
    window_id = make_window(app, cohort.id, networks=[ROOM, "2001:db8::/48"])
    outside = start_in(client, window_id, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert outside.status_code == 403
    assert "started from the exam room" in outside.get_data(as_text=True)
    assert count(app, ExamAttempt) == 0
    assert audit_actions(app)[0][2] == "network"
    assert started(client, window_id, environ_base={"REMOTE_ADDR": "2001:db8::5"})


def test_the_whole_attempt_is_sat_from_the_exam_rooms_network(
    app, client, candidate, curriculum, clock
) -> None:
    _, cohort = candidate
    window_id = make_window(app, cohort.id, networks=[ROOM])
    room = {"REMOTE_ADDR": "203.0.113.40"}
    home = {"REMOTE_ADDR": "198.51.100.7"}
    attempt_id = started(client, window_id, environ_base=room)
    item_id = section_items(state(client, attempt_id, environ_base=room))[0]["id"]

    assert client.get(f"/exam/attempts/{attempt_id}/state", environ_base=home).status_code == 403
    token = csrf_token(client, "/account")
    from_home = client.post(
        f"/exam/attempts/{attempt_id}/answers",
        json={"item_id": item_id, "answer": 0},
        headers={"X-CSRFToken": token},
        environ_base=home,
    )
    assert from_home.status_code == 403
    assert "exam room's network" in from_home.json["message"]
    assert count(app, ExamAnswer) == 0
    assert client.get(f"/exam/attempts/{attempt_id}", environ_base=home).status_code == 403
    assert audit_actions(app)[-1] == (windows.ACCESS_REFUSED, f"attempt:{attempt_id}", "network")

    in_room = client.post(
        f"/exam/attempts/{attempt_id}/answers",
        json={"item_id": item_id, "answer": 0},
        headers={"X-CSRFToken": token},
        environ_base=room,
    )
    assert in_room.status_code == 200
    assert count(app, ExamAnswer) == 1


def test_the_network_check_uses_the_address_behind_trusted_proxies(
    other_app, make_user, make_cohort, curriculum, clock
) -> None:
    app = other_app(PROXY_FIX_X_FOR=1)
    app.config["NOW_OVERRIDE"] = T0
    user = make_user(Role.TRAINEE)
    window_id = make_window(app, make_cohort(trainees=(user,)).id, networks=[ROOM])
    client = app.test_client()
    sign_in(client, user.email)
    proxied = {"REMOTE_ADDR": "10.0.0.2"}  # the load balancer
    assert start_in(client, window_id, environ_base=proxied).status_code == 403
    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    assert start_in(client, window_id, environ_base=proxied, headers=forwarded).status_code == 302


def test_another_active_attempt_blocks_a_start(app, client, candidate, curriculum, clock) -> None:
    _, cohort = candidate
    window_id = make_window(app, cohort.id)
    token = csrf_token(client, "/account")
    assert client.post("/exam/mock", data={"level": "N5", "csrf_token": token}).status_code == 302
    refused = start_in(client, window_id)
    assert refused.status_code == 409
    assert "another exam in progress" in refused.get_data(as_text=True)
    assert count(app, ExamAttempt, ExamAttempt.kind == "certification") == 0


# ---- answers that do not belong ------------------------------------------------------------


def test_foreign_late_and_forged_answers_are_refused_and_nothing_stored(
    app, client, candidate, make_user, make_cohort, curriculum, clock
) -> None:
    _, cohort = candidate
    window_id = make_window(app, cohort.id)
    attempt_id = started(client, window_id)
    first = section_items(state(client, attempt_id))[0]["id"]
    with app.app_context():
        form = db.session.get(ExamAttempt, attempt_id).form
        next_section = form[1]["parts"][0]["items"][0]
        outside = db.session.scalar(select(Item.id).where(Item.use == "exam", Item.level == "N4"))
    assert answer(client, attempt_id, next_section, "x").status_code == 404  # not open yet
    assert answer(client, attempt_id, outside, "x").status_code == 404  # not in the form
    assert answer(client, attempt_id + 1000, first, "x").status_code == 404  # forged id
    assert client.get(f"/exam/attempts/{attempt_id + 1000}/state").status_code == 404

    other = make_user(Role.TRAINEE)
    other_client = app.test_client()
    sign_in(other_client, other.email)
    assert answer(other_client, attempt_id, first, "x").status_code == 404  # not theirs
    assert other_client.get(f"/exam/attempts/{attempt_id}/result").status_code == 404

    clock(minutes=7, seconds=6)  # the 7-minute section and its grace are over
    late = answer(client, attempt_id, first, right_answer(app, first))
    assert late.status_code == 409
    assert count(app, ExamAnswer) == 0


# ---- finishing: scores, certificate, retakes ---------------------------------------------


def test_a_pass_issues_a_certificate_and_the_result_links_to_it(
    app, client, candidate, curriculum, clock
) -> None:
    user, cohort = candidate
    window_id = make_window(app, cohort.id)
    attempt_id = started(client, window_id)
    clock(minutes=3)
    sit_all(app, client, attempt_id, right_answer)
    with app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        assert attempt.status == "finished"
        assert attempt.passed is True
        cert = db.session.scalar(select(Certificate).where(Certificate.attempt_id == attempt_id))
        assert cert is not None
        assert cert.user_id == user.id
        assert cert.total == attempt.scores["total"]
        public_id, total = cert.public_id, cert.total
    page = client.get(f"/exam/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "JLPT N5 certification exam: result" in page
    assert f"Total: {total} of 180" in page
    assert "Passed: JLPT N5." in page
    assert "A pass needs a total of at least 80" in page
    assert "Language knowledge and reading" in page
    assert "Listening" in page
    assert f"/verify/{public_id}" in page
    assert "mock" not in page.lower()
    assert "practice" not in page.lower()
    # Certified at N5: no new attempt in any N5 window.
    second = make_window(app, cohort.id, max_attempts=3)
    refused = start_in(client, second)
    assert refused.status_code == 409
    assert "already passed this level" in refused.get_data(as_text=True)


def test_time_running_out_finishes_and_issues_in_the_same_request(
    app, client, candidate, curriculum, clock
) -> None:
    _, cohort = candidate
    attempt_id = started(client, make_window(app, cohort.id))
    for index in range(3):
        for item in section_items(state(client, attempt_id)):
            answer(client, attempt_id, item["id"], right_answer(app, item["id"]))
        if index < 2:
            post(client, f"/exam/attempts/{attempt_id}/sections/{index}/submit")
    clock(minutes=9)  # listening has 8 minutes: nobody pressed submit
    assert client.get(f"/exam/attempts/{attempt_id}/result").status_code == 200
    assert count(app, Certificate, Certificate.attempt_id == attempt_id) == 1


def test_a_fail_issues_nothing_and_the_retake_policy_holds(
    app, client, candidate, curriculum, clock
) -> None:
    _user, cohort = candidate
    window_id = make_window(
        app, cohort.id, wait_days=7, max_attempts=2, closes_at=T0 + timedelta(days=30)
    )
    attempt_id = started(client, window_id)
    sit_all(app, client, attempt_id, wrong_answer)
    page = client.get(f"/exam/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "Not passed this time." in page
    assert "/verify/" not in page
    assert count(app, Certificate) == 0

    clock(days=6)
    waiting = start_in(client, window_id)
    assert waiting.status_code == 409
    assert "After a failed attempt, you can retake from" in waiting.get_data(as_text=True)
    clock(days=7, minutes=1)
    second = started(client, window_id)
    assert second != attempt_id
    with app.app_context():
        first_items = {a.item_id for a in db.session.get(ExamAttempt, attempt_id).answers}
        form = db.session.get(ExamAttempt, second).form
        vocabulary = {i for p in form[0]["parts"] for i in p["items"]}
        assert not vocabulary & first_items  # seen items are avoided while others are left
    sit_all(app, client, second, wrong_answer)
    clock(days=30)
    page = client.get("/exam/certification").get_data(as_text=True)
    assert "You have used every attempt in this window." in page
    assert "This window has closed." in page


def test_a_passed_mock_can_be_required(app, client, candidate, curriculum, clock) -> None:
    user, cohort = candidate
    window_id = make_window(app, cohort.id, requires_mock=True)
    refused = start_in(client, window_id)
    assert refused.status_code == 409
    assert "Pass a JLPT N5 mock exam first." in refused.get_data(as_text=True)
    with app.app_context():
        db.session.add(
            ExamAttempt(
                user_id=user.id, level="N5", kind="mock", status="finished", seed=1, form=[],
                section_log=[], started_at=T0, finished_at=T0, passed=True,
            )
        )  # fmt: skip
        db.session.commit()
    assert started(client, window_id)


# ---- invalidation ---------------------------------------------------------------------------


def test_an_admin_invalidates_a_pass_and_its_certificate_is_revoked(
    app, client, candidate, make_user, curriculum, clock
) -> None:
    _user, cohort = candidate
    window_id = make_window(app, cohort.id)
    attempt_id = started(client, window_id)
    sit_all(app, client, attempt_id, right_answer)
    admin = make_user(Role.CENTRE_ADMIN)
    staff = app.test_client()
    sign_in(staff, admin.email)
    path = f"/teach/cohorts/{cohort.id}/windows/{window_id}"
    token = csrf_token(staff, path)
    empty = staff.post(
        f"{path}/attempts/{attempt_id}/invalidate", data={"reason": " ", "csrf_token": token}
    )
    assert empty.status_code == 422
    assert "Say why this attempt is invalidated." in empty.get_data(as_text=True)
    done = staff.post(
        f"{path}/attempts/{attempt_id}/invalidate",
        data={"reason": "Phone used in the exam room", "csrf_token": token},
    )
    assert done.status_code == 302
    with app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        assert attempt.status == INVALIDATED
        assert attempt.invalidated_reason == "Phone used in the exam room"
        cert = db.session.scalar(select(Certificate).where(Certificate.attempt_id == attempt_id))
        assert cert.revoked_at is not None
        assert cert.revoked_reason == "Phone used in the exam room"
    actions = [a for a, _, _ in audit_actions(app)]
    assert windows.ATTEMPT_INVALIDATED in actions
    assert "certificate.revoked" in actions
    again = staff.post(
        f"{path}/attempts/{attempt_id}/invalidate", data={"reason": "again", "csrf_token": token}
    )
    assert again.status_code == 409
    assert "invalidated" in client.get(f"/exam/attempts/{attempt_id}/result").get_data(as_text=True)
    # The pass no longer counts: the candidate may sit again in a new window.
    assert started(client, make_window(app, cohort.id))
