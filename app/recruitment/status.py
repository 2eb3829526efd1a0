"""A candidate's certification status per level, as the recruitment system sees it.

The status is worked out from the facts (cohorts, study, exam windows, attempts,
certificates) by ``compute`` and stored per level in ``candidate_statuses``. ``refresh``
is called, in the same transaction, by every action that can change a status (the hooks
are listed in docs/recruitment.md); it stores the new status and, while the candidate
agrees to share their results, appends a ``StatusChange`` (the change feed) and writes a
webhook delivery to the outbox. Reading the stored status rather than computing it on
each request keeps the API, the feed and the webhooks in agreement and the API fast.

Precedence, highest first, when several rules hold at a level: passed, revoked,
exam-scheduled, failed, in-training, not-started.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, exists, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.models import (
    CandidateStatus,
    Certificate,
    Cohort,
    CohortMembership,
    Consent,
    ExamAttempt,
    ExamWindow,
    ExternalResult,
    Lesson,
    PracticeSession,
    Role,
    StatusChange,
    User,
)
from app.models.certificates import SHARE_WITH_RECRUITER
from app.models.exams import ACTIVE, FINISHED

STATUSES = ("not-started", "in-training", "exam-scheduled", "passed", "failed", "revoked")
NOT_STARTED, IN_TRAINING, EXAM_SCHEDULED, PASSED, FAILED, REVOKED = STATUSES
LEVELS = ("N5", "N4")  # lowest first: a cohort aiming at N4 trains N5 on the way
CERTIFICATION = "certification"

# Causes the hooks pass (the feed shows them; keep them short and stable).
JOINED_COHORT = "joined-cohort"
WINDOW_CHANGED = "exam-window-changed"
WINDOW_CLOSED = "exam-window-closed"
ATTEMPT_FINISHED = "attempt-finished"
ATTEMPT_INVALIDATED = "attempt-invalidated"
CERTIFICATE_REVOKED = "certificate-revoked"
CONSENT_GIVEN = "consent-given"
EXTERNAL_RESULT_VERIFIED = "external-result-verified"
SCHEDULE = "schedule"  # the periodic refresh (a window's closing time passed)

# A cause that changes what the API shows without changing a status still tells
# subscribers (one candidate.updated), so they need not poll for it.
ANNOUNCED_WITHOUT_CHANGE = frozenset({EXTERNAL_RESULT_VERIFIED})

EVENT_OF_STATUS = {
    PASSED: "certification.passed",
    FAILED: "certification.failed",
    REVOKED: "certification.revoked",
}
CANDIDATE_UPDATED = "candidate.updated"


# ---- consent ------------------------------------------------------------------------------


def consents(user_id_column: Any) -> ColumnElement[bool]:
    """SQL: the candidate in ``user_id_column`` agrees to share now (an agreement not
    withdrawn). Used inside the list and feed queries so they stay single queries."""
    return exists().where(
        Consent.user_id == user_id_column,
        Consent.purpose == SHARE_WITH_RECRUITER,
        Consent.withdrawn_at.is_(None),
    )


def consenting(user_id: int) -> bool:
    return bool(db.session.scalar(select(consents(user_id))))


# ---- the rules ----------------------------------------------------------------------------


def _rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def compute(user_id: int, *, now: datetime) -> dict[str, str]:
    """The status at each level from the facts, by the rules in docs/recruitment.md."""
    certificates = db.session.execute(
        select(Certificate.level, Certificate.revoked_at).where(Certificate.user_id == user_id)
    ).all()
    attempts = db.session.execute(
        select(
            ExamAttempt.level, ExamAttempt.kind, ExamAttempt.status, ExamAttempt.passed,
            ExamAttempt.finished_at, ExamAttempt.window_id, ExamAttempt.id,
        ).where(ExamAttempt.user_id == user_id)
    ).all()  # fmt: skip
    cohorts = db.session.execute(
        select(Cohort.id, Cohort.target_level)
        .join(CohortMembership, CohortMembership.cohort_id == Cohort.id)
        .where(CohortMembership.user_id == user_id)
    ).all()
    windows = (
        db.session.execute(
            select(ExamWindow.id, ExamWindow.level, ExamWindow.max_attempts).where(
                ExamWindow.cohort_id.in_([c.id for c in cohorts]),
                ExamWindow.closes_at > now,
                ExamWindow.closes_at > ExamWindow.opens_at,  # closed before it opened
            )
        ).all()
        if cohorts
        else []
    )
    studied = set(
        db.session.scalars(
            select(Lesson.level)
            .join(PracticeSession, PracticeSession.lesson_id == Lesson.id)
            .where(PracticeSession.user_id == user_id)
            .distinct()
        )
    )
    result = {}
    for level in LEVELS:
        certs = [c for c in certificates if c.level == level]
        at_level = [a for a in attempts if a.level == level]
        sittings = [a for a in at_level if a.kind == CERTIFICATION]
        finished = sorted(
            (a for a in sittings if a.status == FINISHED and a.finished_at is not None),
            key=lambda a: (a.finished_at, a.id),
        )
        if any(c.revoked_at is None for c in certs):
            result[level] = PASSED
        elif certs:
            result[level] = REVOKED
        elif any(_may_sit(w, sittings) for w in windows if w.level == level):
            result[level] = EXAM_SCHEDULED
        elif finished and not finished[-1].passed:
            result[level] = FAILED
        elif (
            at_level
            or level in studied
            or any(_rank(c.target_level) >= _rank(level) for c in cohorts)
        ):
            result[level] = IN_TRAINING
        else:
            result[level] = NOT_STARTED
    return result


def _may_sit(window: Any, sittings: Sequence[Any]) -> bool:
    """An open or upcoming window (the caller filtered on its closing time) with an
    attempt left, or one the candidate is sitting in now."""
    in_window = [a for a in sittings if a.window_id == window.id]
    return len(in_window) < window.max_attempts or any(a.status == ACTIVE for a in in_window)


# ---- recording changes --------------------------------------------------------------------


def refresh(user_id: int, *, now: datetime, cause: str) -> list[StatusChange]:
    """Recompute the candidate's status, store it, and (only while they agree to share)
    record each change in the feed and the outbox. Call it in the transaction of the
    action that may change a status; it flushes and never commits.

    With ``cause`` consent-given, every level is recorded as a change with no old status,
    so the feed and the webhooks learn the current state of a candidate they could not
    see before. Returns the changes recorded (none while the candidate does not agree).
    """
    db.session.flush()
    stored = _claim_rows(user_id, now)
    new = compute(user_id, now=now)
    shared = consenting(user_id)
    changes: list[StatusChange] = []
    for level in LEVELS:
        row = stored[level]
        old = row.status
        if old != new[level]:
            row.status, row.updated_at = new[level], now
        if not shared:
            continue
        if cause == CONSENT_GIVEN:
            changes.append(_change(user_id, level, None, new[level], cause, now))
        elif old != new[level]:
            changes.append(_change(user_id, level, old, new[level], cause, now))
    if changes:
        take_feed_turn()
    db.session.add_all(changes)
    db.session.flush()
    if shared:
        _announce(user_id, changes, cause, now)
    return changes


def _claim_rows(user_id: int, now: datetime) -> dict[str, CandidateStatus]:
    """The candidate's stored status rows, one per level, locked until commit.

    Two actions refreshing the same candidate at once (an exam finished while an
    instructor edits a window) would otherwise both read the old status and both record
    the change. Missing rows are inserted as not-started with ON CONFLICT DO NOTHING, so
    a candidate's first two refreshes cannot collide on the unique (user, level); the
    rows are then read FOR UPDATE, which makes the second refresh wait for the first to
    commit and see its result. (SQLite has one writer at a time and ignores the lock.)
    """
    query = (
        select(CandidateStatus)
        .where(CandidateStatus.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    rows = {row.level: row for row in db.session.scalars(query)}
    missing = [level for level in LEVELS if level not in rows]
    if missing:
        dialect = db.session.get_bind().dialect.name
        new_rows = [
            {"user_id": user_id, "level": level, "status": NOT_STARTED, "updated_at": now}
            for level in missing
        ]
        statement = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(
            CandidateStatus
        )
        db.session.execute(statement.on_conflict_do_nothing(), new_rows)
        rows = {row.level: row for row in db.session.scalars(query)}
    return rows


FEED_LOCK = 0x48415348  # "HASH": the change feed's key in PostgreSQL's advisory lock space


def take_feed_turn() -> None:
    """Feed ids must become visible in id order: a poller that has read up to id 12 never
    looks back, so an id 11 committed a moment later would be missed. PostgreSQL hands out
    sequence values before commit, so two transactions can commit out of order; taking a
    transaction-level advisory lock before the ids are drawn, held until commit or
    rollback, puts writers of the feed in line. Status changes are rare (a join, an exam
    finished, a window edited), so the wait costs nothing noticeable. SQLite already has
    one writer at a time."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FEED_LOCK})


