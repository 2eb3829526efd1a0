"""Trainees join a cohort with the code their instructor hands out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import CohortMembership, Role, User
from tests.conftest import PASSWORD, csrf_token, sign_in


def join_form(client, code: str, **overrides: str) -> dict[str, str]:
    data = {
        "join_code": code,
        "name": "Hamza Iqbal",
        "email": "hamza@example.org",
        "cnic": "35202-1234567-1",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "csrf_token": csrf_token(client, "/join"),
    }
    data.update(overrides)
    return data


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def test_a_new_trainee_joins_with_a_code_and_is_signed_in(app, client, make_cohort, centre) -> None:
    cohort = make_cohort("Batch 7")
    typed = cohort.join_code.lower()[:4] + "-" + cohort.join_code.lower()[4:]  # as people type it
    response = client.post("/join", data=join_form(client, typed))
    assert response.status_code == 302
    home = client.get("/home").get_data(as_text=True)
    assert "Batch 7" in home
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "hamza@example.org"))
        assert user.role is Role.TRAINEE
        assert user.centre_id == centre.id
        assert user.cnic == "3520212345671"
        assert user.cnic_display == "35202-1234567-1"
        assert [m.cohort_id for m in user.memberships] == [cohort.id]


def test_the_join_link_can_carry_the_code(client, make_cohort) -> None:
    cohort = make_cohort()
    page = client.get(f"/join?code={cohort.join_code}").get_data(as_text=True)
    assert f'value="{cohort.join_code}"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("join_code", "ZZZZ-9999", "This join code does not exist."),
        ("cnic", "12345-678", "A CNIC has 13 digits"),
        ("name", "x" * 121, "Use at most 120 characters."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("confirm", "something else", "The two passwords differ."),
        ("password", "short", "Use between 8 and 128 characters."),
        ("join_code", "", "This field is required."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    app, client, make_cohort, field, value, message
) -> None:
    cohort = make_cohort()
    before = count_users(app)
    overrides = {field: value}
    if field == "password":
        overrides["confirm"] = value
    response = client.post("/join", data=join_form(client, cohort.join_code, **overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count_users(app) == before


def test_an_expired_code_is_refused(app, client, make_cohort) -> None:
    cohort = make_cohort(expires_in=timedelta(minutes=-1))
    response = client.post("/join", data=join_form(client, cohort.join_code))
    assert "This join code has expired. Ask your instructor for a new one." in response.get_data(
        as_text=True
    )
    assert count_users(app) == 0


def test_a_duplicate_email_is_refused_without_saving_anything(
    app, client, make_cohort, make_user
) -> None:
    cohort = make_cohort()
    existing = make_user(email="hamza@example.org")
    response = client.post(
        "/join", data=join_form(client, cohort.join_code, email="Hamza@Example.org")
    )
    assert "An account with this email already exists. Sign in instead." in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(CohortMembership.id))) == 0
        assert db.session.get(User, existing.id).name == existing.name


def test_a_cnic_registered_to_someone_else_is_refused(app, client, make_cohort, make_user) -> None:
    cohort = make_cohort()
    make_user(cnic="3520212345671")
    response = client.post("/join", data=join_form(client, cohort.join_code))
    assert "This CNIC is already registered" in response.get_data(as_text=True)
    assert count_users(app) == 1


def test_a_signed_in_trainee_joins_another_cohort_once(app, client, make_user, make_cohort) -> None:
    trainee = make_user(Role.TRAINEE)
    first, second = make_cohort("Morning batch", trainees=(trainee,)), make_cohort("Evening batch")
    sign_in(client, trainee.email)
    token = csrf_token(client, "/join")
    response = client.post("/join", data={"join_code": second.join_code, "csrf_token": token})
    assert response.status_code == 302
    again = client.post("/join", data={"join_code": second.join_code, "csrf_token": token})
    assert "You are already in this cohort." in again.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, trainee.id)
        assert sorted(m.cohort_id for m in user.memberships) == sorted([first.id, second.id])


def test_a_trainee_cannot_join_a_cohort_at_another_centre(
    client, make_user, make_cohort, make_centre
) -> None:
    trainee = make_user(Role.TRAINEE)
    elsewhere = make_cohort(centre_=make_centre("Karachi Centre"))
    sign_in(client, trainee.email)
    response = client.post(
        "/join", data={"join_code": elsewhere.join_code, "csrf_token": csrf_token(client, "/join")}
    )
    assert "This code is for a cohort at another training centre." in response.get_data(
        as_text=True
    )


def test_staff_are_told_join_codes_are_for_trainees(client, login_as) -> None:
    login_as(Role.INSTRUCTOR)
    assert "Join codes are for trainees" in client.get("/join").get_data(as_text=True)
