"""Item analysis from the database: which answers count, for whom, and the figures.

Counted: each trainee's *first* answer to each item, so practising an item again (or
reviewing it a week later) does not inflate its facility. Two sources:

- practice: every practice session kind (lesson, review, listening, reading); an answer
  the checker sent back for another try (``retry``, e.g. typed in the wrong script) was not
  graded as right or wrong, so it is skipped;
- exams: answers in finished exam attempts (mock and certification); active attempts may
  still change and invalidated ones are void.

When a trainee answered an item in both, the earlier answer counts. Only trainees'
answers count (staff trying items would skew them), and centre staff see only the answers
of trainees of their own centre; programme admins see every centre.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Select, cast, func, null, select

from app.analysis.stats import (
    MIN_RESPONSES,
    Answer,
    ItemInfo,
    ItemStats,
    analyse,
    answer_text,
    chosen_option,
    item_stats,
    rest_scores,
)
from app.extensions import db
from app.models import Dispute, ExamAnswer, ExamAttempt, Item, Response, Role, User
from app.models.exams import FINISHED

SOURCES = ("practice", "exam")


@dataclass(frozen=True)
class Scope:
    """Whose answers count: trainees of one centre, or of all (``centre_id`` None)."""

    centre_id: int | None

    @classmethod
    def for_user(cls, actor: User) -> Scope:
        return cls(None if actor.role is Role.PROGRAMME_ADMIN else actor.centre_id)

    def trainees(self, query: Select[Any]) -> Select[Any]:
        """Restrict a query already joined to ``User`` to the trainees in scope."""
        query = query.where(User.role == Role.TRAINEE)
        return query if self.centre_id is None else query.where(User.centre_id == self.centre_id)


@dataclass(frozen=True)
class ItemRow:
    item: Item
    stats: ItemStats


@dataclass(frozen=True)
class OpenDispute:
    id: int
    trainee: str
    answer: str  # as one line, an option's text for choice items
    note: str
    created_at: datetime


def first_answers(scope: Scope, item_ids: Sequence[str] | None = None) -> list[Answer]:
    """Each trainee's first answer to each item, over both sources (earlier one wins).
    The database picks each source's first (``row_number``), so only one row per person
    and item and source travels; the two sources are then merged here by time."""
    rows: list[tuple[datetime, int, Answer]] = []
    for source_rank, query in enumerate((_first_practice(scope), _first_exam(scope))):
        sub = query.subquery()
        stmt = select(sub).where(sub.c.n == 1)
        if item_ids is not None:
            stmt = stmt.where(sub.c.item_id.in_(item_ids))
        for r in db.session.execute(stmt):
            answer = Answer(r.user_id, r.item_id, bool(r.correct), r.answer, r.response_ms)
            rows.append((r.at, source_rank, answer))
    first: dict[tuple[int, str], Answer] = {}
    for _at, _rank, answer in sorted(rows, key=lambda row: (row[0], row[1])):
        first.setdefault((answer.user_id, answer.item_id), answer)
    return list(first.values())


def _first_practice(scope: Scope) -> Select[Any]:
    return scope.trainees(
        select(
            Response.user_id,
            Response.item_id,
            Response.correct,
            Response.answer,
            Response.response_ms,
            Response.created_at.label("at"),
            func.row_number()
            .over(
                partition_by=(Response.user_id, Response.item_id),
                order_by=(Response.created_at, Response.id),
            )
            .label("n"),
        )
        .join(User, User.id == Response.user_id)
        .where(Response.retry.is_(False))
    )


def _first_exam(scope: Scope) -> Select[Any]:
    return scope.trainees(
        select(
            ExamAttempt.user_id,
            ExamAnswer.item_id,
            ExamAnswer.correct,
            ExamAnswer.answer,
            cast(null(), Integer).label("response_ms"),
            ExamAnswer.saved_at.label("at"),
            func.row_number()
            .over(
                partition_by=(ExamAttempt.user_id, ExamAnswer.item_id),
                order_by=(ExamAnswer.saved_at, ExamAnswer.id),
            )
            .label("n"),
        )
        .join(ExamAttempt, ExamAttempt.id == ExamAnswer.attempt_id)
        .join(User, User.id == ExamAttempt.user_id)
        .where(ExamAttempt.status == FINISHED)
    )


def open_dispute_counts(scope: Scope) -> dict[str, int]:
    query = scope.trainees(
        select(Dispute.item_id, func.count())
        .join(User, User.id == Dispute.user_id)
        .where(Dispute.status == "open")
        .group_by(Dispute.item_id)
    )
    return dict(db.session.execute(query).all())


def open_disputes(scope: Scope, item_id: str) -> list[OpenDispute]:
    query = scope.trainees(
        select(Dispute, User.name, Response.answer)
        .join(User, User.id == Dispute.user_id)
        .join(Response, Response.id == Dispute.response_id)
        .where(Dispute.status == "open", Dispute.item_id == item_id)
        .order_by(Dispute.created_at, Dispute.id)
    )
    item = db.session.get(Item, item_id)
    options = item_info(item).options if item is not None else ()
    return [
        OpenDispute(
            d.id, name, answer_text(chosen_option(answer, options) or answer), d.note, d.created_at
        )
        for d, name, answer in db.session.execute(query)
    ]


def item_info(item: Item) -> ItemInfo:
    """Choice-like items (choice, listening, reading comprehension) carry options and a
    key; the statistics count choices for those only."""
    options = item.data.get("options")
    if isinstance(options, list) and "answer" in item.data:
        return ItemInfo(item.id, item.level, tuple(options), item.data["answer"])
    return ItemInfo(item.id, item.level)


def item_table(
    actor: User,
    *,
    level: str | None = None,
    section: str | None = None,
    use: str | None = None,
    flagged_only: bool = False,
    min_responses: int = MIN_RESPONSES,
) -> list[ItemRow]:
    """Every item with answers (or open disputes) in the actor's scope, most concerning
    first. Rest-scores use every item of the level, whatever the filters show."""
    scope = Scope.for_user(actor)
    answers = first_answers(scope)
    disputes = open_dispute_counts(scope)
    ids = {a.item_id for a in answers} | set(disputes)
    items = {i.id: i for i in db.session.scalars(select(Item).where(Item.id.in_(ids)))}
    found = analyse({i: item_info(it) for i, it in items.items()}, answers, disputes, min_responses)
    rows = [ItemRow(items[s.item_id], s) for s in found]
    return [
        row
        for row in rows
        if (level is None or row.item.level == level)
        and (section is None or row.item.section == section)
        and (use is None or row.item.use == use)
        and (not flagged_only or row.stats.flags)
    ]


def item_detail(actor: User, item_id: str, min_responses: int = MIN_RESPONSES) -> ItemRow | None:
    """One item's statistics. Its rest-scores need the same trainees' answers to the other
    items of its level, so those are read too."""
    item = db.session.get(Item, item_id)
    if item is None:
        return None
    scope = Scope.for_user(actor)
    level = {
        i.id: i.level for i in db.session.scalars(select(Item).where(Item.level == item.level))
    }
    answers = first_answers(scope, list(level))
    stats = item_stats(
        item_info(item),
        [a for a in answers if a.item_id == item_id],
        rest_scores(answers, level),
        open_dispute_counts(scope).get(item_id, 0),
        min_responses,
    )
    return ItemRow(item, stats)