def _change(
    user_id: int, level: str, old: str | None, new: str, cause: str, now: datetime
) -> StatusChange:
    return StatusChange(
        user_id=user_id, level=level, old_status=old, new_status=new, cause=cause, at=now
    )


def change_json(change: Any, external_id: str | None) -> dict[str, Any]:
    """A change (a StatusChange or a feed row) as the feed and the webhooks carry it."""
    return {
        "id": change.id,
        "candidate_id": change.user_id,
        "external_id": external_id,
        "level": change.level,
        "old_status": change.old_status,
        "new_status": change.new_status,
        "cause": change.cause,
        "at": _iso(change.at),
    }


def _announce(user_id: int, changes: list[StatusChange], cause: str, now: datetime) -> None:
    from app.webhooks import outbox  # webhooks build on recruitment, not the other way

    user = db.session.get(User, user_id)
    external_id = user.external_id if user is not None else None
    for change in changes:
        event = EVENT_OF_STATUS.get(change.new_status, CANDIDATE_UPDATED)
        if change.old_status is None:  # a snapshot on consent, not a transition
            event = CANDIDATE_UPDATED
        outbox.enqueue(event, change_json(change, external_id), now=now)
    if not changes and cause in ANNOUNCED_WITHOUT_CHANGE:
        data = {"candidate_id": user_id, "external_id": external_id, "cause": cause}
        outbox.enqueue(CANDIDATE_UPDATED, data, now=now)


