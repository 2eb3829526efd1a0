"""The trainee's home: the next lesson, the road per level, and the streak."""

from __future__ import annotations

from datetime import timedelta

from app.models import Role
from app.models._columns import utcnow
from tests.test_practice import post, start


def test_next_lesson_road_and_streak(app, client, login_as, small_curriculum) -> None:
    login_as(Role.TRAINEE)
    home = client.get("/home").get_data(as_text=True)
    assert 'href="/learn/n5-grammar-wa-desu"' in home  # the next lesson
    assert "JLPT N5: 0 of 1 lessons" in home
    assert "in a row" not in home

    session = start(client)
    url = f"/learn/practice/{session['session_id']}/answers"
    post(client, url, {"item_id": "n5-wa-desu-001", "answer": "は", "key": "a"})
    post(client, url, {"item_id": "n5-wa-desu-002", "answer": "わたしはがくせいです", "key": "b"})
    post(client, f"/learn/practice/{session['session_id']}/end")

    home = client.get("/home").get_data(as_text=True)
    assert "JLPT N5: 1 of 1 lessons" in home
    assert "You have completed every lesson." in home
    assert "1 day in a row" in home

    app.config["NOW_OVERRIDE"] = utcnow() + timedelta(days=1)
    assert "1 day in a row" in client.get("/home").get_data(as_text=True)  # today still to come
    app.config["NOW_OVERRIDE"] = utcnow() + timedelta(days=2)
    assert "in a row" not in client.get("/home").get_data(as_text=True)  # a day was missed


def test_a_failed_session_does_not_complete_the_lesson(client, login_as, small_curriculum) -> None:
    login_as(Role.TRAINEE)
    session = start(client)
    url = f"/learn/practice/{session['session_id']}/answers"
    post(client, url, {"item_id": "n5-wa-desu-001", "answer": "を", "key": "a"})
    post(client, f"/learn/practice/{session['session_id']}/end")
    home = client.get("/home").get_data(as_text=True)
    assert "JLPT N5: 0 of 1 lessons" in home
    assert 'href="/learn/n5-grammar-wa-desu"' in home


def test_an_empty_course_is_not_called_complete(client, login_as) -> None:
    login_as(Role.TRAINEE)
    home = client.get("/home").get_data(as_text=True)
    assert "No lessons loaded yet." in home
    assert "You have completed every lesson." not in home
