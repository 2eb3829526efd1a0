"""The trainee's home: the next lesson, the road per level, and the streak."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.content import services as content_services
from app.extensions import db
from app.models import Role
from app.models._columns import utcnow
from tests.content.test_loader import ITEMS, LESSON, make_tree
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


SECOND_LESSON = """\
---
id: n5-grammar-mo
level: N5
unit: grammar-1
order: 2
kind: grammar
title: "Aも"
prerequisites: [n5-grammar-wa-desu]
---
## Examples
```examples
{私|わたし}も{学生|がくせい}です。
I am a student too.

{田中|たなか}さんも{先生|せんせい}です。
Ms Tanaka is a teacher too.

これも{本|ほん}です。
This is a book too.

それもペンです。
That is a pen too.

あれも{学校|がっこう}です。
That over there is a school too.
```
"""

SECOND_ITEMS = """\
- id: n5-mo-001
  type: choice
  level: N5
  section: grammar-reading
  use: practice
  lesson: n5-grammar-mo
  prompt: "{私|わたし}（　）{学生|がくせい}です。"
  options: [も, を, に, で]
  answer: も
  explanation: "も means 'too'."
"""


@pytest.fixture
def two_lessons(app, tmp_path) -> None:
    """The sample lesson and a second one that needs it first."""
    lessons, bank = make_tree(tmp_path)
    (lessons / "N5" / "grammar-1" / "02-mo.md").write_text(SECOND_LESSON, encoding="utf-8")
    (bank / "N5" / "grammar" / "mo.yaml").write_text(SECOND_ITEMS, encoding="utf-8")
    with app.app_context():
        content_services.load(content_services.check(lessons, bank, study_sets=False))
        db.session.commit()


def _pass_first_lesson(client) -> None:
    session = start(client)
    url = f"/learn/practice/{session['session_id']}/answers"
    post(client, url, {"item_id": "n5-wa-desu-001", "answer": "は", "key": "a"})
    post(client, url, {"item_id": "n5-wa-desu-002", "answer": "わたしはがくせいです", "key": "b"})
    post(client, f"/learn/practice/{session['session_id']}/end")


def test_a_lesson_stays_locked_until_its_prerequisite_is_completed(
    client, login_as, two_lessons
) -> None:
    login_as(Role.TRAINEE)
    course = client.get("/learn/").get_data(as_text=True)
    locked = course.split("Aも")[1].split("</li>")[0]
    assert "Locked" in locked
    assert 'href="/learn/n5-grammar-wa-desu"' in locked
    assert "Completed" not in course

    # the lesson itself can be read, but practice says what opens it and refuses to start
    page = client.get("/learn/n5-grammar-mo").get_data(as_text=True)
    assert "Practice opens when you have completed:" in page
    assert 'href="/learn/n5-grammar-mo/practice"' not in page
    assert client.get("/learn/n5-grammar-mo/practice").headers["Location"] == "/learn/n5-grammar-mo"
    refused = post(client, "/learn/practice/lessons/n5-grammar-mo")
    assert refused.status_code == 409
    assert refused.json["message"] == "Complete the lessons before this one first."

    _pass_first_lesson(client)
    course = client.get("/learn/").get_data(as_text=True)
    first, second = course.split("AはBです")[1].split("</li>")[0], course.split("Aも")[1]
    assert "Completed" in first
    assert "Locked" not in second.split("</li>")[0]
    assert 'href="/learn/n5-grammar-mo/practice"' in client.get("/learn/n5-grammar-mo").get_data(
        as_text=True
    )
    assert post(client, "/learn/practice/lessons/n5-grammar-mo").status_code == 201
    home = client.get("/home").get_data(as_text=True)
    assert 'href="/learn/n5-grammar-mo"' in home  # the next lesson is the one just opened


def test_staff_see_the_course_without_locks(client, login_as, two_lessons) -> None:
    login_as(Role.INSTRUCTOR)
    course = client.get("/learn/").get_data(as_text=True)
    assert "Aも" in course
    assert "Locked" not in course


@pytest.fixture
def tagged_lesson(app, tmp_path) -> None:
    """The sample lesson with its grammar point named, and its items tagged with it."""
    lesson = LESSON.replace("vocabulary:", "grammar: [wa-desu]\nvocabulary:")
    items = ITEMS.replace("  prompt:", "  skills: [wa-desu]\n  prompt:")
    lessons, bank = make_tree(tmp_path, lesson=lesson, items=items)
    with app.app_context():
        content_services.load(content_services.check(lessons, bank, study_sets=False))
        db.session.commit()


def test_the_progress_page_shows_sections_weeks_forecast_and_weak_grammar(
    app, client, login_as, tagged_lesson
) -> None:
    login_as(Role.TRAINEE)
    empty = client.get("/learn/progress").get_data(as_text=True)
    assert "Not started yet" in empty
    assert "Answer some practice questions and your weeks show here." in empty
    assert "<svg" not in empty

    for attempt in range(3):  # the same grammar point, wrong twice and right once
        session = start(client)
        url = f"/learn/practice/{session['session_id']}/answers"
        answer = "は" if attempt == 2 else "を"
        post(client, url, {"item_id": "n5-wa-desu-001", "answer": answer, "key": "a"})
        post(client, f"/learn/practice/{session['session_id']}/end")

    page = client.get("/learn/progress").get_data(as_text=True)
    table = page.split('id="sections-N5"')[1].split("</table>")[0]
    row = table.split("Grammar and reading</th>")[1].split("</tr>")[0]
    assert [cell.split(">")[1] for cell in row.split("</td>")[:3]] == ["1/3 (33%)", "1", "0"]
    assert 'id="chart-weeks"' in page
    assert 'role="img"' in page
    assert "33%" in page.split('id="chart-weeks"')[1].split("</svg>")[0]
    assert 'id="chart-forecast"' in page  # the answered item is scheduled
    weak = page.split('class="weak-points"')[1].split("</ol>")[0]
    assert 'href="/learn/n5-grammar-wa-desu"' in weak
    assert "1 of 3 right" in weak
    assert "Grammar and reading: 3 answers so far" in page  # the readiness reasons


def test_staff_have_no_progress_page(client, login_as) -> None:
    login_as(Role.INSTRUCTOR)
    assert client.get("/learn/progress").status_code == 403