def refresh_cohort(cohort_id: int, *, now: datetime, cause: str) -> None:
    """Refresh every member of a cohort (a window of theirs was created, edited or closed)."""
    members = db.session.scalars(
        select(CohortMembership.user_id).where(CohortMembership.cohort_id == cohort_id)
    ).all()
    for user_id in members:
        refresh(user_id, now=now, cause=cause)


def refresh_scheduled(*, now: datetime) -> int:
    """Refresh candidates recorded as exam-scheduled: a window's closing time passing is
    no action of anyone's, so `flask recruitment refresh` (run every few minutes) brings
    their status up to date. Returns how many changed."""
    user_ids = db.session.scalars(
        select(CandidateStatus.user_id)
        .where(CandidateStatus.status == EXAM_SCHEDULED)
        .distinct()
        .order_by(CandidateStatus.user_id)
    ).all()
    changed = 0
    for user_id in user_ids:
        before = _stored(user_id)
        refresh(user_id, now=now, cause=SCHEDULE)
        changed += before != _stored(user_id)
    return changed


def refresh_all(*, now: datetime, cause: str = SCHEDULE) -> int:
    """Refresh every trainee (after installing, or to repair); returns how many."""
    user_ids = db.session.scalars(
        select(User.id).where(User.role == Role.TRAINEE).order_by(User.id)
    ).all()
    for user_id in user_ids:
        refresh(user_id, now=now, cause=cause)
    return len(user_ids)


def _stored(user_id: int) -> dict[str, str]:
    rows = db.session.execute(
        select(CandidateStatus.level, CandidateStatus.status).where(
            CandidateStatus.user_id == user_id
        )
    ).all()
    return {row.level: row.status for row in rows}


# ---- reading: what the API serves ---------------------------------------------------------


# Built once: a client paging the whole feed runs it a hundred times in a row.
_FEED = (
    select(
        StatusChange.id, StatusChange.user_id, StatusChange.level, StatusChange.old_status,
        StatusChange.new_status, StatusChange.cause, StatusChange.at, User.external_id,
    )
    .join(User, User.id == StatusChange.user_id)
    .where(StatusChange.id > bindparam("cursor"), consents(StatusChange.user_id))
    .order_by(StatusChange.id)
    .limit(bindparam("limit"))
)  # fmt: skip


def changes_since(cursor: int, limit: int) -> list[Any]:
    """Changes with an id above ``cursor``, in id order, of candidates who agree to share
    now (withdrawing hides a candidate's past changes too), in one query. Rows, not
    objects: with the candidate's ``external_id`` beside the change's columns, ready for
    ``change_json``."""
    return list(db.session.execute(_FEED, {"cursor": cursor, "limit": limit}))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


