"""Spaced review with FSRS: every item a trainee has answered becomes a card, and the
answer rates it (again when wrong; hard, good or easy by how long it took).

Times are passed in, not read from the clock here, so a test can move to tomorrow.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from fsrs import Card, Rating, Scheduler
from sqlalchemy import func, select

from app.extensions import db
from app.models import Item, PracticeSession, ReviewCard, User

SESSION_SIZE = 20
EASY_MS, HARD_MS = 3_000, 15_000


@lru_cache(maxsize=1)
def scheduler() -> Scheduler:
    return Scheduler()


def rating_for(correct: bool, response_ms: int | None) -> Rating:
    """Wrong is Again; a right answer is Easy when quick, Hard when slow, else Good."""
    if not correct:
        return Rating.Again
    if response_ms is None:
        return Rating.Good
    if response_ms <= EASY_MS:
        return Rating.Easy
    return Rating.Hard if response_ms >= HARD_MS else Rating.Good


def record(
    user_id: int, item_id: str, correct: bool, response_ms: int | None, now: datetime
) -> ReviewCard:
    """Schedule the item after this answer (its first answer makes the card)."""
    row = db.session.scalar(
        select(ReviewCard).where(ReviewCard.user_id == user_id, ReviewCard.item_id == item_id)
    )
    card = Card.from_dict(row.card) if row else Card(due=now)
    card, _log = scheduler().review_card(
        card, rating_for(correct, response_ms), review_datetime=now
    )
    if row is None:
        row = ReviewCard(user_id=user_id, item_id=item_id, card={}, due=card.due, reviews=0)
        db.session.add(row)
    row.card, row.due, row.last_reviewed_at = card.to_dict(), card.due, now
    row.reviews += 1
    db.session.flush()
    return row


def due_count(user: User, now: datetime) -> int:
    return db.session.scalar(
        select(func.count(ReviewCard.id)).where(
            ReviewCard.user_id == user.id, ReviewCard.due <= now
        )
    )


def start_review_session(user: User, now: datetime) -> PracticeSession | None:
    """A session of the cards due now, most overdue first; None when nothing is due."""
    ids = db.session.scalars(
        select(ReviewCard.item_id)
        .join(Item, Item.id == ReviewCard.item_id)
        .where(ReviewCard.user_id == user.id, ReviewCard.due <= now, Item.retired_at.is_(None))
        .order_by(ReviewCard.due)
        .limit(SESSION_SIZE)
    ).all()
    if not ids:
        return None
    session = PracticeSession(user_id=user.id, kind="review", item_ids=list(ids), started_at=now)
    db.session.add(session)
    db.session.flush()
    return session
