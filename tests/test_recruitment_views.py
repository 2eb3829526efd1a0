"""The stored candidate documents (app/recruitment/views.py) against the facts: every kind
of change a document is made of rebuilds it in the same commit, a rollback leaves it as
it was, a missing one is built on request, and the API sends it with an ETag that
answers 304 while it is current. Two refreshes of one candidate racing on PostgreSQL
record one change, not two.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import delete, func, select

from app.accounts import services as accounts
from app.api import keys as api_keys
from app.extensions import db
from app.models import (
    CandidateView,
    Cohort,
    CohortMembership,
    ExternalResult,
    Role,
    StatusChange,
    User,
)
from app.organisation import services as organisation
from app.recruitment import consent, status, views
from tests.test_mock_exam import T0


def agree(app: Flask, user: User) -> None:
    with app.app_context():
        consent.give(db.session.get(User, user.id), text="I agree (test).", now=T0)
        db.session.commit()


def document(app: Flask, user_id: int) -> dict:  # type: ignore[type-arg]
    """The stored document, checked against one built afresh from the facts."""
    with app.app_context():
        stored = db.session.get(CandidateView, user_id)
        assert stored is not None, "no stored document"
        fresh = views.build([user_id])[0]
        assert stored.body == fresh.body, "the stored document is stale"
        assert stored.etag == fresh.etag
        return views.Stored(user_id, stored.body, stored.etag).data()


def together(*actions: Callable[[], None]) -> None:
    """Run ``actions`` in threads at once and wait for them all (at most 10 s each)."""
    threads = [threading.Thread(target=action) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)


@pytest.fixture
def candidate(app: Flask, make_user, make_cohort) -> User:  # type: ignore[no-untyped-def]
    user = make_user(Role.TRAINEE, name="Bilal Ahmed", external_id="RS-1")
    agree(app, user)
    cohort = make_cohort("Lahore Spring", target_level="N5")
    with app.app_context():
        accounts.add_to_cohort(db.session.get(User, user.id), db.session.get(Cohort, cohort.id))
        db.session.commit()
    return user


def test_a_new_trainee_has_a_document_and_staff_have_none(app, make_user, candidate) -> None:
    staff = make_user(Role.INSTRUCTOR)
    data = document(app, candidate.id)
    assert (data["name"], data["external_id"]) == ("Bilal Ahmed", "RS-1")
    assert [c["name"] for c in data["cohorts"]] == ["Lahore Spring"]
    assert data["status"]["N5"] == "in-training"
    with app.app_context():
        assert db.session.get(CandidateView, staff.id) is None


def test_name_and_external_id_changes_are_in_the_document(app, candidate) -> None:
    with app.app_context():
        person = db.session.get(User, candidate.id)
        person.name, person.external_id = "Bilal A. Khan", "RS-2"
        db.session.commit()
    data = document(app, candidate.id)
    assert (data["name"], data["external_id"]) == ("Bilal A. Khan", "RS-2")


def test_a_renamed_cohort_changes_every_members_document(app, make_user, candidate) -> None:
    other = make_user(Role.TRAINEE)
    with app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Lahore Spring"))
        accounts.add_to_cohort(db.session.get(User, other.id), cohort)
        db.session.commit()
    with app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Lahore Spring"))
        cohort.name, cohort.target_level = "Lahore Autumn", "N4"
        db.session.commit()
    for person in (candidate, other):
        cohorts = document(app, person.id)["cohorts"]
        assert [(c["name"], c["target_level"]) for c in cohorts] == [("Lahore Autumn", "N4")]


def test_removal_from_a_cohort_and_deleting_a_cohort_leave_the_document(
    app, make_user, make_cohort, candidate
) -> None:
    admin = make_user(Role.CENTRE_ADMIN)
    second = make_cohort("Karachi", trainees=(candidate,), target_level="N5")
    with app.app_context():
        place = db.session.scalar(
            select(CohortMembership).where(
                CohortMembership.user_id == candidate.id, CohortMembership.cohort_id == second.id
            )
        )
        organisation.remove_trainee(db.session.get(User, admin.id), place)
        db.session.commit()
    assert [c["name"] for c in document(app, candidate.id)["cohorts"]] == ["Lahore Spring"]
    with app.app_context():
        db.session.delete(db.session.scalar(select(Cohort).where(Cohort.name == "Lahore Spring")))
        db.session.commit()
    assert document(app, candidate.id)["cohorts"] == []


def test_outside_results_added_and_deleted_show_at_once(app, candidate) -> None:
    with app.app_context():
        result = ExternalResult(
            user_id=candidate.id, exam="JLPT", level="N5", taken_on=date(2026, 7, 5),
            certificate_number="N5-7654321", scan_name="x.png", scan_type="image/png",
            scan_size=10, created_at=T0,
        )  # fmt: skip
        db.session.add(result)
        db.session.commit()
        result_id = result.id
    shown = document(app, candidate.id)["external_results"]
    assert [(r["id"], r["verification"]) for r in shown] == [(result_id, "self-reported")]
    with app.app_context():
        db.session.execute(delete(ExternalResult))  # not through the ORM: no event sees it
        views.mark_stale(db.session(), [candidate.id])  # ... so the writer says so
        db.session.commit()
    assert document(app, candidate.id)["external_results"] == []


def test_a_rolled_back_change_leaves_the_document(app, candidate) -> None:
    with app.app_context():
        before = db.session.get(CandidateView, candidate.id).etag
        person = db.session.get(User, candidate.id)
        person.name = "Never Saved"
        db.session.flush()
        db.session.rollback()
        assert not db.session.info.get(views.STALE)  # forgotten with the transaction
    data = document(app, candidate.id)
    assert data["name"] == "Bilal Ahmed"
    with app.app_context():
        assert db.session.get(CandidateView, candidate.id).etag == before


def test_a_missing_document_is_built_on_request(app, client, candidate) -> None:
    with app.app_context():
        expected = views.build([candidate.id])[0]
        db.session.execute(delete(CandidateView))
        issued = api_keys.create("Recruiter", ["candidates:read"], now=T0, actor_id=None)
        db.session.commit()
    headers = {"Authorization": f"Bearer {issued.text}"}
    response = client.get(f"/api/v1/candidates/{candidate.id}", headers=headers)
    assert response.status_code == 200
    assert response.get_data(as_text=True).strip() == expected.body
    listed = client.get("/api/v1/candidates", headers=headers).get_json()
    assert listed["candidates"] == [expected.data()]
    with app.app_context():  # a GET writes nothing; the refresh command fills them
        assert db.session.scalar(select(func.count()).select_from(CandidateView)) == 0
        assert views.rebuild_all() == 1
        db.session.commit()
    document(app, candidate.id)


def test_the_api_sends_the_document_with_an_etag_that_answers_304(app, client, candidate) -> None:
    with app.app_context():
        issued = api_keys.create("Recruiter", ["candidates:read"], now=T0, actor_id=None)
        db.session.commit()
    headers = {"Authorization": f"Bearer {issued.text}"}
    first = client.get(f"/api/v1/candidates/{candidate.id}", headers=headers)
    assert first.status_code == 200
    assert first.mimetype == "application/json"
    assert first.get_json() == document(app, candidate.id)
    etag = first.headers["ETag"]
    again = client.get(
        f"/api/v1/candidates/{candidate.id}", headers={**headers, "If-None-Match": etag}
    )
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    weak = client.get(
        f"/api/v1/candidates/{candidate.id}", headers={**headers, "If-None-Match": f"W/{etag}"}
    )
    assert weak.status_code == 304
    with app.app_context():
        db.session.get(User, candidate.id).name = "Bilal A. Khan"
        db.session.commit()
    changed = client.get(
        f"/api/v1/candidates/{candidate.id}", headers={**headers, "If-None-Match": etag}
    )
    assert changed.status_code == 200
    assert changed.get_json()["name"] == "Bilal A. Khan"
    assert changed.headers["ETag"] != etag


def test_two_refreshes_racing_record_one_change(app, make_user, make_cohort) -> None:
    """Two joins of one candidate at once: without the row lock both read not-started and
    both record the change to in-training; without ON CONFLICT the first refresh of a
    candidate with no stored rows would fail on the unique (user, level)."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time; the race exists on PostgreSQL")
    user = make_user(Role.TRAINEE)
    agree(app, user)
    cohorts = [make_cohort(f"Race {n}", target_level="N5") for n in range(2)]
    first_wrote, errors = threading.Event(), []

    def join(cohort: Cohort, slow: bool) -> None:
        try:
            if not slow:
                first_wrote.wait(5)
            with app.app_context():
                accounts.add_to_cohort(
                    db.session.get(User, user.id), db.session.get(Cohort, cohort.id)
                )
                if slow:
                    first_wrote.set()
                    time.sleep(0.5)  # a slow request holding its changes uncommitted
                db.session.commit()
        except Exception as error:
            errors.append(error)

    together(lambda: join(cohorts[0], True), lambda: join(cohorts[1], False))
    assert errors == []
    with app.app_context():
        changes = db.session.execute(
            select(StatusChange.level, StatusChange.old_status, StatusChange.new_status)
            .where(StatusChange.user_id == user.id, StatusChange.old_status.is_not(None))
        ).all()  # fmt: skip
    assert changes == [("N5", "not-started", "in-training")]
    assert len(document(app, user.id)["cohorts"]) == 2


def test_the_first_refreshes_of_a_new_candidate_do_not_collide(app, make_user, make_cohort) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time; the race exists on PostgreSQL")
    user = make_user(Role.TRAINEE)  # no consent: no status rows stored yet
    cohorts = [make_cohort(f"First {n}", target_level="N5") for n in range(2)]
    barrier, errors = threading.Barrier(2), []

    def join(cohort: Cohort) -> None:
        try:
            with app.app_context():
                person, place = db.session.get(User, user.id), db.session.get(Cohort, cohort.id)
                barrier.wait(5)
                accounts.add_to_cohort(person, place)
                time.sleep(0.2)
                db.session.commit()
        except Exception as error:
            errors.append(error)

    together(*(lambda c=c: join(c) for c in cohorts))
    assert errors == []
    with app.app_context():
        assert status.compute(user.id, now=T0)["N5"] == "in-training"
        rows = db.session.scalar(
            select(func.count())
            .select_from(status.CandidateStatus)
            .where(status.CandidateStatus.user_id == user.id)
        )
    assert rows == 2
