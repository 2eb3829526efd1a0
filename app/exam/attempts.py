"""Sitting an exam: start or resume an attempt, one section at a time on the server's
clock, answers saved as they are given, sections closed on submit or when time is up,
and the attempt scored at the end.

The server owns the time. A section's deadline is fixed when it opens; answers are taken
until the deadline plus ``GRACE_SECONDS`` (for a request already on its way), and the
first request after that closes the section and opens the next one, which starts then:
a candidate who closed the tab is not charged for the time away between sections.

Services flush; the route commits once. Nothing here sees the Flask request.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.authoring import versions
from app.exam import blueprint as blueprints
from app.exam import forms, scoring
from app.extensions import db
from app.learning import practice
from app.lib.service_error import ServiceError
from app.models import ExamAnswer, ExamAttempt, Item, User
from app.models.exams import ACTIVE, FINISHED
from app.questions import registry
from app.recruitment import status as recruitment

GRACE_SECONDS = 5
MAX_ANSWER_BYTES = practice.MAX_ANSWER_BYTES


class ExamError(ServiceError):
    """A request about an attempt that cannot be carried out; ``status`` is the HTTP
    status that says why (404 not yours or not in this section, 409 closed or too few
    items, 413 too large, 422 malformed)."""


@dataclass(frozen=True)
class MockResult:
    """What the dashboard shows of a trainee's latest finished mock exam."""

    attempt_id: int
    level: str
    scaled: dict[str, int]
    total: int
    passed: bool
    finished_at: datetime


# ---- starting ---------------------------------------------------------------------------


def active_attempt(user_id: int) -> ExamAttempt | None:
    return db.session.scalar(
        select(ExamAttempt).where(ExamAttempt.user_id == user_id, ExamAttempt.status == ACTIVE)
    )


def seen_items(user_id: int) -> set[str]:
    """Items the candidate answered in any earlier attempt."""
    return set(
        db.session.scalars(
            select(ExamAnswer.item_id)
            .join(ExamAttempt, ExamAnswer.attempt_id == ExamAttempt.id)
            .where(ExamAttempt.user_id == user_id)
        )
    )


def start(
    user: User,
    level: str,
    kind: str,
    *,
    now: datetime,
    seed: int | None = None,
    size: str = "full",
    window_id: int | None = None,
) -> tuple[ExamAttempt, bool]:
    """A new attempt with its form fixed, or the active one (``True``: resumed).
    A certification attempt names its window and the form size the window chose."""
    if found := active_attempt(user.id):
        return found, True
    try:
        plan = blueprints.blueprint_for(level, kind, size)
    except KeyError:
        raise ExamError("There is no such exam.", 404) from None
    seed = random.SystemRandom().randrange(2**31) if seed is None else seed
    form = forms.assemble(
        plan, forms.load_pool(level, plan.use), seen=seen_items(user.id), seed=seed
    )
    if kind != "mock" and form.short:
        raise ExamError("The item bank cannot fill this exam's blueprint yet.", 409)
    if any(not _section_ids(section) for section in form.sections):
        raise ExamError("There are not enough items for this exam yet.", 409)
    asked = [i for section in form.sections for i in _section_ids(section)]
    attempt = ExamAttempt(
        user_id=user.id, level=level, kind=kind, status=ACTIVE, seed=seed,
        form=form.sections, item_versions=versions.live_versions(asked), section_log=[],
        started_at=now, window_id=window_id,
    )  # fmt: skip
    _open_section(attempt, 0, now)
    try:
        with db.session.begin_nested():  # two tabs starting at once: one attempt wins
            db.session.add(attempt)
    except IntegrityError:
        if found := active_attempt(user.id):
            return found, True
        raise
    return attempt, False


def _section_ids(section: dict[str, Any]) -> list[str]:
    return [item_id for part in section["parts"] for item_id in part["items"]]


def _open_section(attempt: ExamAttempt, index: int, now: datetime) -> None:
    attempt.section_index = index
    attempt.section_started_at = now
    attempt.section_deadline = now + timedelta(minutes=attempt.form[index]["minutes"])


# ---- the clock --------------------------------------------------------------------------


def attempt_for(user: User, attempt_id: int, *, lock: bool = False) -> ExamAttempt:
    """The candidate's own attempt; another candidate's is as good as missing (404)."""
    attempt = db.session.get(ExamAttempt, attempt_id, with_for_update=lock or None)
    if attempt is None or attempt.user_id != user.id:
        raise ExamError("There is no such exam attempt.", 404)
    return attempt


def _closed(attempt: ExamAttempt, now: datetime) -> bool:
    deadline = attempt.section_deadline
    return deadline is not None and now > deadline + timedelta(seconds=GRACE_SECONDS)


