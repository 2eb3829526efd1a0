"""Where a trainee stands: lessons completed, the next lesson, and the daily streak.

A lesson counts as completed once a practice session of it has ended with at least
70% of its items right; the next lesson is the first one in teaching order that is
not completed and whose prerequisites are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.learning.clock import local_day
from app.learning.services import LEVELS, course_map, live_lesson
from app.models import Lesson, PracticeSession, Response, User

PASS_SHARE = 0.7


def completed_lessons(user: User) -> set[str]:
    """Lessons with an ended practice session passed. Plain rows, not objects: the home
    and course pages ask this on every visit."""
    rows = db.session.execute(
        select(PracticeSession.id, PracticeSession.lesson_id, PracticeSession.item_ids,
               Response.item_id, Response.correct)
        .join(Response, Response.session_id == PracticeSession.id)
        .where(
            PracticeSession.user_id == user.id,
            PracticeSession.kind == "lesson",
            PracticeSession.ended_at.is_not(None),
        )
        .order_by(Response.id)
    ).all()  # fmt: skip
    sessions: dict[int, tuple[str, list[str], dict[str, bool]]] = {}
    for session_id, lesson_id, item_ids, item_id, correct in rows:
        sessions.setdefault(session_id, (lesson_id, item_ids, {}))[2][item_id] = correct
    return {lesson for lesson, item_ids, latest in sessions.values() if _passed(item_ids, latest)}


def passed(session: PracticeSession) -> bool:
    """At least 70% of the session's items right, by the latest answer to each."""
    return _passed(session.item_ids, {r.item_id: r.correct for r in session.responses})


def _passed(item_ids: list[str], latest: dict[str, bool]) -> bool:
    return bool(item_ids) and sum(latest.values()) / len(item_ids) >= PASS_SHARE


@dataclass(frozen=True)
class LessonState:
    """Where one lesson stands for a trainee. ``missing`` are the prerequisites still to
    complete: a locked lesson names them, so the trainee knows what opens it."""

    done: bool
    missing: tuple[Lesson, ...] = ()

    @property
    def locked(self) -> bool:
        return not self.done and bool(self.missing)


def lesson_state(lesson: Lesson, done: set[str]) -> LessonState:
    missing = tuple(
        found
        for found in (live_lesson(p) for p in lesson.meta.get("prerequisites", []))
        if found is not None and found.id not in done  # a retired prerequisite opens nothing
    )
    return LessonState(lesson.id in done, missing)


def lesson_states(user: User, lessons: list[Lesson]) -> dict[str, LessonState]:
    done = completed_lessons(user)
    return {lesson.id: lesson_state(lesson, done) for lesson in lessons}


@dataclass(frozen=True)
class LevelProgress:
    level: str
    completed: int
    total: int


@dataclass(frozen=True)
class Standing:
    next_lesson: Lesson | None
    levels: list[LevelProgress]
    streak: int


def standing(user: User, now: datetime) -> Standing:
    done = completed_lessons(user)
    next_lesson = None
    levels = []
    for level in LEVELS:
        lessons = [lesson for unit in course_map(level) for lesson in unit.lessons]
        levels.append(LevelProgress(level, sum(1 for x in lessons if x.id in done), len(lessons)))
        for lesson in lessons:
            if next_lesson is None and lesson.id not in done:
                next_lesson = None if lesson_state(lesson, done).locked else lesson
    return Standing(next_lesson, levels, streak(user, now))


def streak(user: User, now: datetime) -> int:
    """Days in a row, up to today (or yesterday, if today is still to come), with answers."""
    since = now - timedelta(days=400)
    times = db.session.scalars(
        select(Response.created_at).where(Response.user_id == user.id, Response.created_at >= since)
    ).all()
    days = {local_day(t) for t in times}
    today: date = local_day(now)
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count
