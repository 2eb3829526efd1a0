"""Role checks on every staff route, and centre staff confined to their own centre."""

from __future__ import annotations

import pytest
from flask import Flask

from app.models import Role
from tests.conftest import csrf_token, make_app, sign_in

STAFF_PREFIXES = ("/teach", "/admin")


def staff_routes(app: Flask) -> list[tuple[str, str]]:
    """Every (method, concrete path) under the staff areas, found from the URL map so a
    new route is covered the moment it is added."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(STAFF_PREFIXES):
            continue
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "1")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, path))
    return routes


ROUTES = staff_routes(make_app("sqlite://"))
ADMIN_ROUTES = [(m, p) for m, p in ROUTES if p.startswith("/admin")]


def test_the_staff_areas_have_routes_to_check() -> None:
    assert len(ROUTES) >= 8
    assert ("GET", "/teach/") in ROUTES
    assert ("POST", "/admin/users/new") in ROUTES


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_trainee_gets_403_on_every_staff_route(
    client, login_as, make_cohort, method, path
) -> None:
    trainee = login_as(Role.TRAINEE)
    make_cohort(trainees=(trainee,))
    token = csrf_token(client, "/account")
    response = client.open(path, method=method, data={"csrf_token": token})
    assert response.status_code == 403
    assert "You do not have access to this page." in response.get_data(as_text=True)


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(client, method, path) -> None:
    response = client.open(path, method=method)
    assert response.status_code in (302, 400)  # a POST without a CSRF token stops earlier
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_an_instructor_gets_403_on_admin_routes(client, login_as, method, path) -> None:
    login_as(Role.INSTRUCTOR)
    token = csrf_token(client, "/account")
    assert client.open(path, method=method, data={"csrf_token": token}).status_code == 403


def test_only_programme_admins_manage_centres(client, login_as) -> None:
    login_as(Role.CENTRE_ADMIN)
    assert client.get("/admin/centres").status_code == 403


def test_centre_staff_see_only_their_centre(
    client, make_user, make_cohort, make_centre, centre
) -> None:
    other = make_centre("Islamabad Centre")
    ours = make_cohort("Lahore batch")
    theirs = make_cohort("Islamabad batch", centre_=other)
    make_user(Role.INSTRUCTOR, name="Other Centre Instructor", centre_=other)
    for role in (Role.INSTRUCTOR, Role.CENTRE_ADMIN):
        viewer = make_user(role)
        client.post("/logout", data={"csrf_token": csrf_token(client, "/about")})
        sign_in(client, viewer.email)
        listing = client.get("/teach/").get_data(as_text=True)
        assert "Lahore batch" in listing
        assert "Islamabad batch" not in listing
        assert client.get(f"/teach/cohorts/{ours.id}").status_code == 200
        assert client.get(f"/teach/cohorts/{theirs.id}").status_code == 404
    people = client.get("/admin/").get_data(as_text=True)  # signed in as the centre admin
    assert "Other Centre Instructor" not in people


def test_a_programme_admin_sees_every_centre(client, login_as, make_cohort, make_centre) -> None:
    make_cohort("Lahore batch")
    make_cohort("Islamabad batch", centre_=make_centre("Islamabad Centre"))
    login_as(Role.PROGRAMME_ADMIN)
    listing = client.get("/teach/").get_data(as_text=True)
    assert "Lahore batch" in listing
    assert "Islamabad batch" in listing
