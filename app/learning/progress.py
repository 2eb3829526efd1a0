"""Where a trainee stands: lessons completed, the next lesson, and the daily streak.

A lesson counts as completed once a practice session of it has ended with at least
70% of its items right; the next lesson is the first one in teaching order that is
not completed and whose prerequisites are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.learning.services import LEVELS, course_map
from app.models import Lesson, PracticeSession, Response, User

PASS_SHARE = 0.7
# Trainees study in Pakistan: a day ends at midnight there, not in UTC.
LOCAL_TIME = ZoneInfo("Asia/Karachi")


def completed_lessons(user: User) -> set[str]:
    sessions = db.session.scalars(
        select(PracticeSession)
        .options(selectinload(PracticeSession.responses))  # one query, not one per session
        .where(
            PracticeSession.user_id == user.id,
            PracticeSession.kind == "lesson",
            PracticeSession.ended_at.is_not(None),
        )
    ).all()
    done = set()
    for session in sessions:
        latest = {r.item_id: r.correct for r in session.responses}
        if session.item_ids and sum(latest.values()) / len(session.item_ids) >= PASS_SHARE:
            done.add(session.lesson_id)
    return done


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
            ready = all(p in done for p in lesson.meta.get("prerequisites", []))
            if next_lesson is None and lesson.id not in done and ready:
                next_lesson = lesson
    return Standing(next_lesson, levels, streak(user, now))


def streak(user: User, now: datetime) -> int:
    """Days in a row, up to today (or yesterday, if today is still to come), with answers."""
    since = now - timedelta(days=400)
    times = db.session.scalars(
        select(Response.created_at).where(Response.user_id == user.id, Response.created_at >= since)
    ).all()
    days = {t.astimezone(LOCAL_TIME).date() for t in times}
    today: date = now.astimezone(LOCAL_TIME).date()
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count
