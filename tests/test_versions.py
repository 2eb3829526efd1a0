"""Content versions: drafts, publishing, history, restore, conflicts; and trainees and exam
attempts keeping the version they saw."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from app.authoring import versions
from app.authoring.versions import VersionConflict, VersionError
from app.content import services as content_services
from app.exam import attempts, forms
from app.exam import blueprint as blueprints
from app.extensions import db
from app.learning.clock import now as clock_now
from app.models import ContentVersion, ExamAttempt, Item, Lesson, Response, Role, User
from tests.conftest import csrf_token
from tests.content.test_loader import ITEMS, LESSON, make_tree
from tests.test_mock_exam import (  # the mock exam's fixtures and helpers: the same bank
    answer,
    clock,  # noqa: F401
    curriculum,  # noqa: F401
    real_bank,  # noqa: F401
    right_answer,
    section_items,
    state,
    stored_answers,
)

CHOICE, SENTENCE, LESSON_ID = "n5-wa-desu-001", "n5-wa-desu-002", "n5-grammar-wa-desu"


@pytest.fixture
def ctx(app: Flask, small_curriculum: None) -> Iterator[None]:
    """An app context over the small curriculum, for calling the service directly."""
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def instructors(make_user: Callable[..., User]) -> tuple[int, int]:
    return make_user(Role.INSTRUCTOR, name="Ayesha").id, make_user(Role.INSTRUCTOR, name="Bilal").id


def user(user_id: int) -> User:
    found = db.session.get(User, user_id)
    assert found is not None
    return found


def item_values(item_id: str, **data: Any) -> dict[str, Any]:
    """The live item's values with some authored fields changed, as an editor sends them."""
    values = copy.deepcopy(versions.current("item", item_id).values)
    values["data"].update(data)
    return values


def problems_of(error: pytest.ExceptionInfo[VersionError]) -> dict[str, str]:
    return {p["field"]: p["message"] for p in error.value.problems}


# ---- save, publish, history, restore ----------------------------------------------------


def test_loaded_content_is_version_one_published_from_files(ctx: None) -> None:
    version = versions.current("item", CHOICE)
    assert (version.number, version.state, version.author_id) == (1, "published", None)
    assert version.note == "loaded from files"
    row = db.session.get(Item, CHOICE)
    assert row is not None
    assert row.version == 1
    assert version.content_hash == row.content_hash
    assert version.values["data"]["answer"] == "は"
    assert versions.latest("lesson", LESSON_ID).values["title"] == "AはBです"


def test_save_publish_history_and_restore(ctx: None, instructors: tuple[int, int]) -> None:
    ayesha = user(instructors[0])
    draft = versions.save_draft(
        "item", CHOICE, item_values(CHOICE, explanation="は marks what we talk about."),
        base=1, author=ayesha, note="clearer",
    )  # fmt: skip
    assert (draft.number, draft.state, draft.author_id) == (2, "draft", ayesha.id)
    # A draft is not live: trainees still get version 1.
    assert db.session.get(Item, CHOICE).data["explanation"] == "は marks the topic."  # type: ignore[union-attr]
    assert versions.current("item", CHOICE).number == 1
    assert versions.latest("item", CHOICE).number == 2

    published = versions.publish("item", CHOICE, 2, author=ayesha)
    row = db.session.get(Item, CHOICE)
    assert row is not None
    assert (published.state, row.version) == ("published", 2)
    assert row.data["explanation"] == "は marks what we talk about."
    assert row.content_hash == published.content_hash
    assert published.published_by_id == ayesha.id
    assert published.published_at is not None
    assert versions.publish("item", CHOICE, 2, author=ayesha) is published  # again: nothing

    restored = versions.restore("item", CHOICE, 1, author=ayesha)
    assert restored.number == 3
    assert restored.state == "draft"
    assert restored.values == versions.values_at("item", CHOICE, 1)
    assert restored.note == "restored version 1"
    versions.publish("item", CHOICE, 3, author=ayesha)
    assert db.session.get(Item, CHOICE).data["explanation"] == "は marks the topic."  # type: ignore[union-attr]

    assert [(v.number, v.state) for v in versions.history("item", CHOICE)] == [
        (3, "published"),
        (2, "published"),
        (1, "published"),
    ]
    assert versions.current("item", CHOICE).number == 3