# The five queries of a page of views, built once (building a statement costs more Python
# than running a cached one, and the API serves these on every request).
_IDS = bindparam("ids", expanding=True)
_VIEW_STATUSES = select(
    CandidateStatus.user_id, CandidateStatus.level, CandidateStatus.status,
    CandidateStatus.updated_at,
).where(CandidateStatus.user_id.in_(_IDS))  # fmt: skip
_VIEW_COHORTS = (
    select(CohortMembership.user_id, Cohort.id, Cohort.name, Cohort.target_level)
    .join(Cohort, CohortMembership.cohort_id == Cohort.id)
    .where(CohortMembership.user_id.in_(_IDS))
    .order_by(CohortMembership.joined_at, Cohort.id)
)
_VIEW_CERTIFICATES = (
    select(Certificate.user_id, Certificate.public_id, Certificate.level,
           Certificate.issued_at, Certificate.revoked_at)
    .where(Certificate.user_id.in_(_IDS))
    .order_by(Certificate.issued_at, Certificate.id)
)  # fmt: skip
_VIEW_ATTEMPTS = (
    select(ExamAttempt.user_id, ExamAttempt.level, ExamAttempt.scores, ExamAttempt.passed,
           ExamAttempt.finished_at)
    .where(
        ExamAttempt.user_id.in_(_IDS),
        ExamAttempt.kind == CERTIFICATION,
        ExamAttempt.status == FINISHED,
    )
    .order_by(ExamAttempt.finished_at, ExamAttempt.id)
)  # fmt: skip
_VIEW_RESULTS = (
    select(ExternalResult.user_id, ExternalResult.id, ExternalResult.exam,
           ExternalResult.level, ExternalResult.score, ExternalResult.band,
           ExternalResult.taken_on, ExternalResult.certificate_number, ExternalResult.state)
    .where(ExternalResult.user_id.in_(_IDS))
    .order_by(ExternalResult.taken_on, ExternalResult.id)
)  # fmt: skip


def candidate_view(user: Any) -> dict[str, Any]:
    """The candidate as the API returns it and as their recruiter-view page shows it
    (five small queries, whatever the candidate's history). The API serves it from the
    copy app/recruitment/views.py keeps; this builds it from the facts."""
    return candidate_views([user])[0]


def candidate_views(users: Sequence[Any]) -> list[dict[str, Any]]:
    """``candidate_view`` of each user (anything with ``id``, ``name`` and
    ``external_id``), in order, in five queries for the whole page: stored statuses,
    cohorts, certificates, finished certification attempts and outside results, each
    for every user at once."""
    ids = [user.id for user in users]
    if not ids:
        return []
    statuses: dict[int, dict[str, str]] = {i: dict.fromkeys(LEVELS, NOT_STARTED) for i in ids}
    updated: dict[int, datetime] = {}
    page = {"ids": ids}
    for row in db.session.execute(_VIEW_STATUSES, page):
        statuses[row.user_id][row.level] = row.status
        updated[row.user_id] = max(updated.get(row.user_id, row.updated_at), row.updated_at)
    cohorts: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for row in db.session.execute(_VIEW_COHORTS, page):
        cohorts[row.user_id].append(
            {"id": row.id, "name": row.name, "target_level": row.target_level}
        )
    certs: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for row in db.session.execute(_VIEW_CERTIFICATES, page):
        certs[row.user_id].append(
            {
                "id": row.public_id,
                "level": row.level,
                "issued_at": _iso(row.issued_at),
                "status": "revoked" if row.revoked_at is not None else "valid",
                "revoked_at": _iso(row.revoked_at),
            }
        )
    scores: dict[int, dict[str, Any]] = {i: dict.fromkeys(LEVELS) for i in ids}
    for row in db.session.execute(_VIEW_ATTEMPTS, page):
        if row.scores and row.level in LEVELS:  # oldest first: the latest one stays
            groups = row.scores.get("groups", {})
            scores[row.user_id][row.level] = {
                "sections": {group: values["scaled"] for group, values in groups.items()},
                "total": row.scores.get("total"),
                "passed": bool(row.passed),
                "sat_at": _iso(row.finished_at),
            }
    results: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for row in db.session.execute(_VIEW_RESULTS, page):
        results[row.user_id].append(
            {
                "id": row.id,
                "exam": row.exam,
                "level": row.level,
                "score": row.score,
                "band": row.band,
                "taken_on": row.taken_on.isoformat(),
                "certificate_number": row.certificate_number,
                "verification": row.state,
            }
        )
    views = []
    for user in users:
        passed = [level for level in LEVELS if statuses[user.id][level] == PASSED]
        views.append(
            {
                "id": user.id,
                "external_id": user.external_id,
                "name": user.name,
                "cohorts": cohorts[user.id],
                "level_reached": passed[-1] if passed else None,
                "status": statuses[user.id],
                "scores": scores[user.id],
                "certificates": certs[user.id],
                "external_results": results[user.id],
                "updated_at": _iso(updated.get(user.id)),
            }
        )
    return views
