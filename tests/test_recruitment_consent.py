"""Consent over HTTP: offered on the home page after joining and on the account page,
given with the exact words shown, withdrawn (hidden from the API at once), agreed again
as a new row; the recruiter-view page shows exactly what the API returns."""

from __future__ import annotations

import html
import json
import re

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, Consent, Role, User
from app.recruitment import consent, status, views
from tests.conftest import csrf_token


def consents(app: Flask, user_id: int) -> list[Consent]:
    with app.app_context():
        rows = db.session.scalars(
            select(Consent).where(Consent.user_id == user_id).order_by(Consent.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def agree(client, **extra):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/account/sharing")
    return client.post("/account/sharing", data={"agree": "y", "csrf_token": token, **extra})


def test_home_offers_sharing_after_joining_until_agreed(client, login_as, make_cohort) -> None:
    user = login_as(Role.TRAINEE)
    assert "Share your results with the recruitment system?" not in client.get("/home").text
    make_cohort(trainees=(user,))
    home = client.get("/home").text
    assert "Share your results with the recruitment system?" in home
    assert "/account/sharing?next=/home" in home
    assert agree(client, next="/home").headers["Location"] == "/home"
    assert "Share your results with the recruitment system?" not in client.get("/home").text


def test_giving_stores_the_exact_text_shown_and_is_idempotent(app, client, login_as) -> None:
    user = login_as(Role.TRAINEE)
    page = client.get("/account/sharing").text
    shown = re.search(r'<blockquote[^>]*id="consent-text">(.*?)</blockquote>', page, re.S)
    assert shown
    assert "withdraw this agreement at any time" in html.unescape(shown.group(1))
    response = agree(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/recruiter-view"
    assert agree(client).status_code == 302  # a replay is not a second agreement
    rows = consents(app, user.id)
    assert len(rows) == 1
    assert rows[0].text == html.unescape(shown.group(1))
    assert rows[0].purpose == "share-with-recruiter"
    assert rows[0].withdrawn_at is None
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
        assert actions == ["consent.given"]


def test_an_unticked_box_or_a_forged_form_is_refused(app, client, login_as) -> None:
    user = login_as(Role.TRAINEE)
    token = csrf_token(client, "/account/sharing")
    response = client.post("/account/sharing", data={"csrf_token": token})
    assert response.status_code == 422
    assert "Tick the box to agree." in response.text
    assert client.post("/account/sharing", data={"agree": "y"}).status_code == 400  # no CSRF
    assert client.post("/account/sharing/withdraw", data={}).status_code == 400
    assert agree(client, next="//evil.example/x").headers["Location"] == "/account/recruiter-view"
    assert len(consents(app, user.id)) == 1


def test_withdraw_hides_at_once_and_agreeing_again_is_a_new_row(
    app, client, login_as, make_user
) -> None:
    user = login_as(Role.TRAINEE, external_id="R-77")
    agree(client)
    with app.app_context():
        assert views.find(external_id="R-77") is not None
    token = csrf_token(client, "/account/sharing")
    response = client.post("/account/sharing/withdraw", data={"csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        assert views.find(external_id="R-77") is None
        assert views.page(limit=10) == []
        assert status.changes_since(0, 10) == []
    page = client.get("/account/sharing").text
    assert "You have not agreed" in page
    assert "withdrawn on" in page
    agree(client)
    rows = consents(app, user.id)
    assert len(rows) == 2
    assert rows[0].withdrawn_at is not None
    assert rows[1].withdrawn_at is None
    with app.app_context():
        assert views.find(external_id="R-77").user_id == user.id


def test_only_trainees_have_these_pages(client, login_as) -> None:
    assert client.get("/account/sharing").status_code == 302  # to sign in
    login_as(Role.INSTRUCTOR)
    assert client.get("/account/sharing").status_code == 403
    assert client.get("/account/recruiter-view").status_code == 403


def test_the_recruiter_view_is_the_api_view(app, client, login_as, make_cohort) -> None:
    user = login_as(Role.TRAINEE, name="Ayesha Khan", external_id="R-9")
    make_cohort("Batch 3", trainees=(user,))
    page = client.get("/account/recruiter-view").text
    assert "Nothing: you have not agreed to share your results." in page
    assert "raw-json" not in page
    agree(client)
    page = client.get("/account/recruiter-view").text
    raw = re.search(r'<code id="raw-json">(.*?)</code>', page, re.S)
    assert raw
    shown = json.loads(html.unescape(raw.group(1)))
    with app.app_context():
        expected = status.candidate_view(db.session.get(User, user.id))
    assert shown == expected
    assert shown["name"] == "Ayesha Khan"
    assert shown["external_id"] == "R-9"
    assert shown["status"] == {"N5": "in-training", "N4": "in-training"}
    assert shown["cohorts"][0]["name"] == "Batch 3"
    assert "password" not in raw.group(1)
    assert "cnic" not in raw.group(1)
    assert 'data-status="in-training"' in page
    account = client.get("/account").text
    assert "You share your results with the recruitment system" in account


def consent_now(app: Flask):  # type: ignore[no-untyped-def]
    from app.learning.clock import now

    return now()


def test_consent_service_withdraw_without_consent_is_false(app, make_user) -> None:
    user = make_user(Role.TRAINEE)
    with app.app_context():
        person = db.session.get(User, user.id)
        assert consent.withdraw(person, now=consent_now(app)) is False
        assert consent.current(user.id) is None