def test_every_save_is_a_new_version_and_publishing_passes_over_older_drafts(
    ctx: None, instructors: tuple[int, int]
) -> None:
    ayesha = user(instructors[0])
    versions.save_draft(
        "item", CHOICE, item_values(CHOICE, explanation="One."), base=1, author=ayesha
    )
    versions.save_draft(
        "item", CHOICE, item_values(CHOICE, explanation="Two."), base=2, author=ayesha
    )
    with pytest.raises(VersionConflict):  # an older draft would undo the newer one
        versions.publish("item", CHOICE, 2, author=ayesha)
    versions.publish("item", CHOICE, 3, author=ayesha)
    states = {v.number: v.state for v in versions.history("item", CHOICE)}
    assert states == {3: "published", 2: "discarded", 1: "published"}
    with pytest.raises(VersionError) as error:
        versions.publish("item", CHOICE, 2, author=ayesha)
    assert error.value.status == 422


def test_a_lesson_is_edited_and_published(ctx: None, instructors: tuple[int, int]) -> None:
    ayesha = user(instructors[0])
    values = copy.deepcopy(versions.current("lesson", LESSON_ID).values)
    values["meta"]["title"] = "AはBです (topic and copula)"
    values["body"] += "\n## Note\n{学生|がくせい} is a student.\n"
    draft = versions.save_draft("lesson", LESSON_ID, values, base=1, author=ayesha)
    assert draft.values["title"] == "AはBです (topic and copula)"  # the column follows meta
    versions.publish("lesson", LESSON_ID, draft.number, author=ayesha)
    lesson = db.session.get(Lesson, LESSON_ID)
    assert lesson is not None
    assert (lesson.title, lesson.version) == ("AはBです (topic and copula)", 2)
    assert lesson.body.endswith("is a student.\n")


def test_create_makes_a_draft_and_the_row_only_at_publish(
    ctx: None, instructors: tuple[int, int]
) -> None:
    ayesha = user(instructors[0])
    data = {
        "id": "n5-wa-desu-003", "type": "sentence", "level": "N5", "section": "grammar-reading",
        "use": "practice", "lesson": LESSON_ID, "prompt": "I am a teacher.",
        "accepted": ["(私は)先生です。"], "explanation": "Noun です.",
    }  # fmt: skip
    draft = versions.create("item", "n5-wa-desu-003", {"data": data}, author=ayesha)
    assert (draft.number, draft.state) == (1, "draft")
    assert db.session.get(Item, "n5-wa-desu-003") is None
    assert draft.values["source_path"] == "question_bank/N5/authored/n5-grammar-wa-desu.yaml"
    with pytest.raises(VersionError) as error:  # ids are unique across drafts and live rows
        versions.create("item", "n5-wa-desu-003", {"data": data}, author=ayesha)
    assert problems_of(error) == {"id": "this id is already used"}
    with pytest.raises(VersionError):
        versions.create("item", CHOICE, {"data": {**data, "id": CHOICE}}, author=ayesha)
    with pytest.raises(VersionError) as missing:
        versions.current("item", "n5-wa-desu-003")
    assert missing.value.status == 404

    versions.publish("item", "n5-wa-desu-003", 1, author=ayesha)
    row = db.session.get(Item, "n5-wa-desu-003")
    assert row is not None
    assert row.version == 1
    assert row.lesson_id == LESSON_ID
    assert row.position == 1


def test_unknown_objects_and_versions_are_404(ctx: None, instructors: tuple[int, int]) -> None:
    ayesha = user(instructors[0])
    for call in (
        lambda: versions.history("item", "n5-nothing-001"),
        lambda: versions.values_at("item", CHOICE, 9),
        lambda: versions.publish("item", CHOICE, 9, author=ayesha),
        lambda: versions.latest("poem", CHOICE),
    ):
        with pytest.raises(VersionError) as error:
            call()
        assert error.value.status == 404


def test_path_outside_the_bank_is_refused(ctx: None, instructors: tuple[int, int]) -> None:
    values = item_values(CHOICE)
    values["source_path"] = "question_bank/../../etc/passwd.yaml"
    with pytest.raises(VersionError) as error:
        versions.save_draft("item", CHOICE, values, base=1, author=user(instructors[0]))
    assert "source_path" in problems_of(error)


# ---- two instructors ----------------------------------------------------------------------


