"""The disputed-gradings queue: accept publishes the answer and re-grades, reject needs a
note, and only the staff who see a trainee's centre decide their disputes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.learning import answering, practice
from app.models import ContentVersion, Dispute, Item, Response, Role, User
from app.models.versions import ITEM, PUBLISHED
from tests.conftest import csrf_token, sign_in

SENTENCE = "n5-wa-desu-002"  # accepted: ["(私は)学生です。"]
CHOICE = "n5-wa-desu-001"  # options は を に で, key は
PLAIN = "学生だ"  # plain form: the checker says it is not polite enough


def answered(app, user: User, item_id: str, given: object, *, disputed: str | None = None) -> int:
    """A trainee answers one item in a new lesson session (and disputes it): the response id."""
    with app.app_context():
        trainee = db.session.get(User, user.id)
        session = practice.start_lesson_session(trainee, "n5-grammar-wa-desu")
        graded = answering.answer(trainee, session.id, item_id, given, client_key="k")
        assert graded.response.correct is False
        if disputed is not None:
            practice.dispute(trainee, graded.response.id, disputed)
        db.session.commit()
        return graded.response.id


def dispute_of(app, response_id: int) -> Dispute:
    with app.app_context():
        return db.session.scalar(select(Dispute).where(Dispute.response_id == response_id))


def decide(client, dispute_id: int, decision: str, note: str = "", item_id: str = SENTENCE):
    token = csrf_token(client, "/account")
    return client.post(
        f"/teach/disputes/{dispute_id}/{decision}",
        data={"csrf_token": token, "note": note, "item_id": item_id},
    )


def test_accept_publishes_the_answer_and_regrades_past_answers(
    app, client, login_as, make_user, small_curriculum
) -> None:
    first, second, third, fourth = (make_user(Role.TRAINEE) for _ in range(4))
    a = answered(app, first, SENTENCE, PLAIN, disputed="plain is fine")
    b = answered(app, second, SENTENCE, f" {PLAIN}", disputed="me too")  # same once trimmed
    c = answered(app, third, SENTENCE, PLAIN)  # not disputed, re-graded all the same
    d = answered(app, fourth, SENTENCE, "先生です。", disputed="close enough")  # stays wrong
    with app.app_context():
        before = db.session.get(Item, SENTENCE).version
        old_feedback = db.session.get(Response, a).feedback
    login_as(Role.INSTRUCTOR)

    queue = client.get("/teach/disputes").get_data(as_text=True)
    assert SENTENCE in queue
    page = client.get(f"/teach/disputes/items/{SENTENCE}").get_data(as_text=True)
    assert "re-grades 3 past answers" in page  # counted before anything is accepted
    assert "plain is fine" in page
    assert "close enough" in page
    assert "Disputes (3)" in page

    response = decide(client, dispute_of(app, a).id, "accept", "plain form is fine here")
    assert response.status_code == 302
    with app.app_context():
        item = db.session.get(Item, SENTENCE)
        assert item.version == before + 1
        assert item.data["accepted"] == ["(私は)学生です。", PLAIN]
        version = db.session.scalar(
            select(ContentVersion).where(
                ContentVersion.kind == ITEM,
                ContentVersion.object_id == SENTENCE,
                ContentVersion.number == item.version,
            )
        )
        assert version.state == PUBLISHED
        assert version.note == "accepted from a dispute: plain form is fine here"
        for response_id in (a, b, c):
            regraded = db.session.get(Response, response_id)
            assert (regraded.correct, regraded.score) == (True, 1.0)
            assert regraded.item_version == item.version
            assert regraded.feedback != old_feedback
        untouched = db.session.get(Response, d)
        assert (untouched.correct, untouched.item_version) == (False, before)
        statuses = {
            r: db.session.scalar(select(Dispute.status).where(Dispute.response_id == r))
            for r in (a, b, d)
        }
        assert statuses == {a: "accepted", b: "accepted", d: "open"}
    flashed = client.get(f"/teach/disputes/items/{SENTENCE}").get_data(as_text=True)
    assert "Past answers re-graded: 3; disputes closed: 2." in flashed


def test_reject_needs_a_note(app, client, login_as, make_user, small_curriculum) -> None:
    trainee = make_user(Role.TRAINEE)
    other = make_user(Role.TRAINEE)
    response_id = answered(app, trainee, SENTENCE, PLAIN, disputed="plain is fine")
    same = answered(app, other, SENTENCE, PLAIN, disputed="also plain")
    login_as(Role.INSTRUCTOR)
    dispute_id = dispute_of(app, response_id).id
    refused = decide(client, dispute_id, "reject", "   ")
    assert refused.status_code == 422
    assert "Say why the answer is rejected." in refused.get_data(as_text=True)
    assert dispute_of(app, response_id).status == "open"
    assert decide(client, dispute_id, "reject", "です is needed").status_code == 302
    assert dispute_of(app, response_id).status == "rejected"
    assert dispute_of(app, same).status == "rejected"  # one decision per answer
    with app.app_context():
        assert db.session.get(Response, response_id).correct is False


def test_deciding_twice_is_a_conflict(app, client, login_as, make_user, small_curriculum) -> None:
    response_id = answered(app, make_user(Role.TRAINEE), SENTENCE, PLAIN, disputed="")
    login_as(Role.INSTRUCTOR)
    dispute_id = dispute_of(app, response_id).id
    assert decide(client, dispute_id, "accept").status_code == 302
    with app.app_context():
        version = db.session.get(Item, SENTENCE).version
    again = decide(client, dispute_id, "accept")
    assert again.status_code == 409
    assert "already accepted" in again.get_data(as_text=True)
    assert decide(client, dispute_id, "reject", "no").status_code == 409
    with app.app_context():
        assert db.session.get(Item, SENTENCE).version == version  # nothing published twice


@pytest.mark.parametrize("given", ["学生(だ)", "[学生]だ", "学生|だ"])
def test_an_answer_with_syntax_characters_is_not_written_into_the_list(
    app, client, login_as, make_user, small_curriculum, given
) -> None:
    response_id = answered(app, make_user(Role.TRAINEE), SENTENCE, given, disputed="hm")
    login_as(Role.INSTRUCTOR)
    page = client.get(f"/teach/disputes/items/{SENTENCE}").get_data(as_text=True)
    assert "which the accepted list reads as its own syntax" in page
    assert f'href="/teach/content/items/{SENTENCE}"' in page
    assert "/accept" not in page  # only reject is offered
    with app.app_context():
        before = db.session.get(Item, SENTENCE).data["accepted"]
    refused = decide(client, dispute_of(app, response_id).id, "accept")
    assert refused.status_code == 422
    with app.app_context():
        assert db.session.get(Item, SENTENCE).data["accepted"] == before
    assert dispute_of(app, response_id).status == "open"


def test_a_choice_item_offers_only_reject_or_edit(
    app, client, login_as, make_user, small_curriculum
) -> None:
    response_id = answered(app, make_user(Role.TRAINEE), CHOICE, "を", disputed="を works")
    login_as(Role.INSTRUCTOR)
    page = client.get(f"/teach/disputes/items/{CHOICE}").get_data(as_text=True)
    assert "This item has no list of accepted answers" in page
    assert "/accept" not in page
    assert "/reject" in page
    assert (
        decide(client, dispute_of(app, response_id).id, "accept", item_id=CHOICE).status_code == 422
    )


def test_a_trainee_gets_403(app, client, login_as, make_user, small_curriculum) -> None:
    response_id = answered(app, make_user(Role.TRAINEE), SENTENCE, PLAIN, disputed="x")
    login_as(Role.TRAINEE)
    assert client.get("/teach/disputes").status_code == 403
    assert client.get(f"/teach/disputes/items/{SENTENCE}").status_code == 403
    assert decide(client, dispute_of(app, response_id).id, "accept").status_code == 403
    assert dispute_of(app, response_id).status == "open"


def test_another_centres_instructor_gets_404(
    app, client, login_as, make_user, make_centre, small_curriculum
) -> None:
    response_id = answered(app, make_user(Role.TRAINEE), SENTENCE, PLAIN, disputed="x")
    login_as(Role.INSTRUCTOR, centre_=make_centre("Karachi centre"))
    assert SENTENCE not in client.get("/teach/disputes").get_data(as_text=True)
    assert "Disputes (0)" in client.get("/teach/disputes").get_data(as_text=True)
    page = client.get(f"/teach/disputes/items/{SENTENCE}").get_data(as_text=True)
    assert "No open disputes." in page
    dispute_id = dispute_of(app, response_id).id
    assert decide(client, dispute_id, "accept").status_code == 404
    assert decide(client, dispute_id, "reject", "no").status_code == 404
    assert dispute_of(app, response_id).status == "open"
    # A programme admin sees every centre.
    admin = make_user(Role.PROGRAMME_ADMIN)
    admin_client = app.test_client()
    sign_in(admin_client, admin.email)
    listed = admin_client.get("/teach/disputes").get_data(as_text=True)
    assert re.search(rf">{SENTENCE}</a>", listed)


def test_the_item_analysis_page_links_to_the_queue(
    app, client, login_as, make_user, small_curriculum
) -> None:
    answered(app, make_user(Role.TRAINEE), SENTENCE, PLAIN, disputed="x")
    login_as(Role.INSTRUCTOR)
    page = client.get(f"/teach/items/{SENTENCE}").get_data(as_text=True)
    assert f'href="/teach/disputes/items/{SENTENCE}"' in page


def test_the_trainee_reads_the_decision_on_their_past_session(
    app, client, make_user, small_curriculum
) -> None:
    trainee = make_user(Role.TRAINEE)
    response_id = answered(app, trainee, SENTENCE, PLAIN, disputed="plain is fine")
    instructor = make_user(Role.INSTRUCTOR)
    sign_in(client, instructor.email)
    assert (
        decide(client, dispute_of(app, response_id).id, "reject", "です is needed").status_code
        == 302
    )
    decided = dispute_of(app, response_id)
    assert (decided.decision_note, decided.decided_by_id) == ("です is needed", instructor.id)
    assert decided.decided_at is not None

    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    sign_in(client, trainee.email)
    with app.app_context():
        session_id = db.session.get(Response, response_id).session_id
    page = client.get(f"/learn/sessions/{session_id}").get_data(as_text=True)
    said = page.split('class="small mb-0 mt-2 session-dispute" data-status="rejected"')[1]
    assert "your instructor disagreed." in said.split("</p>")[0]
    assert "<q>です is needed</q>" in said.split("</p>")[0]