def _close_section(attempt: ExamAttempt, now: datetime, *, timed_out: bool) -> None:
    """Log the section as closed and open the next one, or finish the attempt."""
    assert attempt.section_started_at is not None
    assert attempt.section_deadline is not None
    closed_at = min(now, attempt.section_deadline) if timed_out else now
    attempt.section_log = [
        *attempt.section_log,
        {
            "section": attempt.form[attempt.section_index]["id"],
            "started_at": attempt.section_started_at.isoformat(),
            "deadline": attempt.section_deadline.isoformat(),
            "closed_at": closed_at.isoformat(),
            "timed_out": timed_out,
        },
    ]
    if attempt.section_index + 1 < len(attempt.form):
        _open_section(attempt, attempt.section_index + 1, now)
    else:
        _finish(attempt, now)


def catch_up(attempt: ExamAttempt, now: datetime) -> None:
    """Close the current section if its time ran out: the first request after moves on."""
    if attempt.status == ACTIVE and _closed(attempt, now):
        _close_section(attempt, now, timed_out=True)
        db.session.flush()


# ---- the current section ----------------------------------------------------------------


def section_state(user: User, attempt_id: int, now: datetime) -> dict[str, Any]:
    """The current section as the page needs it: items without keys, the answers saved so
    far and the seconds left by the server's clock."""
    attempt = attempt_for(user, attempt_id, lock=True)
    catch_up(attempt, now)
    state: dict[str, Any] = {
        "attempt_id": attempt.id,
        "level": attempt.level,
        "kind": attempt.kind,
        "status": attempt.status,
        "sections": [
            {"id": s["id"], "minutes": s["minutes"], "count": len(_section_ids(s))}
            for s in attempt.form
        ],
        "section": None,
    }
    if attempt.status != ACTIVE:
        return state
    section = attempt.form[attempt.section_index]
    ids = _section_ids(section)
    db.session.scalars(select(Item).where(Item.id.in_(ids))).all()  # one query, then cached
    saved = db.session.scalars(
        select(ExamAnswer).where(ExamAnswer.attempt_id == attempt.id, ExamAnswer.item_id.in_(ids))
    ).all()
    assert attempt.section_deadline is not None
    state["section"] = {
        "index": attempt.section_index,
        "id": section["id"],
        "parts": [
            {
                "skill": part["skill"],
                "items": [
                    practice.public_item(i, version=attempt.item_versions.get(i))
                    for i in part["items"]
                ],
            }
            for part in section["parts"]
        ],
        "answers": {a.item_id: a.answer for a in saved},
        "deadline": attempt.section_deadline.isoformat(),
        "remaining_seconds": remaining(attempt, now),
    }
    return state


def remaining(attempt: ExamAttempt, now: datetime) -> int:
    if attempt.status != ACTIVE or attempt.section_deadline is None:
        return 0
    return max(0, int((attempt.section_deadline - now).total_seconds()))


def _checked_answer(given: Any) -> Any:
    """An answer is a string (typed or the option chosen), an option's index, or the
    chunks of an ordering item in order; anything else is malformed."""
    if len(json.dumps(given, ensure_ascii=False).encode()) > MAX_ANSWER_BYTES:
        raise ExamError("This answer is too long.", 413)
    if isinstance(given, bool) or not (
        isinstance(given, str | int)
        or (isinstance(given, list) and all(isinstance(x, str) for x in given))
    ):
        raise ExamError("An answer is text, an option's number or a list of chunks.", 422)
    return given


def save_answer(user: User, attempt_id: int, item_id: str, given: Any, now: datetime) -> ExamAnswer:
    """Save (or change) the answer to an item of the open section. Saving the same answer
    again changes nothing; the verdict is kept for scoring and never sent to the page."""
    attempt = attempt_for(user, attempt_id, lock=True)
    if attempt.status != ACTIVE:
        raise ExamError("This exam attempt has ended.", 409)
    if _closed(attempt, now):
        raise ExamError("Time is up for this section: the answer was not saved.", 409)
    section = attempt.form[attempt.section_index]
    if item_id not in _section_ids(section):
        raise ExamError("This item is not part of the open section.", 404)
    given = _checked_answer(given)
    item = db.session.get(Item, item_id)
    if item is None:
        raise ExamError("This item is no longer available.", 404)
    # Graded as the version the attempt was shown, even if a newer one was published since.
    model = versions.item_model(item, (attempt.item_versions or {}).get(item_id))
    correct = registry.get(item.type).grade(model, given).correct
    row = _answer_row(attempt.id, item_id)
    if row is None:
        try:
            with db.session.begin_nested():  # the same answer posted twice at once
                row = ExamAnswer(
                    attempt_id=attempt.id, item_id=item_id, section=section["id"],
                    answer=given, correct=correct, saved_at=now,
                )  # fmt: skip
                db.session.add(row)
            return row
        except IntegrityError:
            row = _answer_row(attempt.id, item_id)
            assert row is not None
    if row.answer != given:
        row.answer, row.correct, row.saved_at = given, correct, now
        db.session.flush()
    return row