def test_second_save_from_the_same_base_is_a_conflict(
    ctx: None, instructors: tuple[int, int]
) -> None:
    ayesha, bilal = user(instructors[0]), user(instructors[1])
    first = versions.save_draft(
        "item", CHOICE, item_values(CHOICE, explanation="Ayesha's words."), base=1, author=ayesha
    )
    with pytest.raises(VersionConflict) as conflict:
        versions.save_draft(
            "item", CHOICE, item_values(CHOICE, explanation="Bilal's words."), base=1, author=bilal
        )
    assert conflict.value.latest.number == 2
    assert conflict.value.latest.author_id == ayesha.id
    assert "Ayesha" in str(conflict.value)
    # Nothing of Bilal's was written, nothing of Ayesha's overwritten.
    assert [v.number for v in versions.history("item", CHOICE)] == [2, 1]
    assert versions.values_at("item", CHOICE, 2)["data"]["explanation"] == "Ayesha's words."
    assert first.values["data"]["explanation"] == "Ayesha's words."
    # Once he has seen version 2, he can save on top of it.
    on_top = versions.save_draft(
        "item", CHOICE, item_values(CHOICE, explanation="Bilal's words."), base=2, author=bilal
    )
    assert on_top.number == 3


def test_two_saves_at_the_same_instant_one_wins(
    app: Flask, small_curriculum: None, instructors: tuple[int, int]
) -> None:
    """Two hosts read version 1 at once and both try to write version 2: the unique
    (kind, object, number) index lets one commit; the other is told, with nothing written."""
    first, second = app.app_context(), app.app_context()
    first.push()
    values = item_values(CHOICE, explanation="First.")
    versions.latest("item", CHOICE)
    second.push()  # a second context: its own session, as on another host
    db.session.add(
        ContentVersion(
            kind="item", object_id=CHOICE, number=2, state="draft", values=values,
            content_hash="x" * 64, author_id=instructors[1], note="",
        )
    )  # fmt: skip
    db.session.commit()
    second.pop()
    # This session already decided base 1 is the newest; the insert finds number 2 taken.
    with pytest.raises(VersionConflict) as conflict:
        versions._add("item", CHOICE, 2, values, user(instructors[0]), "")
    assert conflict.value.latest.author_id == instructors[1]
    db.session.rollback()
    first.pop()


# ---- invalid values, said on the field --------------------------------------------------


@pytest.mark.parametrize(
    ("item_id", "changes", "field", "words"),
    [
        (CHOICE, {"answer": None}, "answer", "valid string"),  # no key
        (CHOICE, {"answer": "が"}, "answer", "exactly one of the options"),  # key not offered
        (CHOICE, {"options": ["は", "は", "に", "で"]}, "options", "all be different"),  # two keys
        (SENTENCE, {"accepted": []}, "accepted", "at least 1"),
        (SENTENCE, {"accepted": ["(私は学生です。"]}, "accepted", "'(' is never closed"),
        (SENTENCE, {"accepted": ["[私|僕は学生です。"]}, "accepted", "'[' is never closed"),
        (SENTENCE, {"accepted": ["先生です。"]}, "accepted", ""),  # fine on its own: see below
    ],
)
def test_invalid_items_are_explained_on_the_field(
    ctx: None,
    instructors: tuple[int, int],
    item_id: str,
    changes: dict[str, Any],
    field: str,
    words: str,
) -> None:
    values = item_values(item_id, **changes)
    if changes.get("answer", "") is None:
        del values["data"]["answer"]
        words = "required"
    if words == "":
        draft = versions.save_draft("item", item_id, values, base=1, author=user(instructors[0]))
        assert draft.number == 2
        return
    with pytest.raises(VersionError) as error:
        versions.save_draft("item", item_id, values, base=1, author=user(instructors[0]))
    assert error.value.status == 422
    found = problems_of(error)
    assert field in found, error.value.problems
    assert words in found[field]
    assert versions.latest("item", item_id).number == 1  # nothing written


def test_content_lint_runs_on_a_draft(ctx: None, instructors: tuple[int, int]) -> None:
    """What `content check` refuses in a file is refused in the browser too."""
    ayesha = user(instructors[0])
    with pytest.raises(VersionError) as error:
        versions.save_draft(
            "item", CHOICE, item_values(CHOICE, prompt="{私|あなた}（　）学生です。"),
            base=1, author=ayesha,
        )  # fmt: skip
    assert "no dictionary gives this reading" in problems_of(error)["prompt"]
    with pytest.raises(VersionError) as error:
        versions.save_draft(
            "item", CHOICE, item_values(CHOICE, lesson="n5-grammar-nothing"), base=1, author=ayesha
        )
    assert problems_of(error) == {"lesson": "lesson n5-grammar-nothing does not exist"}


