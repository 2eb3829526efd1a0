"""Exam windows: the rules of the exam room's door (networks, access codes), the window
settings staff save, and the staff pages of a cohort (create, edit, close, the window's
candidates) with bad input answered on the fields and other centres kept out.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.exam import windows
from app.extensions import db
from app.models import ExamAttempt, ExamWindow, Role
from tests.conftest import csrf_token, sign_in

T0 = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # 09:00 in Pakistan


# ---- networks and codes ------------------------------------------------------------------


def test_networks_parse_to_canonical_cidrs() -> None:
    assert windows.parse_networks(
        ["203.0.113.0/24", " 2001:DB8::/48 ", "", "198.51.100.7", "203.0.113.0/24"]
    ) == ["203.0.113.0/24", "2001:db8::/48", "198.51.100.7/32"]


@pytest.mark.parametrize(
    "text", ["203.0.113.5/24", "300.1.1.1/8", "lab network", "10.0.0.0/33", "2001:db8::/129"]
)
def test_a_network_that_does_not_parse_is_refused_on_its_field(app: Flask, text: str) -> None:
    with app.app_context(), pytest.raises(windows.WindowError) as refused:
        windows.parse_networks([text])
    assert refused.value.field == "networks"
    assert text in str(refused.value.message)


def window(**fields: object) -> ExamWindow:
    return ExamWindow(networks=fields.pop("networks", []), access_code=fields.pop("code", None))


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("203.0.113.77", True),
        ("203.0.114.1", False),
        ("::ffff:203.0.113.9", True),  # IPv4 seen through an IPv6 socket
        ("2001:db8:0:1::5", True),
        ("2001:db9::1", False),
        ("", False),
        (None, False),
        ("not an address", False),
    ],
)
def test_addresses_inside_the_windows_networks_are_allowed(
    address: str | None, allowed: bool
) -> None:
    room = window(networks=["203.0.113.0/24", "2001:db8::/48"])
    assert windows.address_allowed(room, address) is allowed
    assert windows.address_allowed(window(), address) is True  # no networks: any address


def test_access_codes_are_read_out_and_typed_loosely_but_compared_exactly() -> None:
    code = windows.new_access_code()
    assert len(code) == 6
    assert not set(code) & set("01OIL")
    room = window(code="K7PQ2M")
    assert windows.code_matches(room, "k7pq-2m")
    assert windows.code_matches(room, " K7 PQ 2M ")
    assert not windows.code_matches(room, "K7PQ2")
    assert not windows.code_matches(room, "K7PQ2MX")
    assert not windows.code_matches(room, "")
    assert windows.code_matches(window(), "")  # no code needed


def settings(**fields: object) -> windows.WindowSettings:
    values: dict[str, object] = {
        "level": "N5", "opens_at": T0, "closes_at": T0 + timedelta(hours=3),
    }  # fmt: skip
    values.update(fields)
    return windows.WindowSettings(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"closes_at": T0}, "closes_at"),
        ({"closes_at": T0 - timedelta(days=1)}, "closes_at"),
        ({"level": "N3"}, "level"),
        ({"form_size": "tiny"}, "form_size"),
        ({"wait_days": -1}, "wait_days"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"networks": ["nowhere"]}, "networks"),
    ],
)
def test_window_settings_are_checked_by_the_service(
    app: Flask, make_user, make_cohort, fields: dict, field: str
) -> None:
    actor = make_user(Role.INSTRUCTOR)
    cohort = make_cohort()
    with app.app_context():
        with pytest.raises(windows.WindowError) as refused:
            windows.create_window(actor, cohort.id, settings(**fields))
        assert refused.value.field == field
        assert db.session.scalar(select(ExamWindow.id)) is None


def test_the_access_code_stays_until_a_new_one_is_asked_for(app, make_user, make_cohort) -> None:
    actor = make_user(Role.INSTRUCTOR)
    cohort = make_cohort()
    with app.app_context():
        made = windows.create_window(actor, cohort.id, settings(require_code=True))
        first = made.access_code
        assert first is not None
        windows.update_window(made, settings(require_code=True, wait_days=3))
        assert made.access_code == first
        windows.update_window(made, settings(require_code=True), new_code=True)
        assert made.access_code not in (None, first)
        windows.update_window(made, settings(require_code=False))
        assert made.access_code is None


# ---- staff pages ----------------------------------------------------------------------------


def form_data(client, path: str, **fields: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {
        "level": "N5", "opens_at": "2026-03-02T09:00", "closes_at": "2026-03-02T12:00",
        "form_size": "short", "networks": "", "wait_days": "7", "max_attempts": "2",
        "csrf_token": csrf_token(client, path),
    }  # fmt: skip
    data.update(fields)
    return data


def test_an_instructor_creates_edits_and_closes_a_window(
    app, client, login_as, make_cohort
) -> None:
    instructor = login_as(Role.INSTRUCTOR)
    cohort = make_cohort(instructors=(instructor,))
    base = f"/teach/cohorts/{cohort.id}/windows"
    assert "Exam windows" in client.get(f"/teach/cohorts/{cohort.id}/progress").get_data(
        as_text=True
    )
    assert client.get(base).status_code == 200
    created = client.post(
        f"{base}/new",
        data=form_data(
            client, f"{base}/new", require_code="y", requires_mock="y",
            networks="203.0.113.0/24\n2001:db8::/48",
        ),
    )  # fmt: skip
    assert created.status_code == 302
    with app.app_context():
        made = db.session.scalar(select(ExamWindow))
        assert made.cohort_id == cohort.id
        assert made.created_by_id == instructor.id
        assert made.opens_at == T0  # entered in Pakistan time, stored in UTC
        assert made.closes_at == T0 + timedelta(hours=3)
        assert (made.form_size, made.wait_days, made.max_attempts) == ("short", 7, 2)
        assert made.requires_mock is True
        assert made.networks == ["203.0.113.0/24", "2001:db8::/48"]
        code, window_id = made.access_code, made.id
    assert created.headers["Location"] == f"{base}/{window_id}"
    page = client.get(f"{base}/{window_id}").get_data(as_text=True)
    assert code in page  # the proctor reads it from here
    assert "203.0.113.0/24" in page

    edit = f"{base}/{window_id}/edit"
    assert "2001:db8::/48" in client.get(edit).get_data(as_text=True)
    saved = client.post(edit, data=form_data(client, edit, max_attempts="3", require_code="y"))
    assert saved.status_code == 302
    with app.app_context():
        again = db.session.get(ExamWindow, window_id)
        assert (again.max_attempts, again.access_code, again.networks) == (3, code, [])

    app.config["NOW_OVERRIDE"] = T0 + timedelta(hours=1)
    token = csrf_token(client, f"{base}/{window_id}")
    assert client.post(f"{base}/{window_id}/close", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.get(ExamWindow, window_id).closes_at == T0 + timedelta(hours=1)
    assert client.post(f"{base}/{window_id}/close", data={}).status_code == 400  # no token


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"closes_at": "2026-03-02T08:00"}, "The window must close after it opens."),
        ({"networks": "10.0.0.1/8"}, "is not a network address"),
        ({"level": "N3"}, "Not a valid choice"),
        ({"opens_at": "tomorrow"}, "Not a valid datetime value."),
        ({"closes_at": ""}, "Enter a date and time."),
        ({"max_attempts": "0"}, "Enter a number from 1 to 10."),
        ({"wait_days": "many"}, "Not a valid integer value."),
        ({"networks": "x" * 5000}, "Use at most 4000 characters."),
    ],
)
def test_bad_window_input_is_answered_on_the_form(
    app, client, login_as, make_cohort, fields: dict, message: str
) -> None:
    login_as(Role.CENTRE_ADMIN)
    path = f"/teach/cohorts/{make_cohort().id}/windows/new"
    response = client.post(path, data=form_data(client, path, **fields))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert "is-invalid" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ExamWindow.id)) is None


def test_other_centres_and_trainees_are_kept_out(
    app, client, login_as, make_user, make_centre, make_cohort
) -> None:
    elsewhere = make_cohort(centre_=make_centre("Karachi Centre"))
    with app.app_context():
        other = windows.create_window(make_user(Role.INSTRUCTOR), elsewhere.id, settings())
        db.session.commit()
        other_id = other.id
    mine = make_cohort()
    login_as(Role.INSTRUCTOR)
    base = f"/teach/cohorts/{elsewhere.id}/windows"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/{other_id}").status_code == 404
    assert client.get(f"/teach/cohorts/{mine.id}/windows/{other_id}").status_code == 404
    assert client.get(f"/teach/cohorts/{mine.id}/windows/{other_id}/edit").status_code == 404

    trainee = make_user(Role.TRAINEE)
    pupil = app.test_client()
    sign_in(pupil, trainee.email)
    assert pupil.get(f"/teach/cohorts/{mine.id}/windows").status_code == 403


def test_the_window_page_lists_candidates_and_only_admins_may_invalidate(
    app, client, login_as, make_user, make_cohort
) -> None:
    instructor = login_as(Role.INSTRUCTOR)
    amina = make_user(Role.TRAINEE, name="Amina Khan")
    bilal = make_user(Role.TRAINEE, name="Bilal Ahmed")
    cohort = make_cohort(trainees=(amina, bilal), instructors=(instructor,))
    with app.app_context():
        made = windows.create_window(instructor, cohort.id, settings())
        attempt = ExamAttempt(
            user_id=amina.id, level="N5", kind="certification", status="finished", seed=1,
            form=[], section_log=[], started_at=T0, finished_at=T0, passed=False,
            window_id=made.id,
            scores={"groups": {"knowledge-reading": {"scaled": 50}, "listening": {"scaled": 20}},
                    "total": 70, "sections": {}, "pass_mark": 80},
        )  # fmt: skip
        db.session.add(attempt)
        db.session.commit()
        window_id, attempt_id = made.id, attempt.id
    path = f"/teach/cohorts/{cohort.id}/windows/{window_id}"
    page = client.get(path).get_data(as_text=True)
    assert "Amina Khan" in page
    assert "Bilal Ahmed" in page
    assert "No attempt yet" in page
    assert ">70<" in page
    assert "Invalidate the attempt" not in page  # instructors see, admins act
    token = csrf_token(client, path)
    refused = client.post(
        f"{path}/attempts/{attempt_id}/invalidate", data={"reason": "x", "csrf_token": token}
    )
    assert refused.status_code == 403

    admin = make_user(Role.CENTRE_ADMIN)
    office = app.test_client()
    sign_in(office, admin.email)
    assert "Invalidate the attempt of Amina Khan" in office.get(path).get_data(as_text=True)
    token = csrf_token(office, path)
    missing = office.post(
        f"{path}/attempts/{attempt_id + 99}/invalidate", data={"reason": "x", "csrf_token": token}
    )
    assert missing.status_code == 404
    too_long = office.post(
        f"{path}/attempts/{attempt_id}/invalidate", data={"reason": "x" * 501, "csrf_token": token}
    )
    assert too_long.status_code == 422
    assert "Use at most 500 characters." in too_long.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ExamAttempt, attempt_id).status == "finished"
