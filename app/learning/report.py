"""The trainee's progress report: accuracy and mastery per level and JLPT section,
accuracy week by week, the weakest grammar points, and how ready they are for the exam.

Figures come from stored answers and review cards only, so the page shows the same
numbers an instructor would compute from the same rows. No request objects here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.learning.clock import local_day
from app.learning.services import LEVELS
from app.models import Item, Lesson, ReviewCard, User
from app.models import Response as Answer

SECTIONS = ("vocabulary", "grammar-reading", "listening")
# An item is mastered once FSRS puts its next review a week or more after the last one:
# the trainee is expected to still know it a week on.
MASTERED_AFTER = timedelta(days=7)
WEAK_MIN_ANSWERS = 3


class Share:
    """Answers and right answers, and the share right (None when nothing was answered)."""

    answered: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None


@dataclass(frozen=True)
class SectionStats(Share):
    level: str
    section: str
    answered: int
    correct: int
    met: int  # items with a review card
    mastered: int


@dataclass(frozen=True)
class Week(Share):
    start: date
    answered: int
    correct: int


@dataclass(frozen=True)
class WeakPoint:
    skill: str
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered


Answers = list[tuple[datetime, bool, str, str, list[str]]]


def answers_of(user: User) -> Answers:
    """(when, right, level, section, skills) of every answer the trainee has given. A page
    that shows several figures loads them once and hands them to each."""
    rows = db.session.execute(
        select(Answer.created_at, Answer.correct, Item.level, Item.section, Item.data)
        .join(Item, Item.id == Answer.item_id)
        .where(Answer.user_id == user.id)
    ).all()
    return [(at, ok, lvl, section, data.get("skills", [])) for at, ok, lvl, section, data in rows]


def _given(user: User, answers: Answers | None) -> Answers:
    return answers_of(user) if answers is None else answers


def section_stats(user: User, answers: Answers | None = None) -> list[SectionStats]:
    """Every level and section, in course order, answered or not."""
    answered: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for _at, ok, level, section, _skills in _given(user, answers):
        answered[level, section][0] += 1
        answered[level, section][1] += int(ok)
    cards = db.session.execute(
        select(Item.level, Item.section, ReviewCard.due, ReviewCard.last_reviewed_at)
        .join(Item, Item.id == ReviewCard.item_id)
        .where(ReviewCard.user_id == user.id)
    ).all()
    met: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for level, section, due, last in cards:
        met[level, section][0] += 1
        met[level, section][1] += int(last is not None and due - last >= MASTERED_AFTER)
    return [
        SectionStats(level, section, *answered[level, section], *met[level, section])
        for level in LEVELS
        for section in SECTIONS
    ]


def weekly_accuracy(
    user: User, now: datetime, weeks: int = 8, answers: Answers | None = None
) -> list[Week]:
    """The last ``weeks`` weeks (Monday to Sunday, Pakistan time), oldest first."""
    today = local_day(now)
    this_monday = today - timedelta(days=today.weekday())
    starts = [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    counts: dict[date, list[int]] = {start: [0, 0] for start in starts}
    for at, ok, *_rest in _given(user, answers):
        day = local_day(at)
        start = day - timedelta(days=day.weekday())
        if start in counts:
            counts[start][0] += 1
            counts[start][1] += int(ok)
    return [Week(start, *counts[start]) for start in starts]


def weakest_points(user: User, limit: int = 5, answers: Answers | None = None) -> list[WeakPoint]:
    """Grammar points (the skill tags of grammar items) answered wrong most often, among
    those answered often enough to judge; the exam's own question types are left out."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _at, ok, _level, section, skills in _given(user, answers):
        if section != "grammar-reading":
            continue
        for skill in skills:
            tally[skill][0] += 1
            tally[skill][1] += int(ok)
    points = [WeakPoint(s, n, c) for s, (n, c) in tally.items() if n >= WEAK_MIN_ANSWERS]
    weak = [p for p in points if p.accuracy < 1]
    return sorted(weak, key=lambda p: (p.accuracy, -p.answered, p.skill))[:limit]


def lessons_teaching(skills: list[str]) -> dict[str, Lesson]:
    """The lesson that teaches each grammar point (its front matter's ``grammar`` list)."""
    wanted = set(skills)
    found: dict[str, Lesson] = {}
    lessons = db.session.scalars(select(Lesson).where(Lesson.retired_at.is_(None))).all()
    for lesson in sorted(lessons, key=lambda x: (x.level != "N5", x.order)):
        for point in lesson.meta.get("grammar", []):
            if point in wanted:
                found.setdefault(point, lesson)
    return found