def test_invalid_lessons_are_explained_on_the_field(
    ctx: None, instructors: tuple[int, int]
) -> None:
    values = copy.deepcopy(versions.current("lesson", LESSON_ID).values)
    values["meta"]["kind"] = "poetry"
    values["meta"]["prerequisites"] = ["n5-grammar-nothing"]
    values["body"] = "{学生|がくせい です。\n"
    with pytest.raises(VersionError) as error:
        versions.save_draft("lesson", LESSON_ID, values, base=1, author=user(instructors[0]))
    found = [(p["field"], p["message"]) for p in error.value.problems]
    assert any(f == "kind" for f, _ in found), found
    assert any(f == "body" and "line 1, column 1" in m for f, m in found), found
    values = copy.deepcopy(versions.current("lesson", LESSON_ID).values)
    values["meta"]["prerequisites"] = ["n5-grammar-nothing"]
    values["body"] = values["body"].replace("{私|わたし}", "{私|あなた}")
    with pytest.raises(VersionError) as error:
        versions.save_draft("lesson", LESSON_ID, values, base=1, author=user(instructors[0]))
    found = [(p["field"], p["message"]) for p in error.value.problems]
    assert ("prerequisites", "n5-grammar-nothing is not a lesson id") in found
    assert any(f == "body" and m.startswith("line 3: furigana") for f, m in found), found


# ---- loading files ------------------------------------------------------------------------


def load_tree(root: Path, items: str = ITEMS, lesson: str = LESSON) -> content_services.LoadReport:
    lessons, bank = make_tree(root, lesson=lesson, items=items)
    report = content_services.load(content_services.check(lessons, bank, study_sets=False))
    db.session.commit()
    return report


def version_count() -> int:
    return db.session.scalar(select(func.count(ContentVersion.id))) or 0


def test_load_records_versions_and_a_reload_of_unchanged_files_adds_none(
    app: Flask, tmp_path: Path, instructors: tuple[int, int]
) -> None:
    with app.app_context():
        load_tree(tmp_path / "one")
        assert version_count() == 3  # one lesson, two items
        report = load_tree(tmp_path / "two")
        assert report.items.unchanged == 2
        assert version_count() == 3

        # An instructor's draft, then the files change: the load publishes version 3 and
        # passes over the draft (its author is told on their next save).
        versions.save_draft(
            "item", CHOICE, item_values(CHOICE, explanation="A draft."), base=1,
            author=user(instructors[0]),
        )  # fmt: skip
        db.session.commit()
        load_tree(tmp_path / "three", items=ITEMS.replace("は marks the topic.", "Topic は."))
        assert version_count() == 5
        newest = versions.current("item", CHOICE)
        assert (newest.number, newest.author_id, newest.note) == (3, None, "loaded from files")
        assert db.session.get(Item, CHOICE).version == 3  # type: ignore[union-attr]
        assert versions.history("item", CHOICE)[1].state == "discarded"
        assert versions.current("item", SENTENCE).number == 1


# ---- trainees and exam attempts keep the version they saw ---------------------------------


def post(client: FlaskClient, path: str, body: Any = None) -> TestResponse:
    token = csrf_token(client, "/account")
    return client.post(path, json={} if body is None else body, headers={"X-CSRFToken": token})


def publish_new_key(app: Flask, instructor_id: int) -> None:
    """Version 2 of both items: another particle is the key, another sentence accepted."""
    with app.app_context():
        author = user(instructor_id)
        choice = item_values(
            CHOICE, prompt="{私|わたし}（　）{先生|せんせい}です。", answer="が",
            options=["が", "を", "に", "で"],
        )  # fmt: skip
        draft = versions.save_draft("item", CHOICE, choice, base=1, author=author)
        versions.publish("item", CHOICE, draft.number, author=author)
        sentence = item_values(SENTENCE, prompt="I am a teacher.", accepted=["(私は)先生です。"])
        draft = versions.save_draft("item", SENTENCE, sentence, base=1, author=author)
        versions.publish("item", SENTENCE, draft.number, author=author)
        db.session.commit()


