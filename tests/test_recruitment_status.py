"""Certification status per level through the real services: joining a cohort, exam
windows planned and closed, certification attempts sat over HTTP (failed and passed),
a certificate revoked, an attempt invalidated; the changes recorded in the feed and in
the webhook outbox only while the candidate agrees to share.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.accounts import services as accounts
from app.api import keys as api_keys
from app.certification import certificates
from app.exam import windows
from app.extensions import db
from app.lib.cnic import InvalidCNICError
from app.models import CandidateStatus, Certificate, Cohort, Role, User
from app.models.webhooks import WebhookDelivery
from app.recruitment import consent, status, views
from app.webhooks import outbox
from tests import test_mock_exam as mock_exam
from tests.test_certification_sitting import make_window, started
from tests.test_mock_exam import T0, right_answer, sit_all, wrong_answer

real_bank, curriculum, clock = mock_exam.real_bank, mock_exam.curriculum, mock_exam.clock


def stored(app: Flask, user_id: int) -> dict[str, str]:
    with app.app_context():
        rows = db.session.scalars(select(CandidateStatus).where(CandidateStatus.user_id == user_id))
        return {row.level: row.status for row in rows}


def feed(app: Flask, cursor: int = 0, limit: int = 100) -> list[tuple[int, str, Any, str, str]]:
    with app.app_context():
        return [
            (c.user_id, c.level, c.old_status, c.new_status, c.cause)
            for c in status.changes_since(cursor, limit)
        ]


def agree(app: Flask, user: User, at=T0) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        consent.give(db.session.get(User, user.id), text="I agree (test).", now=at)
        db.session.commit()


def subscribe(app: Flask) -> None:
    """A client with a webhook endpoint for every event, so the outbox gets deliveries."""
    with app.app_context():
        issued = api_keys.create("Recruiter", ["webhooks:manage"], now=T0, actor_id=None)
        outbox.register(
            issued.key.id, "https://example.org/hook", list(outbox.EVENTS), now=T0, production=False
        )
        db.session.commit()


def events(app: Flask) -> list[tuple[str, dict[str, Any]]]:
    with app.app_context():
        rows = db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
        return [(d.event, d.payload["data"]) for d in rows]


def join(app: Flask, user: User, cohort: Cohort) -> None:
    with app.app_context():
        accounts.add_to_cohort(db.session.get(User, user.id), db.session.get(Cohort, cohort.id))
        db.session.commit()


def test_no_cohort_is_not_started_and_joining_starts_training(app, make_user, make_cohort) -> None:
    user = make_user(Role.TRAINEE)
    agree(app, user)
    assert stored(app, user.id) == {"N5": "not-started", "N4": "not-started"}
    # consent announces the current state: one change per level, no old status
    assert feed(app) == [
        (user.id, "N5", None, "not-started", "consent-given"),
        (user.id, "N4", None, "not-started", "consent-given"),
    ]
    join(app, user, make_cohort(target_level="N5"))  # the hook in add_to_cohort
    assert stored(app, user.id) == {"N5": "in-training", "N4": "not-started"}
    assert feed(app)[2:] == [(user.id, "N5", "not-started", "in-training", "joined-cohort")]
    join(app, user, make_cohort(target_level="N4"))  # an N4 cohort trains N5 on the way
    assert stored(app, user.id) == {"N5": "in-training", "N4": "in-training"}


def test_a_window_schedules_the_exam_and_closing_it_unschedules(
    app, make_user, make_cohort, clock
) -> None:
    staff = make_user(Role.CENTRE_ADMIN)
    user = make_user(Role.TRAINEE)
    cohort = make_cohort(trainees=(user,), target_level="N4")
    agree(app, user)
    subscribe(app)
    settings = windows.WindowSettings(
        level="N4", opens_at=T0 + timedelta(days=3), closes_at=T0 + timedelta(days=4)
    )
    with app.app_context():
        window = windows.create_window(db.session.get(User, staff.id), cohort.id, settings)
        db.session.commit()
        window_id = window.id
    assert stored(app, user.id) == {"N5": "in-training", "N4": "exam-scheduled"}
    assert feed(app)[-1] == (user.id, "N4", "in-training", "exam-scheduled", "exam-window-changed")
    assert events(app)[-1][0] == "candidate.updated"
    assert events(app)[-1][1]["new_status"] == "exam-scheduled"
    with app.app_context():  # moved to N5: the N4 exam is no longer scheduled
        window = windows.window_of_cohort(cohort.id, window_id)
        windows.update_window(
            window, windows.WindowSettings(**{**settings.__dict__, "level": "N5"})
        )
        db.session.commit()
    assert stored(app, user.id) == {"N5": "exam-scheduled", "N4": "in-training"}
    with app.app_context():
        windows.close_window(windows.window_of_cohort(cohort.id, window_id), T0)
        db.session.commit()
    assert stored(app, user.id) == {"N5": "in-training", "N4": "in-training"}
    assert feed(app)[-1] == (user.id, "N5", "exam-scheduled", "in-training", "exam-window-closed")


def test_the_scheduled_refresh_notices_a_window_that_closed_by_itself(
    app, make_user, make_cohort, runner
) -> None:
    user = make_user(Role.TRAINEE)
    cohort = make_cohort(trainees=(user,), target_level="N5")
    make_window(app, cohort.id, opens_at=T0 - timedelta(days=2), closes_at=T0 - timedelta(days=1))
    make_window(app, cohort.id, closes_at=T0 + timedelta(days=400))
    with app.app_context():
        status.refresh(user.id, now=T0, cause="test")
        db.session.commit()
    assert stored(app, user.id)["N5"] == "exam-scheduled"
    app.config["NOW_OVERRIDE"] = T0 + timedelta(days=401)
    result = runner.invoke(args=["recruitment", "refresh"])
    assert result.exit_code == 0, result.output
    assert "1 candidates changed status." in result.output
    assert stored(app, user.id)["N5"] == "in-training"


def sit(app, client, login_as, make_cohort, pick, **window):  # type: ignore[no-untyped-def]
    user = login_as(Role.TRAINEE)
    cohort = make_cohort(trainees=(user,), target_level="N5")
    agree(app, user)
    window_id = make_window(app, cohort.id, **window)
    with app.app_context():  # windows made as rows: refresh as the window hook would
        status.refresh(user.id, now=T0, cause=status.WINDOW_CHANGED)
        db.session.commit()
    assert stored(app, user.id)["N5"] == "exam-scheduled"
    attempt_id = started(client, window_id)
    assert stored(app, user.id)["N5"] == "exam-scheduled"  # still, while sitting
    sit_all(app, client, attempt_id, pick)
    return user, cohort, attempt_id, window_id


def test_a_failed_attempt_is_failed_and_a_new_window_schedules_a_retake(
    app, client, login_as, make_cohort, make_user, curriculum, clock
) -> None:
    subscribe(app)
    user, cohort, attempt_id, window_id = sit(app, client, login_as, make_cohort, wrong_answer)
    assert stored(app, user.id) == {"N5": "failed", "N4": "not-started"}
    assert feed(app)[-1] == (user.id, "N5", "exam-scheduled", "failed", "attempt-finished")
    assert events(app)[-1][0] == "certification.failed"
    retake = make_window(app, cohort.id, closes_at=T0 + timedelta(days=5))
    with app.app_context():
        status.refresh(user.id, now=T0, cause=status.WINDOW_CHANGED)
        db.session.commit()
    assert stored(app, user.id)["N5"] == "exam-scheduled"  # exam-scheduled beats failed
    with app.app_context():
        windows.close_window(db.session.get(windows.ExamWindow, retake), T0)
        db.session.commit()
    assert stored(app, user.id)["N5"] == "failed"
    admin = make_user(Role.PROGRAMME_ADMIN)
    with app.app_context():  # invalidated, the fail no longer counts
        window = db.session.get(windows.ExamWindow, window_id)
        windows.invalidate(db.session.get(User, admin.id), window, attempt_id, "Phone", now=T0)
        db.session.commit()
    assert stored(app, user.id)["N5"] == "in-training"
    assert feed(app)[-1][2:] == ("failed", "in-training", "attempt-invalidated")


def test_a_pass_is_passed_and_a_revoked_certificate_is_revoked(
    app, client, login_as, make_cohort, make_user, curriculum, clock
) -> None:
    subscribe(app)
    user, _cohort, _attempt_id, _window = sit(app, client, login_as, make_cohort, right_answer)
    assert stored(app, user.id) == {"N5": "passed", "N4": "not-started"}
    assert events(app)[-1][0] == "certification.passed"
    assert events(app)[-1][1]["candidate_id"] == user.id
    admin = make_user(Role.PROGRAMME_ADMIN)
    with app.app_context():
        cert = db.session.scalar(select(Certificate).where(Certificate.user_id == user.id))
        view = views.find(hashi_id=user.id).data()  # the stored copy the API sends
        assert view == status.candidate_view(db.session.get(User, user.id))
        assert view["level_reached"] == "N5"
        assert view["certificates"] == [
            {
                "id": cert.public_id,
                "level": "N5",
                "issued_at": view["certificates"][0]["issued_at"],
                "status": "valid",
                "revoked_at": None,
            }
        ]
        assert view["scores"]["N5"]["passed"] is True
        assert set(view["scores"]["N5"]["sections"]) == {"knowledge-reading", "listening"}
        certificates.revoke(cert.public_id, reason="Fraud", by_user_id=admin.id, now=T0)
        db.session.commit()
    assert stored(app, user.id)["N5"] == "revoked"
    with app.app_context():
        view = views.find(hashi_id=user.id).data()
        assert view["certificates"][0]["status"] == "revoked"
        assert (view["level_reached"], view["status"]["N5"]) == (None, "revoked")
    assert feed(app)[-1][2:] == ("passed", "revoked", "certificate-revoked")
    assert events(app)[-1][0] == "certification.revoked"


def test_without_consent_status_is_kept_but_nothing_is_announced(
    app, make_user, make_cohort
) -> None:
    subscribe(app)
    user = make_user(Role.TRAINEE)
    join(app, user, make_cohort(target_level="N5"))
    assert stored(app, user.id)["N5"] == "in-training"
    assert feed(app) == []
    assert events(app) == []
    agree(app, user)
    assert feed(app) == [
        (user.id, "N5", None, "in-training", "consent-given"),
        (user.id, "N4", None, "not-started", "consent-given"),
    ]
    assert [e for e, _ in events(app)] == ["candidate.updated", "candidate.updated"]


def test_the_feed_is_in_id_order_pages_by_cursor_and_hides_who_withdrew(
    app, make_user, make_cohort
) -> None:
    first, second = make_user(Role.TRAINEE), make_user(Role.TRAINEE)
    agree(app, first)
    agree(app, second)
    for level in ("N5", "N4"):
        cohort = make_cohort(target_level=level)
        join(app, first, cohort)
        join(app, second, cohort)
    with app.app_context():
        ids = [c.id for c in status.changes_since(0, 100)]
        assert ids == sorted(ids)
        assert len(ids) == 4 + 4
        page_one = status.changes_since(0, 3)
        page_two = status.changes_since(page_one[-1].id, 100)
        assert [c.id for c in page_one + page_two] == ids
        assert status.changes_since(ids[-1], 100) == []
        consent.withdraw(db.session.get(User, first.id), now=T0)
        db.session.commit()
    assert {row[0] for row in feed(app)} == {second.id}
    agree(app, first, T0 + timedelta(hours=1))  # again: a new snapshot after the cursor
    assert feed(app, ids[-1]) == [
        (first.id, "N5", None, "in-training", "consent-given"),
        (first.id, "N4", None, "in-training", "consent-given"),
    ]


def test_list_and_find_candidates(app, make_user, make_cohort) -> None:
    a = make_user(Role.TRAINEE, external_id="R-1", cnic="3520212345671")
    b = make_user(Role.TRAINEE, external_id="R-2")
    hidden = make_user(Role.TRAINEE, external_id="R-3")
    staff = make_user(Role.INSTRUCTOR)
    n5 = make_cohort(target_level="N5")
    join(app, a, n5)
    join(app, hidden, n5)
    for person in (a, b, staff):
        with app.app_context():  # staff may not consent in the UI; a row still gives nothing
            consent.give(db.session.get(User, person.id), text="t", now=T0)
            db.session.commit()
    with app.app_context():

        def ids(**filters: Any) -> list[int]:
            return [d.user_id for d in views.page(limit=50, **filters)]

        assert ids() == [a.id, b.id]
        assert ids(cohort_id=n5.id) == [a.id]
        assert ids(status="in-training") == [a.id]
        assert ids(status="in-training", level="N4") == []
        assert ids(status="not-started", level="N4") == [a.id, b.id]
        assert ids(level="N5") == [a.id]
        assert ids(after_id=a.id) == [b.id]
        assert [d.user_id for d in views.page(limit=1)] == [a.id]
        assert views.find(hashi_id=a.id).user_id == a.id
        assert views.find(external_id="R-2").user_id == b.id
        assert views.find(cnic="35202-1234567-1").user_id == a.id
        assert views.find(external_id="R-3") is None  # no consent
        assert views.find(hashi_id=staff.id) is None
        with pytest.raises(InvalidCNICError):
            views.find(cnic="12-34")
        with pytest.raises(ValueError, match="exactly one"):
            views.find(hashi_id=a.id, external_id="R-1")


def count_queries(app: Flask):  # type: ignore[no-untyped-def]
    from sqlalchemy import event

    seen: list[str] = []

    def before(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    return seen, lambda: event.remove(db.engine, "before_cursor_execute", before)


def test_the_view_and_the_feed_take_a_handful_of_queries(app, make_user, make_cohort) -> None:
    user = make_user(Role.TRAINEE)
    agree(app, user)
    for _ in range(3):
        join(app, user, make_cohort())
    with app.app_context():
        person = db.session.get(User, user.id)
        seen, stop = count_queries(app)
        view = status.candidate_view(person)
        status.changes_since(0, 1000)
        views.page(status="in-training", level="N4", cohort_id=1, limit=100)
        stop()
        assert len(view["cohorts"]) == 3
        assert len(seen) == 5 + 1 + 1, seen
    with app.app_context():  # the feed and the list filters have their indexes
        if db.engine.dialect.name == "sqlite":
            plan = db.session.execute(
                db.text(
                    "EXPLAIN QUERY PLAN SELECT user_id FROM candidate_statuses "
                    "WHERE level = 'N4' AND status = 'passed'"
                )
            ).all()
            assert "ix_candidate_statuses_level_status_user_id" in str(plan)


def test_a_page_of_views_takes_five_queries_and_matches_one_by_one(
    app, make_user, make_cohort
) -> None:
    people = [make_user(Role.TRAINEE, name=f"P{i}") for i in range(4)]
    for person, level in zip(people, ("N5", "N4", "N5", "N4"), strict=True):
        join(app, person, make_cohort(target_level=level))
    with app.app_context():
        users = [db.session.get(User, p.id) for p in people]
        seen, stop = count_queries(app)
        built = status.candidate_views(users)
        stop()
        assert len(seen) == 5, seen
        assert built == [status.candidate_view(u) for u in users]
        assert [v["status"]["N4"] for v in built] == [
            "not-started", "in-training", "not-started", "in-training",
        ]  # fmt: skip
        assert status.candidate_views([]) == []


def test_feed_ids_are_committed_in_order_when_two_writers_race(app, make_user) -> None:
    """A poller that has read up to an id never looks back, so a writer must not commit an
    id lower than one already visible. On PostgreSQL the second writer waits for the first
    (status.take_feed_turn) instead of committing a higher id before it."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time; the race exists on PostgreSQL")
    first, second = make_user(Role.TRAINEE), make_user(Role.TRAINEE)
    first_wrote, times = threading.Event(), {}

    def agree_slowly() -> None:
        with app.app_context():
            consent.give(db.session.get(User, first.id), text="I agree (test).", now=T0)
            first_wrote.set()
            time.sleep(0.5)  # a slow request: its feed ids are drawn, not yet committed
            times["first committed"] = time.monotonic()
            db.session.commit()

    def agree_meanwhile() -> None:
        first_wrote.wait(5)
        with app.app_context():
            consent.give(db.session.get(User, second.id), text="I agree (test).", now=T0)
            times["second wrote"] = time.monotonic()
            db.session.commit()

    threads = [threading.Thread(target=agree_slowly), threading.Thread(target=agree_meanwhile)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert times["second wrote"] >= times["first committed"]  # it waited its turn
    ids = [(c[0], i) for i, c in enumerate(feed(app))]
    assert [user for user, _ in ids] == [first.id, first.id, second.id, second.id]
