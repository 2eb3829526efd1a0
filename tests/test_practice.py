"""Practice over JSON: answers graded at once, stored once, only inside your session."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Dispute, Item, Response, Role
from app.models._columns import utcnow
from tests.conftest import csrf_token


def post(client, path: str, body: dict | None = None, **kwargs):
    token = csrf_token(client, "/account")
    return client.post(path, json=body or {}, headers={"X-CSRFToken": token}, **kwargs)


def start(client) -> dict:
    response = post(client, "/learn/practice/lessons/n5-grammar-wa-desu")
    assert response.status_code == 201, response.json
    return response.json


def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Response.id)))


def test_a_session_shows_items_without_their_keys(client, login_as, small_curriculum) -> None:
    login_as(Role.TRAINEE)
    session = start(client)
    assert [i["id"] for i in session["items"]] == ["n5-wa-desu-001", "n5-wa-desu-002"]
    for item in session["items"]:
        assert "answer" not in item
        assert "accepted" not in item
        assert "explanation" not in item


def test_an_answer_is_graded_explained_and_stored(app, client, login_as, small_curriculum) -> None:
    login_as(Role.TRAINEE)
    session = start(client)
    url = f"/learn/practice/{session['session_id']}/answers"
    wrong = post(
        client,
        url,
        {"item_id": "n5-wa-desu-002", "answer": "がくせいでした", "key": "k1", "response_ms": 4200},
    )
    assert wrong.status_code == 201
    assert wrong.json["correct"] is False
    assert wrong.json["feedback"][0]["code"] == "tense"
    assert wrong.json["explanation"] == "Noun です."
    assert wrong.json["expected"] == "私は学生です。"
    right = post(client, url, {"item_id": "n5-wa-desu-001", "answer": "は", "key": "k2"})
    assert right.json["correct"] is True
    assert stored(app) == 2
    summary = post(client, f"/learn/practice/{session['session_id']}/end").json
    assert summary == {"asked": 2, "answered": 2, "correct": 1, "to_review": ["n5-wa-desu-002"]}


def test_the_same_answer_posted_twice_is_stored_once(
    app, client, login_as, small_curriculum
) -> None:
    login_as(Role.TRAINEE)
    session = start(client)
    url = f"/learn/practice/{session['session_id']}/answers"
    body = {"item_id": "n5-wa-desu-001", "answer": "は", "key": "same-key"}
    first, second = post(client, url, body), post(client, url, body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json["repeated"] is True
    assert second.json["response_id"] == first.json["response_id"]
    assert stored(app) == 1


def test_a_key_reused_for_another_item_or_a_retired_item_is_refused(
    app, client, login_as, small_curriculum
) -> None:
    login_as(Role.TRAINEE)
    session = start(client)
    url = f"/learn/practice/{session['session_id']}/answers"
    assert (
        post(client, url, {"item_id": "n5-wa-desu-001", "answer": "は", "key": "k"}).status_code
        == 201
    )
    reused = post(client, url, {"item_id": "n5-wa-desu-002", "answer": "x", "key": "k"})
    assert reused.status_code == 409
    assert reused.json["message"] == "This answer key was already used for another item."
    with app.app_context():
        item = db.session.get(Item, "n5-wa-desu-002")
        item.retired_at = utcnow()
        db.session.commit()
    retired = post(client, url, {"item_id": "n5-wa-desu-002", "answer": "x", "key": "k2"})
    assert retired.status_code == 404
    assert retired.json["message"] == "This item is no longer available."
    assert stored(app) == 1


def test_answers_outside_the_session_are_refused(
    app, client, login_as, make_user, small_curriculum
) -> None:
    login_as(Role.TRAINEE)
    session = start(client)
    url = f"/learn/practice/{session['session_id']}/answers"
    not_in_session = post(client, url, {"item_id": "n5-nothing-001", "answer": "x", "key": "a"})
    assert not_in_session.status_code == 404
    assert not_in_session.json["message"] == "This item is not part of your session."
    post(client, f"/learn/practice/{session['session_id']}/end")
    after_end = post(client, url, {"item_id": "n5-wa-desu-001", "answer": "は", "key": "b"})
    assert after_end.status_code == 409
    other = make_user(Role.TRAINEE)
    other_client = app.test_client()
    from tests.conftest import sign_in

    sign_in(other_client, other.email)
    theirs = post(other_client, url, {"item_id": "n5-wa-desu-001", "answer": "は", "key": "c"})
    assert theirs.status_code == 404
    assert stored(app) == 0


def test_huge_or_malformed_answers_are_refused(app, client, login_as, small_curriculum) -> None:
    login_as(Role.TRAINEE)
    session = start(client)
    url = f"/learn/practice/{session['session_id']}/answers"
    huge = post(client, url, {"item_id": "n5-wa-desu-002", "answer": "あ" * 400_000, "key": "h"})
    assert huge.status_code == 413
    not_json = client.post(
        url, data="nope", headers={"X-CSRFToken": csrf_token(client, "/account")}
    )
    assert not_json.status_code == 422
    no_key = post(client, url, {"item_id": "n5-wa-desu-002", "answer": "x"})
    assert no_key.status_code == 422
    assert stored(app) == 0


def test_i_was_right_is_kept_once_for_instructors(app, client, login_as, small_curriculum) -> None:
    login_as(Role.TRAINEE)
    session = start(client)
    url = f"/learn/practice/{session['session_id']}/answers"
    wrong = post(client, url, {"item_id": "n5-wa-desu-002", "answer": "学生だ", "key": "d"}).json
    first = post(
        client, f"/learn/practice/answers/{wrong['response_id']}/dispute", {"note": "plain is fine"}
    )
    again = post(
        client, f"/learn/practice/answers/{wrong['response_id']}/dispute", {"note": "again"}
    )
    assert first.status_code == 201
    assert again.json["dispute_id"] == first.json["dispute_id"]
    with app.app_context():
        assert db.session.scalar(select(Dispute.note)) == "plain is fine"


def test_only_trainees_practise(client, login_as, small_curriculum) -> None:
    login_as(Role.INSTRUCTOR)
    assert post(client, "/learn/practice/lessons/n5-grammar-wa-desu").status_code == 403


@pytest.mark.parametrize(
    ("setting", "prompt"),
    [("always", "{私|わたし}（　）{学生|がくせい}です。"), ("never", "私（　）学生です。")],
)
def test_practice_items_follow_the_furigana_setting(
    client, login_as, small_curriculum, setting, prompt
) -> None:
    login_as(Role.TRAINEE, furigana=setting)
    session = start(client)
    first = next(i for i in session["items"] if i["id"] == "n5-wa-desu-001")
    assert first["prompt"] == prompt


def test_above_level_furigana_keeps_only_readings_of_harder_kanji(app) -> None:
    from app.learning.practice import with_furigana

    shown = with_furigana(
        {"prompt": "{会議|かいぎ}は{今日|きょう}です。", "options": ["{毎日|まいにち}", "あした"]},
        "above-level",
        "N5",
    )
    # 議 is not an N5 kanji, so 会議 keeps its reading; 今日 and 毎日 are read at N5
    assert shown == {"prompt": "{会議|かいぎ}は今日です。", "options": ["毎日", "あした"]}


@pytest.fixture
def listening_and_reading(app, tmp_path) -> None:
    """The sample lesson plus the curriculum's real N5 listening and reading files."""
    import shutil
    from pathlib import Path

    from app.content import services as content_services
    from tests.content.test_loader import make_tree

    lessons, bank = make_tree(tmp_path)
    real = Path(__file__).resolve().parent.parent / "question_bank" / "N5"
    for name in ("listening.yaml", "reading.yaml"):
        shutil.copy(real / name, bank / "N5" / name)
    with app.app_context():
        content_services.load(content_services.check(lessons, bank, study_sets=False))
        db.session.commit()


