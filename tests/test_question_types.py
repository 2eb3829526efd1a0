"""The question-type registry: every type of DESIGN.md, one class each, guarded."""

from __future__ import annotations

import pytest

from app.questions import registry
from app.questions.base import QuestionType, Result
from app.questions.registry import RegistryError, check_registry, register
from app.questions.types import TYPE_IDS
from app.questions.types.choice import ChoiceItem

COMMON = {
    "level": "N5",
    "section": "grammar-reading",
    "use": "practice",
    "explanation": "because",
}


def item(type_id: str, **fields: object):
    return registry.get(type_id).model.model_validate(
        {"id": f"n5-test-{type_id.replace('-', '')}-001", "type": type_id, **COMMON, **fields}
    )


def test_every_design_type_is_registered() -> None:
    check_registry(TYPE_IDS)
    assert set(registry.type_ids()) == set(TYPE_IDS)


def test_a_duplicate_type_id_is_refused() -> None:
    class AnotherChoice(QuestionType):
        id = "choice"
        model = ChoiceItem

        def grade(self, item, response) -> Result:  # pragma: no cover - never registered
            return Result(True, 1.0)

    with pytest.raises(RegistryError, match="registered twice"):
        register(AnotherChoice)
    assert registry.get("choice").__class__.__name__ == "Choice"


CASES = [
    (
        "choice",
        {"prompt": "わたし（　）がくせいです。", "options": ["は", "を"], "answer": "は"},
        "は",
        "を",
    ),
    ("reading", {"prompt": "学校", "accepted": ["がっこう"]}, "gakkou", "がこう"),
    ("meaning", {"prompt": "食べる", "accepted": ["to eat"]}, "eat", "drink"),
    ("word", {"prompt": "school", "accepted": ["学校"]}, "がっこう", "学生"),
    ("conjugation", {"word": "書く", "target": "te"}, "書いて", "書いた"),
    (
        "sentence",
        {"prompt": "I eat bread.", "accepted": ["パンを食べます。"]},
        "pan wo tabemasu",
        "ご飯を食べます",
    ),
    ("cloze", {"prompt": "駅（　）会いました。", "accepted": ["で"]}, "で", "に"),
    (
        "ordering",
        {"prompt": "＿ ★ ＿", "chunks": ["本を", "読んで", "います"], "star": 2},
        ["本を", "読んで", "います"],
        ["読んで", "本を", "います"],
    ),
    (
        "listening",
        {
            "task": "point",
            "script": [{"speaker": "F", "text": "はい"}],
            "question": "何？",
            "options": ["はい", "いいえ"],
            "answer": "はい",
        },
        "はい",
        "いいえ",
    ),
    (
        "reading-comprehension",
        {
            "passage_id": "n5-read-99",
            "passage": "きょうはあめです。",
            "question": "てんきは？",
            "options": ["あめ", "はれ"],
            "answer": "あめ",
        },
        "あめ",
        "はれ",
    ),
]


@pytest.mark.parametrize(("type_id", "fields", "right", "wrong"), CASES, ids=[c[0] for c in CASES])
def test_each_type_grades_and_never_shows_its_key(type_id, fields, right, wrong) -> None:
    question_type = registry.get(type_id)
    model = item(type_id, **fields)
    assert question_type.grade(model, right).correct
    verdict = question_type.grade(model, wrong)
    assert not verdict.correct
    assert verdict.score < 1.0
    public = question_type.public(model)
    assert "answer" not in public
    assert "accepted" not in public
    assert "explanation" not in public
    if type_id == "ordering":
        assert public["chunks"] != fields["chunks"]  # not handed out in the right order


def test_a_choice_item_needs_exactly_one_key() -> None:
    with pytest.raises(ValueError, match="exactly one of the options"):
        item("choice", prompt="x", options=["a", "b"], answer="c")
    with pytest.raises(ValueError, match="all be different"):
        item("choice", prompt="x", options=["a", "a"], answer="a")