def _answer_row(attempt_id: int, item_id: str) -> ExamAnswer | None:
    return db.session.scalar(
        select(ExamAnswer).where(ExamAnswer.attempt_id == attempt_id, ExamAnswer.item_id == item_id)
    )


def submit_section(user: User, attempt_id: int, index: int, now: datetime) -> None:
    """Close section ``index``. Submitting a section already closed does nothing, so a
    repeated request never skips the section after it."""
    attempt = attempt_for(user, attempt_id, lock=True)
    catch_up(attempt, now)
    if attempt.status != ACTIVE or index < attempt.section_index:
        return
    if index > attempt.section_index:
        raise ExamError("That section has not started yet.", 409)
    _close_section(attempt, now, timed_out=False)
    db.session.flush()


# ---- scoring ----------------------------------------------------------------------------


def _finish(attempt: ExamAttempt, now: datetime) -> None:
    answers = {
        a.item_id: a
        for a in db.session.scalars(select(ExamAnswer).where(ExamAnswer.attempt_id == attempt.id))
    }
    ids = [i for section in attempt.form for i in _section_ids(section)]
    rows = db.session.execute(  # calibrated where known, else as authored
        select(Item.id, Item.scale_difficulty.label("b")).where(Item.id.in_(ids))
    )
    difficulty: dict[str, float | None] = {row.id: row.b for row in rows}
    raw: dict[str, dict[str, int]] = {}
    responses: dict[str, list[tuple[float | None, bool]]] = {}
    for section in attempt.form:
        section_ids = _section_ids(section)
        given = [answers[i] for i in section_ids if i in answers]
        raw[section["id"]] = {
            "asked": len(section_ids),
            "answered": len(given),
            "right": sum(1 for a in given if a.correct),
        }
        group = blueprints.GROUP_OF_SECTION[section["id"]]
        responses.setdefault(group, []).extend(
            (difficulty.get(i), i in answers and answers[i].correct) for i in section_ids
        )
    outcome = scoring.score(attempt.level, responses)
    attempt.scores = {
        "sections": raw,
        "groups": {
            group: {
                "theta": round(outcome.abilities[group].theta, 4),
                "sd": round(outcome.abilities[group].sd, 4),
                "scaled": outcome.scaled[group],
                "maximum": scoring.MAXIMUM[group],
                "minimum": scoring.SECTION_MINIMUM[group],
            }
            for group in scoring.MAXIMUM
        },
        "total": outcome.total,
        "pass_mark": scoring.PASS_TOTAL[attempt.level],
    }
    attempt.passed = outcome.passed
    attempt.status = FINISHED
    attempt.finished_at = now
    attempt.section_started_at = attempt.section_deadline = None
    if attempt.kind == "certification" and attempt.passed:
        _issue_certificate(attempt, now)
    recruitment.refresh(attempt.user_id, now=now, cause=recruitment.ATTEMPT_FINISHED)


def _issue_certificate(attempt: ExamAttempt, now: datetime) -> None:
    """A passed certification attempt earns its certificate in the same transaction as
    its score, whichever request finished it (a submit or the first one after time ran
    out), so a pass can never be left without one."""
    from app.certification import certificates  # certification builds on the exam engine

    db.session.flush()
    certificates.issue(attempt, now=now)


def past_attempts(user_id: int, kind: str = "mock") -> list[ExamAttempt]:
    return list(
        db.session.scalars(
            select(ExamAttempt)
            .where(
                ExamAttempt.user_id == user_id,
                ExamAttempt.kind == kind,
                ExamAttempt.status == FINISHED,
            )
            .order_by(ExamAttempt.finished_at.desc(), ExamAttempt.id.desc())
        )
    )


def latest_mock(user_id: int, level: str) -> MockResult | None:
    """The latest finished mock exam at this level, for the dashboard."""
    attempt = db.session.scalar(
        select(ExamAttempt)
        .where(
            ExamAttempt.user_id == user_id,
            ExamAttempt.kind == "mock",
            ExamAttempt.level == level,
            ExamAttempt.status == FINISHED,
        )
        .order_by(ExamAttempt.finished_at.desc(), ExamAttempt.id.desc())
        .limit(1)
    )
    if attempt is None or attempt.scores is None or attempt.finished_at is None:
        return None
    groups = attempt.scores["groups"]
    return MockResult(
        attempt_id=attempt.id,
        level=attempt.level,
        scaled={group: groups[group]["scaled"] for group in groups},
        total=attempt.scores["total"],
        passed=bool(attempt.passed),
        finished_at=attempt.finished_at,
    )