def test_a_trainee_keeps_the_version_they_answered(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    small_curriculum: None,
) -> None:
    login_as(Role.TRAINEE)
    started = post(client, "/learn/practice/lessons/n5-grammar-wa-desu")
    assert started.status_code == 201
    session_id = started.json["session_id"]
    url = f"/learn/practice/{session_id}/answers"
    assert post(client, url, {"item_id": CHOICE, "answer": "は", "key": "k1"}).json["correct"]

    publish_new_key(app, make_user(Role.INSTRUCTOR).id)

    # Started before the publish: graded against version 1, which the page showed.
    late = post(client, url, {"item_id": SENTENCE, "answer": "私は学生です。", "key": "k2"})
    assert late.json["correct"] is True
    assert late.json["expected"] == "私は学生です。"
    with app.app_context():
        answered = db.session.scalars(select(Response).order_by(Response.id)).all()
        assert [(r.item_id, r.item_version) for r in answered] == [(CHOICE, 1), (SENTENCE, 1)]

    page = client.get(f"/learn/sessions/{session_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<rt>がくせい</rt>" in html  # the question as answered (version 1) …
    assert "せんせい" not in html  # … not today's
    assert "I am a student." in html
    assert "I am a teacher." not in html
    assert html.count("session-updated") == 2
    assert "2 of 2 answers right" in html

    # A session started now gets version 2.
    fresh = post(client, "/learn/practice/lessons/n5-grammar-wa-desu").json
    assert "が" in fresh["items"][0]["options"]
    again = post(
        client, f"/learn/practice/{fresh['session_id']}/answers",
        {"item_id": CHOICE, "answer": "は", "key": "k3"},
    )  # fmt: skip
    assert again.json["correct"] is False
    assert (
        client.get(f"/learn/sessions/{fresh['session_id']}")
        .get_data(as_text=True)
        .count("session-updated")
        == 0
    )


def test_a_past_session_is_only_its_trainees(
    client: FlaskClient, login_as: Callable[..., User], small_curriculum: None
) -> None:
    login_as(Role.TRAINEE)
    session_id = post(client, "/learn/practice/lessons/n5-grammar-wa-desu").json["session_id"]
    summary = client.get("/learn/n5-grammar-wa-desu/practice").get_data(as_text=True)
    assert 'data-review-url="/learn/sessions/SESSION"' in summary
    assert client.get(f"/learn/sessions/{session_id}").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login_as(Role.TRAINEE)
    assert client.get(f"/learn/sessions/{session_id}").status_code == 404
    assert client.get("/learn/sessions/999999").status_code == 404


def mock_with_a_choice_item_first(app: Flask, trainee: User) -> int:
    """A mock attempt whose first section asks a choice item. Forms are drawn at random
    (one seed per attempt), and a draw whose first section has none would leave the test
    below nothing to edit: the seed is chosen here, from the same pure assembly."""
    with app.app_context():
        plan = blueprints.blueprint_for("N5", "mock", "full")
        pool = forms.load_pool("N5", plan.use)
        kinds = dict(db.session.execute(select(Item.id, Item.type)).all())
        seed = next(
            seed
            for seed in range(100)
            if any(
                kinds[item] == "choice"
                for part in forms.assemble(plan, pool, seen=frozenset(), seed=seed).sections[0][
                    "parts"
                ]
                for item in part["items"]
            )
        )
        attempt, _resumed = attempts.start(
            db.session.get(User, trainee.id), "N5", "mock", now=clock_now(), seed=seed
        )
        db.session.commit()
        return attempt.id


@pytest.mark.usefixtures("curriculum", "clock")
def test_an_exam_attempt_started_before_a_publish_keeps_version_one(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    make_user: Callable[..., User],
) -> None:
    trainee = login_as(Role.TRAINEE)
    attempt_id = mock_with_a_choice_item_first(app, trainee)
    first = next(i for i in section_items(state(client, attempt_id)) if i["type"] == "choice")
    item_id = first["id"]
    old_right = right_answer(app, item_id)
    with app.app_context():
        values = copy.deepcopy(versions.current("item", item_id).values)
        # Version 2 takes the old right answer away: its option is now written otherwise.
        data = values["data"]
        data["options"] = [f"{o}か" if o == data["answer"] else o for o in data["options"]]
        data["answer"] = f"{data['answer']}か"
        instructor = make_user(Role.INSTRUCTOR)
        draft = versions.save_draft("item", item_id, values, base=1, author=user(instructor.id))
        versions.publish("item", item_id, draft.number, author=user(instructor.id))
        db.session.commit()
        attempt = db.session.get(ExamAttempt, attempt_id)
        assert attempt is not None
        assert attempt.item_versions[item_id] == 1

    shown = next(i for i in section_items(state(client, attempt_id)) if i["id"] == item_id)
    assert shown == first  # still version 1 on the page
    assert answer(client, attempt_id, item_id, old_right).status_code == 200
    assert [(r.item_id, r.correct) for r in stored_answers(app, attempt_id)] == [(item_id, True)]
