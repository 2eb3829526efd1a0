"""The authoring editors over HTTP: staff only, field problems as the instructor types,
the preview sanitised, "try an answer", saving, conflicts, publishing and history."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.content.bundle import item_data
from app.extensions import db
from app.models import ContentVersion, Item, Lesson, Role
from app.questions import registry
from tests.conftest import csrf_token, make_app

EDITOR = "/teach/content/items/n5-wa-desu-002"


def authoring_routes() -> list[tuple[str, str]]:
    app = make_app("sqlite://")
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("authoring."):
            path = rule.rule.replace("<int:number>", "1").replace("<object_id>", "n5-x")
            routes += [(m, path) for m in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


ROUTES = authoring_routes()


def test_every_editor_endpoint_is_covered() -> None:
    paths = {path for _method, path in ROUTES}
    assert {
        "/teach/content",
        "/teach/content/lessons/n5-x",
        "/teach/content/items/new",
        "/teach/content/preview/lesson",
        "/teach/content/furigana",
        "/teach/content/validate/item",
        "/teach/content/try",
        "/teach/content/items/n5-x/versions/1/restore",
    } <= paths


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_trainees_get_403_everywhere(client, login_as, method, path) -> None:
    login_as(Role.TRAINEE)
    token = csrf_token(client, "/account")
    response = client.open(path, method=method, data={"csrf_token": token})
    assert response.status_code == 403


@pytest.fixture
def instructor(client, login_as, small_curriculum):  # type: ignore[no-untyped-def]
    user = login_as(Role.INSTRUCTOR, name="Ayesha Khan")
    user.token = csrf_token(client, EDITOR)
    return user


def post(client: FlaskClient, path: str, token: str, **fields: object):  # type: ignore[no-untyped-def]
    return client.post(path, data=fields, headers={"X-CSRFToken": token})


CHOICE = {
    "type": "choice", "id": "n5-test-001", "level": "N5", "section": "grammar-reading",
    "use": "practice", "prompt": "{私|わたし}（　）{学生|がくせい}です。", "explanation": "は.",
    "options": ["は", "を", "に"],
}  # fmt: skip
SENTENCE = {
    "type": "sentence", "id": "n5-test-002", "level": "N5", "section": "grammar-reading",
    "use": "practice", "prompt": "I am a student.", "explanation": "Noun です.",
    "accepted": ["(私は)学生です。"],
}  # fmt: skip


def problems(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    found: dict[str, list[str]] = {}
    for p in response.get_json()["problems"]:
        found.setdefault(p["field"], []).append(p["message"])
    return found


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({**CHOICE}, "answer", "choose the right answer"),  # no key marked
        ({**CHOICE, "answer_index": "7"}, "answer", "exactly one of the options"),
        ({**CHOICE, "answer": "が"}, "answer", "exactly one of the options"),
        ({**CHOICE, "answer_index": "0", "options": ["は", "は"]}, "options", "all be different"),
        ({**SENTENCE, "accepted": []}, "accepted", "add at least 1"),
        ({**SENTENCE, "accepted": ["(私は学生です。"]}, "accepted", "'(' is never closed"),
        ({**SENTENCE, "accepted": ["私は[学生|先生です。"]}, "accepted", "'[' is never closed"),
        ({**SENTENCE, "accepted": ["私は学生です。)"]}, "accepted", "')' has no opening"),
        # Known wrong answers kept with the item are regression cases:
        (
            {**SENTENCE, "case_answer": "学生です。", "case_code": "particle"},
            "cases",
            "now graded right",
        ),
        (
            {**SENTENCE, "case_answer": "私を学生です。", "case_code": "tense"},
            "cases",
            "gives particle",
        ),
    ],
)
def test_validation_problems_are_on_their_field(client, instructor, data, field, words) -> None:
    response = post(client, "/teach/content/validate/item", instructor.token, **data)
    assert response.status_code == 200
    found = problems(response)
    assert any(words in m for m in found.get(field, [])), found


def test_a_valid_item_has_no_problems(client, instructor) -> None:
    response = post(
        client, "/teach/content/validate/item", instructor.token, **CHOICE, answer_index="0"
    )
    assert problems(response) == {}
    response = post(client, "/teach/content/validate/item", instructor.token, **SENTENCE)
    assert problems(response) == {}


def test_the_editor_page_marks_fields_with_problems(client, instructor) -> None:
    data = {**SENTENCE, "accepted": ["(私は学生です。"], "base": "1", "action": "save"}
    response = post(client, EDITOR, instructor.token, **data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (
        re.search(
            r'name="accepted"[^>]*aria-describedby="help-accepted err-accepted" '
            r'aria-invalid="true"',
            page,
        )
        or 'aria-invalid="true"' in page
    )
    assert "is never closed" in page
    assert 'value="(私は学生です。"' in page  # the input is kept


def test_the_preview_is_the_lesson_page_and_sanitised(client, instructor) -> None:
    body = (
        "## {学生|がくせい}\n\n<script>alert(1)</script>\n\n"
        '<img src=x onerror="alert(2)">\n\n[link](javascript:alert(3))\n'
    )
    response = post(
        client, "/teach/content/preview/lesson", instructor.token,
        id="n5-grammar-test", title="Test", level="N5", unit="grammar-1", order="9",
        kind="grammar", vocabulary="学生", kanji="学", body=body,
    )  # fmt: skip
    html = response.get_json()["html"]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html
    assert "onerror=" not in html.replace("onerror=&quot;", "")
    assert 'href="javascript' not in html
    assert '<ruby lang="ja">学生<rt>がくせい</rt></ruby>' in html
    assert "student" in html  # the vocabulary panel, as on the lesson page
    assert 'lang="ja" href="/kanji/' in html  # the kanji panel


def test_the_preview_plays_examples_not_yet_published(app, client, instructor, tmp_path) -> None:
    app.config["AUDIO_CACHE_DIR"] = str(tmp_path)
    body = "## Examples\n```examples\n{駅|えき}で{待|ま}ちます。\nI wait at the station.\n```\n"
    html = post(
        client, "/teach/content/preview/lesson", instructor.token,
        id="n5-grammar-test", title="Test", level="N5", unit="grammar-1", order="9",
        kind="grammar", body=body,
    ).get_json()["html"]  # fmt: skip
    src = html.split('data-audio-src="')[1].split('"')[0].replace("&amp;", "&")
    assert src.startswith("/teach/content/preview/audio.mp3?text=")
    with client.get(src) as spoken:
        assert spoken.status_code == 200
        assert spoken.mimetype == "audio/mpeg"
        assert len(spoken.data) > 1000
    assert client.get("/teach/content/preview/audio.mp3?text=" + "あ" * 301).status_code == 404
    assert client.get("/teach/content/preview/audio.mp3").status_code == 404


def test_a_lesson_with_problems_gets_them_on_fields(client, instructor) -> None:
    response = post(
        client, "/teach/content/preview/lesson", instructor.token,
        id="bad id", title="", level="N5", unit="grammar-1", order="1", kind="grammar",
        body="{学生|がくせい",
    )  # fmt: skip
    found = problems(response)
    assert "id" in found
    assert "title" in found
    assert any("not closed" in m for m in found["body"])


def test_furigana_suggests_the_engines_reading(client, instructor) -> None:
    response = post(client, "/teach/content/furigana", instructor.token, text="毎朝")
    assert response.get_json()["reading"] == "まいあさ"


@pytest.mark.parametrize(
    ("answer", "correct", "code"),
    [
        ("わたしはがくせいです", True, "kana-spelling"),
        ("学生です。", True, None),
        ("わたしをがくせいです", False, "particle"),
        ("私が学生です。", False, "particle"),
    ],
)
def test_try_an_answer(client, instructor, answer, correct, code) -> None:
    response = post(client, "/teach/content/try", instructor.token, **SENTENCE, candidate=answer)
    verdict = response.get_json()
    assert verdict["correct"] is correct
    if code:
        assert code in verdict["codes"]
    if not correct:
        got = [f["got"] for f in verdict["feedback"] if f["code"] == "particle"]
        assert got
        assert got[0] in ("を", "が")


def test_try_needs_readable_accepted_answers(client, instructor) -> None:
    data = {**SENTENCE, "accepted": ["(私は学生です。"]}
    response = post(client, "/teach/content/try", instructor.token, **data, candidate="x")
    assert "never closed" in response.get_json()["problem"]


def live_item(app: Flask, item_id: str) -> Item:
    with app.app_context():
        item = db.session.get(Item, item_id)
        db.session.expunge(item)
        return item


def test_save_draft_then_publish_round_trip(app, client, instructor) -> None:
    page = client.get(EDITOR).get_data(as_text=True)
    base = re.search(r'name="base" value="(\d+)"', page).group(1)
    data = {
        **SENTENCE, "id": "ignored", "lesson": "n5-grammar-wa-desu",
        "accepted": ["(私は)学生です。", "(私は)先生です。"], "base": base, "action": "save",
        "case_answer": ["わたしをがくせいです"], "case_code": ["particle"], "note": "more",
    }  # fmt: skip
    response = post(client, EDITOR, instructor.token, **data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert live_item(app, "n5-wa-desu-002").data["accepted"] == ["(私は)学生です。"]  # a draft

    page = client.get(EDITOR).get_data(as_text=True)
    assert "(私は)先生です。" in page
    assert "わたしをがくせいです" in page
    new_base = re.search(r'name="base" value="(\d+)"', page).group(1)
    assert int(new_base) == int(base) + 1
    data = {**data, "base": new_base, "action": "publish"}
    response = post(client, EDITOR, instructor.token, **data)
    assert response.status_code == 302
    live = live_item(app, "n5-wa-desu-002")
    assert live.data["accepted"] == ["(私は)学生です。", "(私は)先生です。"]
    assert live.data["cases"] == [{"answer": "わたしをがくせいです", "code": "particle"}]
    model = registry.get("sentence").model.model_validate(live.data)
    assert item_data(model) == live.data  # cases round-trip through the model

    history = client.get(f"{EDITOR}/history").get_data(as_text=True)
    assert "Ayesha Khan" in history
    assert "published" in history
    assert "more" in history


def test_a_second_save_from_the_same_version_is_told_and_nothing_is_lost(
    app, client, instructor, make_user
) -> None:
    page = client.get(EDITOR).get_data(as_text=True)
    base = re.search(r'name="base" value="(\d+)"', page).group(1)
    first = {
        **SENTENCE,
        "accepted": ["(私は)学生です。", "学生だ。"],
        "base": base,
        "action": "save",
    }
    assert post(client, EDITOR, instructor.token, **first).status_code == 302

    mine = {**SENTENCE, "accepted": ["(私は)学生です。", "私は学生でございます。"], "base": base,
            "action": "save"}  # fmt: skip
    response = post(client, EDITOR, instructor.token, **mine)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "was changed by Ayesha Khan" in page
    assert "私は学生でございます。" in page  # my input is still in the form
    assert f"/versions/{int(base) + 1}" in page  # compare with theirs
    with app.app_context():
        drafts = db.session.scalars(
            select(ContentVersion).where(ContentVersion.object_id == "n5-wa-desu-002")
        ).all()
        assert len(drafts) == 2  # the recorded original and the first save only
        assert all("私は学生でございます。" not in v.values["data"]["accepted"] for v in drafts)


def test_a_new_lesson_is_created_published_and_restorable(app, client, instructor) -> None:
    body = "\n".join(
        ["## も", "```examples"]
        + [f"{{私|わたし}}も{{学生|がくせい}}です。\nI am a student too ({n}).\n" for n in range(5)]
        + ["```", ""]
    )
    fields = {
        "id": "n5-grammar-mo-test", "title": "AもBです", "level": "N5", "unit": "grammar-1",
        "order": "5", "kind": "grammar", "vocabulary": "学生", "kanji": "学 生",
        "prerequisites": "n5-grammar-wa-desu", "objectives": "Say 'also'", "body": body,
        "action": "publish",
    }  # fmt: skip
    response = post(client, "/teach/content/lessons/new", instructor.token, **fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        lesson = db.session.get(Lesson, "n5-grammar-mo-test")
        assert lesson.title == "AもBです"
        assert lesson.meta["prerequisites"] == ["n5-grammar-wa-desu"]
    again = post(client, "/teach/content/lessons/new", instructor.token, **fields)
    assert again.status_code == 422
    assert "already used" in again.get_data(as_text=True)

    editor = "/teach/content/lessons/n5-grammar-mo-test"
    changed = {**fields, "title": "AもBです (2)", "base": "1", "action": "publish"}
    assert post(client, editor, instructor.token, **changed).status_code == 302
    version_page = client.get(f"{editor}/versions/1").get_data(as_text=True)
    assert "AもBです (2)" in version_page  # the diff to the newest
    response = post(client, f"{editor}/versions/1/restore", instructor.token)
    assert response.status_code == 302
    opened = client.get(editor).get_data(as_text=True)
    assert 'value="AもBです"' in opened  # the restored draft is what the editor opens


def test_the_content_list_shows_versions_and_drafts(client, instructor) -> None:
    page = client.get("/teach/content").get_data(as_text=True)
    assert "n5-wa-desu-002" in page
    assert "AはBです" in page
    found = client.get("/teach/content?q=wa-desu-001").get_data(as_text=True)
    assert "n5-wa-desu-001" in found
    assert "n5-wa-desu-002" not in found
    for item_type in ("choice", "ordering", "sentence", "conjugation", "listening",
                      "reading-comprehension", "cloze", "meaning", "reading", "word"):  # fmt: skip
        assert client.get(f"/teach/content/items/new?type={item_type}").status_code == 200
    assert client.get("/teach/content/lessons/new").status_code == 200
    assert client.get("/teach/content/lessons/n5-grammar-wa-desu").status_code == 200
    assert client.get("/teach/content/items/n5-wa-desu-001").status_code == 200
