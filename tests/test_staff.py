"""Admins create staff; staff create cohorts and hand out join codes and password links."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Cohort, PasswordReset, Role, User
from app.models._columns import utcnow
from tests.conftest import csrf_token, sign_in

NEW_PASSWORD = "a brand new password"


def reset_link_path(page: str) -> str:
    link = re.search(r'value="https?://[^/"]+(/reset/[^"]+)" data-testid="reset-link"', page)
    assert link, "no password link on the page"
    return link.group(1)


def test_an_admin_creates_an_instructor_who_sets_a_password_and_signs_in(
    app, client, login_as, centre
) -> None:
    login_as(Role.PROGRAMME_ADMIN)
    form = {
        "name": "Usman Tariq",
        "email": "usman@example.org",
        "role": "instructor",
        "centre": str(centre.id),
        "csrf_token": csrf_token(client, "/admin/users/new"),
    }
    page = client.post("/admin/users/new", data=form).get_data(as_text=True)
    assert "Account created for Usman Tariq" in page
    path = reset_link_path(page)

    client.post("/logout", data={"csrf_token": csrf_token(client, "/about")})
    token = csrf_token(client, path)
    done = client.post(
        path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token}
    )
    assert done.headers["Location"] == "/login"
    assert sign_in(client, "usman@example.org", NEW_PASSWORD).status_code == 302
    assert client.get("/teach/").status_code == 200
    # The link worked once and is spent now.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/about")})
    again = client.get(path)
    assert again.status_code == 404
    assert "This link is not valid any more." in again.get_data(as_text=True)


def test_duplicate_staff_email_is_refused(client, login_as, make_user, centre) -> None:
    existing = make_user(Role.INSTRUCTOR)
    login_as(Role.CENTRE_ADMIN)
    form = {
        "name": "Someone",
        "email": existing.email,
        "role": "instructor",
        "centre": str(centre.id),
        "csrf_token": csrf_token(client, "/admin/users/new"),
    }
    page = client.post("/admin/users/new", data=form).get_data(as_text=True)
    assert "An account with this email already exists." in page


def test_a_centre_admin_cannot_create_programme_admins(client, login_as, centre) -> None:
    login_as(Role.CENTRE_ADMIN)
    form = {
        "name": "Sneaky",
        "email": "sneaky@example.org",
        "role": "programme_admin",
        "centre": str(centre.id),
        "csrf_token": csrf_token(client, "/admin/users/new"),
    }
    page = client.post("/admin/users/new", data=form).get_data(as_text=True)
    assert "Not a valid choice." in page


def test_an_instructor_issues_a_password_link_for_a_trainee(
    app, client, make_user, login_as, make_cohort
) -> None:
    trainee = make_user(Role.TRAINEE, email="forgetful@example.org")
    login_as(Role.INSTRUCTOR)
    cohort = make_cohort(trainees=(trainee,))
    token = csrf_token(client, f"/teach/cohorts/{cohort.id}")
    page = client.post(f"/teach/users/{trainee.id}/password-link", data={"csrf_token": token})
    path = reset_link_path(page.get_data(as_text=True))
    with app.app_context():
        reset = db.session.scalar(select(PasswordReset))
        assert reset.token_hash not in path  # only a hash is stored
        assert path.rsplit("/", 1)[1] not in reset.token_hash


def test_an_instructor_cannot_reset_an_admin(client, make_user, login_as) -> None:
    admin = make_user(Role.CENTRE_ADMIN)
    login_as(Role.INSTRUCTOR)
    token = csrf_token(client, "/teach/")
    response = client.post(f"/teach/users/{admin.id}/password-link", data={"csrf_token": token})
    assert response.status_code == 403


def test_a_password_reset_signs_the_account_out_everywhere(app, make_user) -> None:
    user = make_user(Role.TRAINEE)
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, user.email)
    assert phone.get("/home").status_code == 200
    with app.app_context():
        from app.accounts.services import complete_password_reset, issue_password_reset

        admin = User(email="boss@example.org", name="Boss", role=Role.PROGRAMME_ADMIN)
        db.session.add(admin)
        token = issue_password_reset(admin, db.session.get(User, user.id), hours=1)
        complete_password_reset(token, NEW_PASSWORD)
        db.session.commit()
    assert phone.get("/home").status_code == 302  # the old session is gone
    assert sign_in(laptop, user.email, NEW_PASSWORD).status_code == 302


def test_an_expired_password_link_is_refused(app, make_user) -> None:
    user = make_user()
    with app.app_context():
        from app.lib.tokens import hash_token

        db.session.add(
            PasswordReset(
                user_id=user.id,
                token_hash=hash_token("old-token"),
                expires_at=utcnow() - timedelta(minutes=1),
            )
        )
        db.session.commit()
    response = app.test_client().get("/reset/old-token")
    assert response.status_code == 404


def cohort_form(client, **overrides: str) -> dict[str, str]:
    data = {
        "name": "Batch 12",
        "target_level": "N4",
        "starts_on": date.today().isoformat(),
        "ends_on": (date.today() + timedelta(days=200)).isoformat(),
        "code_days": "14",
        "csrf_token": csrf_token(client, "/teach/cohorts/new"),
    }
    data.update(overrides)
    return data


def test_an_instructor_creates_a_cohort_and_gets_a_join_code(app, client, login_as, centre) -> None:
    instructor = login_as(Role.INSTRUCTOR, name="Nadia Hussain")
    response = client.post("/teach/cohorts/new", data=cohort_form(client, centre=str(centre.id)))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Batch 12"))
        assert cohort.centre_id == centre.id
        assert [u.id for u in cohort.instructors] == [instructor.id]  # its creator runs it
        assert timedelta(days=13) < cohort.join_code_expires_at - utcnow() <= timedelta(days=14)
    assert cohort.join_code_display in page
    assert "Nadia Hussain" in page


def test_cohort_dates_and_names_are_checked(client, login_as, make_cohort, centre) -> None:
    login_as(Role.INSTRUCTOR)
    make_cohort("Batch 12")
    backwards = cohort_form(client, centre=str(centre.id), ends_on="2020-01-01")
    assert "The end date must be after the start date." in client.post(
        "/teach/cohorts/new", data=backwards
    ).get_data(as_text=True)
    duplicate = cohort_form(client, centre=str(centre.id))
    assert "already has a cohort with this name" in client.post(
        "/teach/cohorts/new", data=duplicate
    ).get_data(as_text=True)
    bad_days = cohort_form(client, centre=str(centre.id), name="Other", code_days="0")
    assert "Enter a number from 1 to 365." in client.post(
        "/teach/cohorts/new", data=bad_days
    ).get_data(as_text=True)


def test_a_new_join_code_replaces_the_old_one(app, client, login_as, make_cohort) -> None:
    login_as(Role.INSTRUCTOR)
    cohort = make_cohort()
    token = csrf_token(client, f"/teach/cohorts/{cohort.id}")
    client.post(f"/teach/cohorts/{cohort.id}/join-code", data={"days": "7", "csrf_token": token})
    with app.app_context():
        renewed = db.session.get(Cohort, cohort.id)
        assert renewed.join_code != cohort.join_code
    anonymous = app.test_client()
    form = {
        "join_code": cohort.join_code,
        "name": "Late Comer",
        "email": "late@example.org",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        "csrf_token": csrf_token(anonymous, "/join"),
    }
    assert "This join code does not exist." in anonymous.post("/join", data=form).get_data(
        as_text=True
    )


def test_programme_admin_adds_a_centre(client, login_as) -> None:
    login_as(Role.PROGRAMME_ADMIN)
    token = csrf_token(client, "/admin/centres")
    client.post(
        "/admin/centres", data={"name": "Peshawar Centre", "city": "Peshawar", "csrf_token": token}
    )
    assert "Peshawar Centre" in client.get("/admin/centres").get_data(as_text=True)
    again = client.post("/admin/centres", data={"name": "Peshawar  Centre", "csrf_token": token})
    assert "A centre with this name already exists." in again.get_data(as_text=True)
