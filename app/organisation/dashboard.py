"""What an instructor sees of a cohort: each trainee's lessons by unit, accuracy per JLPT
section, the trend of the last weeks, last activity and how far behind schedule they are.

Every figure comes from the learning reports the trainee sees on their own progress page
(completed lessons, section stats, weekly accuracy), so staff and trainee never disagree.
No request objects here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.learning.clock import local_day
from app.learning.progress import Standing, completed_lessons, passed, standing
from app.learning.report import (
    SECTIONS,
    Answers,
    SectionStats,
    Share,
    Week,
    answers_of,
    section_stats,
    weekly_accuracy,
)
from app.learning.services import LEVELS, course_map
from app.models import (
    Cohort,
    CohortLesson,
    CohortMembership,
    Lesson,
    PracticeSession,
    Response,
    User,
)

TREND_WEEKS = 4


@dataclass(frozen=True)
class Overdue:
    """An assigned lesson past its due date and not completed."""

    lesson: Lesson
    due_on: date
    days: int  # whole days since the due date: due yesterday is 1 day late


@dataclass(frozen=True)
class UnitColumn:
    level: str
    unit: str
    lesson_ids: tuple[str, ...]


@dataclass(frozen=True)
class UnitDone:
    column: UnitColumn
    done: int

    @property
    def total(self) -> int:
        return len(self.column.lesson_ids)


@dataclass(frozen=True)
class SectionFigures(Share):
    """One JLPT section over every level the trainee has answered."""

    section: str
    answered: int
    correct: int


@dataclass(frozen=True)
class TraineeProgress:
    user: User
    units: list[UnitDone]
    sections: list[SectionFigures]
    weeks: list[Week]
    overdue: list[Overdue]
    last_activity: datetime | None

    @property
    def behind(self) -> int:
        return len(self.overdue)

    @property
    def days_behind(self) -> int:
        """Days since the due date of the oldest overdue lesson; 0 when on schedule."""
        return max((o.days for o in self.overdue), default=0)


@dataclass(frozen=True)
class CohortProgress:
    columns: list[UnitColumn]
    trainees: list[TraineeProgress]


def overdue_lessons(
    assignments: Sequence[CohortLesson], done: set[str], today: date
) -> list[Overdue]:
    """The behind-schedule rule: a lesson is overdue once its due date has passed (the day
    after it, in Pakistan time) and the trainee has not completed it. A lesson retired from
    the course since cannot be completed any more, so it no longer counts. Oldest first."""
    late = [
        Overdue(a.lesson, a.due_on, (today - a.due_on).days)
        for a in assignments
        if a.due_on < today and a.lesson_id not in done and a.lesson.retired_at is None
    ]
    return sorted(late, key=lambda o: (o.due_on, o.lesson.level, o.lesson.order))


def levels_of(cohort: Cohort) -> tuple[str, ...]:
    """A cohort works through every level up to its target (an N4 cohort starts at N5)."""
    if cohort.target_level not in LEVELS:
        return LEVELS
    return LEVELS[: LEVELS.index(cohort.target_level) + 1]


def unit_columns(levels: Sequence[str]) -> list[UnitColumn]:
    return [
        UnitColumn(level, unit.name, tuple(lesson.id for lesson in unit.lessons))
        for level in levels
        for unit in course_map(level)
    ]


def last_answers(user_ids: Sequence[int]) -> dict[int, datetime]:
    """Each trainee's latest answer, in one query for the whole cohort."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(Response.user_id, func.max(Response.created_at))
        .where(Response.user_id.in_(user_ids))
        .group_by(Response.user_id)
    ).all()
    return dict(rows)


def by_section(stats: Sequence[SectionStats]) -> list[SectionFigures]:
    return [
        SectionFigures(
            section,
            sum(s.answered for s in stats if s.section == section),
            sum(s.correct for s in stats if s.section == section),
        )
        for section in SECTIONS
    ]


