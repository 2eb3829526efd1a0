"""The content shipped in lessons/ and question_bank/ passes every check (content lint):
`make test` fails on any violation and names the file and line."""

from __future__ import annotations

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
