"""Grading and storing one practice answer: the hot path of the whole platform.

Every answer of every trainee comes through here, so it is written with SQL expressions
on the tables rather than through the ORM's unit of work: five short statements (the
session, earlier answers to the item or with the key, the item, the review card, the
insert) and nothing for the commit to expire. The ORM's bookkeeping was most of an
answer's server time (see ``benchmarks/load_profile.py``).

``answer`` stores the verdict before returning it, so the page only shows as graded
what is already in the database. It writes inside the caller's transaction; the caller
commits once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, case, insert, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from app.authoring import versions
from app.extensions import db
from app.learning import review
from app.learning.practice import MAX_ANSWER_BYTES, PracticeError, stored_feedback
from app.models import Item, PracticeSession, Response, ReviewCard, User
from app.models._columns import utcnow
from app.questions import registry

_sessions = PracticeSession.__table__
_responses = Response.__table__
_items = Item.__table__
_cards = ReviewCard.__table__
_answer_columns = (
    _responses.c.id, _responses.c.item_id, _responses.c.item_version, _responses.c.correct,
    _responses.c.score, _responses.c.retry, _responses.c.feedback, _responses.c.client_key,
)  # fmt: skip

# Built once: constructing a statement costs more Python than running a cached one.
#
# One row says all that comes before grading: the session (is it this trainee's, still
# open, does it ask this item), the item as it is now, and the trainee's review card for
# it (both LEFT JOINed on the item asked, so a missing one is NULLs, not a missing row).
# One round trip instead of three: on PostgreSQL each costs more than the SQL itself.
CONTEXT = (
    select(
        _sessions.c.user_id, _sessions.c.ended_at, _sessions.c.item_ids,
        _sessions.c.item_versions, _items.c.id.label("item_id"), _items.c.type,
        _items.c.level, _items.c.data, _items.c.version, _items.c.retired_at,
        _cards.c.id.label("card_id"), _cards.c.card,
    )
    .select_from(_sessions)
    .outerjoin(_items, _items.c.id == bindparam("item_id"))
    .outerjoin(
        _cards,
        and_(_cards.c.user_id == _sessions.c.user_id, _cards.c.item_id == bindparam("item_id")),
    )
    .where(_sessions.c.id == bindparam("session_id"))
)  # fmt: skip
# One earlier answer of the session: the one with this key if there is one (a repeated
# post), else any answer to this item (a retry, which the review schedule ignores). One
# row at most, however often the item was answered, and with the key's row first.
EARLIER = (
    select(*_answer_columns)
    .where(
        _responses.c.session_id == bindparam("session_id"),
        or_(
            _responses.c.client_key == bindparam("client_key"),
            _responses.c.item_id == bindparam("item_id"),
        ),
    )
    .order_by(case((_responses.c.client_key == bindparam("client_key"), 0), else_=1))
    .limit(1)
)
BY_KEY = select(*_answer_columns).where(
    _responses.c.session_id == bindparam("session_id"),
    _responses.c.client_key == bindparam("client_key"),
)
STORE = insert(_responses).returning(_responses.c.id)


@dataclass(frozen=True)
class StoredAnswer:
    """The stored answer, as the verdict needs it."""

    id: int
    item_id: str
    item_version: int | None
    correct: bool
    score: float
    retry: bool
    feedback: list[dict[str, Any]]


@dataclass(frozen=True)
class Graded:
    response: StoredAnswer
    repeated: bool  # the same answer was posted before: nothing new was stored
    level: str  # the item's level (its furigana rule depends on it)
    explanation: str | None
    expected: str  # the right answer, to show now that the trainee has answered


def answer(
    user: User,
    session_id: int,
    item_id: str,
    given: Any,
    *,
    client_key: str,
    response_ms: int | None = None,
    now: datetime | None = None,
) -> Graded:
    """Grade and store one answer. The same ``client_key`` again returns the stored
    result without storing anything (a double click or a retry after a timeout)."""
    keys = {"session_id": session_id, "client_key": client_key, "item_id": item_id}
    context = db.session.execute(CONTEXT, keys).first()
    if context is None or context.user_id != user.id:
        raise PracticeError("There is no such practice session.", 404)
    if not client_key or len(client_key) > 64:
        raise PracticeError("Each answer needs a key of 1 to 64 characters.", 422)
    # One query answers both: was this key used before, and was this item answered before?
    earlier = db.session.execute(EARLIER, keys).first()
    existing = earlier if earlier is not None and earlier.client_key == client_key else None
    if existing is not None:
        if existing.item_id != item_id:
            raise PracticeError("This answer key was already used for another item.", 409)
        return _graded(existing, context, repeated=True)
    if context.ended_at is not None:
        raise PracticeError("This practice session has ended.", 409)
    if item_id not in context.item_ids:
        raise PracticeError("This item is not part of your session.", 404)
    if len(json.dumps(given, ensure_ascii=False).encode()) > MAX_ANSWER_BYTES:
        raise PracticeError("This answer is too long.", 413)
    if context.item_id is None or context.retired_at is not None:
        raise PracticeError("This item is no longer available.", 404)
    # Graded as the version the session showed, even if a newer one was published since.
    number = (context.item_versions or {}).get(item_id, context.version)
    kind, model = registry.get(context.type), _model(context, number)
    result = kind.grade(model, given)
    ms = response_ms if isinstance(response_ms, int) and response_ms >= 0 else None
    # Every read comes before the first write: on SQLite the write lock is then held only
    # for the writes and the commit, not while other queries run.
    if earlier is None:  # a retry within the session does not count twice
        card = (context.card_id, context.card) if context.card_id is not None else None
        review.record(user.id, item_id, result.correct, ms, now or utcnow(), card=card)
    stored = StoredAnswer(
        0, item_id, number, result.correct, result.score, result.retry,
        [stored_feedback(f) for f in result.feedback],
    )  # fmt: skip
    try:
        new_id = db.session.execute(
            STORE,
            {
                **keys,
                "user_id": user.id,
                "item_version": number,
                "answer": given,
                "correct": stored.correct,
                "score": stored.score,
                "retry": stored.retry,
                "feedback": stored.feedback,
                "response_ms": ms,
                "created_at": utcnow(),
            },
        ).scalar_one()
    except IntegrityError:  # the same key posted twice at the same moment: the other won
        db.session.rollback()
        again = db.session.execute(BY_KEY, keys).first()
        if again is None or again.item_id != item_id:
            raise PracticeError("This answer could not be stored. Send it again.", 409) from None
        return _graded(again, context, repeated=True)
    return Graded(
        replace(stored, id=new_id), False, context.level, context.data.get("explanation"),
        kind.expected(model),
    )  # fmt: skip


def _model(item: Row[Any], number: int | None) -> Any:
    """The item's model at ``number``: the row's own data when that is the live version."""
    if number is None or number == item.version:
        return registry.get(item.type).model.model_validate(item.data)
    return versions.item_model_at(item.item_id, number)


def _graded(row: Row[Any], item: Row[Any], repeated: bool) -> Graded:
    """The stored answer ``row`` to the item of ``item`` (a CONTEXT row), as first graded."""
    model = _model(item, row.item_version)
    stored = StoredAnswer(
        row.id, row.item_id, row.item_version, row.correct, row.score, row.retry, row.feedback
    )
    return Graded(
        stored, repeated, item.level, item.data.get("explanation"),
        registry.get(item.type).expected(model),
    )  # fmt: skip