def test_listening_and_reading_are_practised_as_sets(
    client, login_as, listening_and_reading
) -> None:
    login_as(Role.TRAINEE)
    course = client.get("/learn/").get_data(as_text=True)
    assert 'href="/learn/sets/N5/listening"' in course
    assert 'href="/learn/sets/N5/reading"' in course
    assert client.get("/learn/sets/N5/listening").status_code == 200
    assert client.get("/learn/sets/N4/listening").status_code == 404  # nothing loaded
    assert client.get("/learn/sets/N5/grammar").status_code == 404

    listening = post(client, "/learn/practice/sets/N5/listening").json
    assert len(listening["items"]) == 8
    first = listening["items"][0]
    assert first["type"] == "listening"
    assert first["audio_url"] == f"/learn/items/{first['id']}/listening.mp3"
    assert "script" not in first
    assert "answer" not in first

    reading = post(client, "/learn/practice/sets/N5/reading").json
    assert {i["type"] for i in reading["items"]} == {"reading-comprehension"}
    assert all(i["passage"] for i in reading["items"])
    # items on one passage are asked together
    passages = [i["passage_id"] for i in reading["items"]]
    assert passages == sorted(passages, key=passages.index)

    # an answered item gives way to one not yet answered (there are 12 reading items)
    answered = reading["items"][0]["id"]
    graded = post(
        client,
        f"/learn/practice/{reading['session_id']}/answers",
        {"item_id": answered, "answer": "x", "key": "a"},
    )
    assert graded.status_code == 201
    again = post(client, "/learn/practice/sets/N5/reading").json
    assert answered not in {i["id"] for i in again["items"]}
    assert len(again["items"]) == 8
    assert post(client, "/learn/practice/sets/N5/nothing").status_code == 404