def trainee_progress(
    cohort: Cohort,
    user: User,
    columns: Sequence[UnitColumn],
    now: datetime,
    last_activity: datetime | None,
    answers: Answers | None = None,
    sections: list[SectionStats] | None = None,
) -> TraineeProgress:
    done = completed_lessons(user)
    answers = answers_of(user) if answers is None else answers
    return TraineeProgress(
        user=user,
        units=[UnitDone(c, sum(1 for i in c.lesson_ids if i in done)) for c in columns],
        sections=by_section(section_stats(user, answers) if sections is None else sections),
        weeks=weekly_accuracy(user, now, weeks=TREND_WEEKS, answers=answers),
        overdue=overdue_lessons(cohort.assignments, done, local_day(now)),
        last_activity=last_activity,
    )


def _most_behind(t: TraineeProgress) -> tuple[int, int, str]:
    return (-t.behind, -t.days_behind, t.user.name.casefold())


def _by_name(t: TraineeProgress) -> tuple[str]:
    return (t.user.name.casefold(),)


def _least_active(t: TraineeProgress) -> tuple[bool, float, str]:
    """Never active first, then the longest silent."""
    seen = t.last_activity
    return (seen is not None, seen.timestamp() if seen else 0.0, t.user.name.casefold())


SORTS: dict[str, Callable[[TraineeProgress], tuple]] = {
    "behind": _most_behind,
    "name": _by_name,
    "activity": _least_active,
}


def cohort_progress(cohort: Cohort, now: datetime, sort: str = "behind") -> CohortProgress:
    """Every trainee of the cohort, most behind first unless another order is asked for."""
    columns = unit_columns(levels_of(cohort))
    users = db.session.scalars(
        select(User)
        .join(CohortMembership, CohortMembership.user_id == User.id)
        .where(CohortMembership.cohort_id == cohort.id)
    ).all()
    seen = last_answers([u.id for u in users])
    rows = [trainee_progress(cohort, u, columns, now, seen.get(u.id)) for u in users]
    rows.sort(key=SORTS.get(sort, _most_behind))
    return CohortProgress(columns, rows)


# ---- one trainee ------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionSummary:
    started_at: datetime
    ended_at: datetime | None
    kind: str
    lesson: Lesson | None
    asked: int
    answered: int
    correct: int
    passed: bool | None  # only lesson sessions that ended pass or fail


def recent_sessions(user: User, limit: int = 10) -> list[SessionSummary]:
    """The trainee's latest practice and review sessions, newest first; counts use the
    latest answer to each item, as the completion rule does."""
    sessions = db.session.scalars(
        select(PracticeSession)
        .where(PracticeSession.user_id == user.id)
        .options(selectinload(PracticeSession.responses))
        .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())
        .limit(limit)
    ).all()
    lesson_ids = {s.lesson_id for s in sessions if s.lesson_id}
    lessons = {
        lesson.id: lesson
        for lesson in db.session.scalars(select(Lesson).where(Lesson.id.in_(lesson_ids)))
    }
    summaries = []
    for session in sessions:
        latest = {r.item_id: r.correct for r in session.responses}
        ended = session.ended_at is not None and session.kind == "lesson"
        summaries.append(
            SessionSummary(
                started_at=session.started_at,
                ended_at=session.ended_at,
                kind=session.kind,
                lesson=lessons.get(session.lesson_id) if session.lesson_id else None,
                asked=len(session.item_ids),
                answered=len(latest),
                correct=sum(latest.values()),
                passed=passed(session) if ended else None,
            )
        )
    return summaries


@dataclass(frozen=True)
class TraineeReport:
    progress: TraineeProgress
    standing: Standing
    sections: list[SectionStats]  # per level and section, as on the trainee's own page
    weeks: list[Week]
    sessions: list[SessionSummary]


def trainee_report(cohort: Cohort, user: User, now: datetime) -> TraineeReport:
    columns = unit_columns(levels_of(cohort))
    seen = last_answers([user.id]).get(user.id)
    answers = answers_of(user)  # loaded once for every figure on the page
    sections = section_stats(user, answers)
    return TraineeReport(
        progress=trainee_progress(cohort, user, columns, now, seen, answers, sections),
        standing=standing(user, now),
        sections=sections,
        weeks=weekly_accuracy(user, now, answers=answers),
        sessions=recent_sessions(user),
    )
