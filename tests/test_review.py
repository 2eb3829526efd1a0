"""Spaced review: items answered in practice come back when FSRS says they are due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs import Rating
from sqlalchemy import select

from app.extensions import db
from app.learning.review import rating_for
from app.models import ReviewCard, Role
from app.models._columns import utcnow
from tests.test_practice import post, start


@pytest.mark.parametrize(
    ("correct", "ms", "rating"),
    [
        (False, 1000, Rating.Again),
        (True, 1500, Rating.Easy),
        (True, 8000, Rating.Good),
        (True, 30000, Rating.Hard),
        (True, None, Rating.Good),
    ],
)
def test_answers_rate_themselves(correct: bool, ms: int | None, rating: Rating) -> None:
    assert rating_for(correct, ms) == rating


def test_items_met_in_practice_come_back_for_review_the_next_day(
    app, client, login_as, small_curriculum
) -> None:
    user = login_as(Role.TRAINEE)
    session = start(client)
    url = f"/learn/practice/{session['session_id']}/answers"
    post(
        client, url, {"item_id": "n5-wa-desu-001", "answer": "は", "key": "a", "response_ms": 6000}
    )
    post(
        client,
        url,
        {"item_id": "n5-wa-desu-002", "answer": "がくせいでした", "key": "b", "response_ms": 9000},
    )
    post(
        client, url, {"item_id": "n5-wa-desu-002", "answer": "がくせいです", "key": "c"}
    )  # a retry
    with app.app_context():
        cards = {
            c.item_id: c
            for c in db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == user.id))
        }
        assert set(cards) == {"n5-wa-desu-001", "n5-wa-desu-002"}
        assert cards["n5-wa-desu-002"].reviews == 1  # the retry in the same session did not count
        assert (
            cards["n5-wa-desu-002"].due < cards["n5-wa-desu-001"].due
        )  # the miss comes back sooner

    nothing_yet = post(client, "/learn/practice/review")
    assert nothing_yet.status_code == 404
    assert nothing_yet.json["message"] == "Nothing is due for review now."

    app.config["NOW_OVERRIDE"] = utcnow() + timedelta(days=1)
    assert "Review 2 items" in client.get("/home").get_data(as_text=True)
    reviewing = post(client, "/learn/practice/review")
    assert reviewing.status_code == 201
    assert "n5-wa-desu-002" in [i["id"] for i in reviewing.json["items"]]
    answered = post(
        client,
        f"/learn/practice/{reviewing.json['session_id']}/answers",
        {"item_id": "n5-wa-desu-002", "answer": "がくせいです", "key": "r1", "response_ms": 5000},
    )
    assert answered.json["correct"] is True
    with app.app_context():
        card = db.session.scalar(select(ReviewCard).where(ReviewCard.item_id == "n5-wa-desu-002"))
        assert card.reviews == 2
        assert card.due > app.config["NOW_OVERRIDE"]


def test_the_review_page_says_what_is_due(client, login_as) -> None:
    login_as(Role.TRAINEE)
    page = client.get("/learn/review").get_data(as_text=True)
    assert "0 items are due." in page
