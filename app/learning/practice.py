"""Practice sessions: which items a trainee is asked, and their answers graded and kept.

``answer`` stores the verdict before returning it, so the page only shows as graded
what is already in the database. It flushes; the caller commits once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.japanese.feedback import Feedback
from app.learning import review
from app.models import Dispute, Item, PracticeSession, Response, User
from app.models._columns import utcnow
from app.questions import registry
from app.questions import types as _types  # noqa: F401  (registers the question types)

log = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 4000  # a sentence at N4 is far shorter; larger bodies are refused
MAX_NOTE = 500


class PracticeError(ValueError):
    """A request about a practice session that cannot be carried out; ``status`` is the
    HTTP status that says why (404 not yours or unknown, 409 ended, 422 malformed)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Graded:
    response: Response
    repeated: bool  # the same answer was posted before: nothing new was stored


def _model(item: Item):  # type: ignore[no-untyped-def]
    return registry.get(item.type).model.model_validate(item.data)


def stored_feedback(item: Feedback) -> dict[str, Any]:
    """Feedback as kept with the answer: enough to show it again in any language."""
    return {**item.to_dict(), "message_id": item.message_id, "params": dict(item.params)}


def feedback_in(
    stored: list[dict[str, Any]], translate: Callable[[str], str]
) -> list[dict[str, Any]]:
    """Stored feedback with its messages in the reader's language."""
    out = []
    for entry in stored:
        item = Feedback(
            entry["code"], entry.get("message_id", entry["code"]), entry.get("expected"),
            entry.get("got"), entry.get("params", {}),
        )  # fmt: skip
        shown = {k: v for k, v in entry.items() if k not in ("message_id", "params")}
        out.append({**shown, "message": item.message_in(translate)})
    return out


def start_lesson_session(user: User, lesson_id: str) -> PracticeSession:
    """A session of the lesson's practice items, in the order authored (never exam items)."""
    ids = db.session.scalars(
        select(Item.id)
        .where(Item.lesson_id == lesson_id, Item.use == "practice", Item.retired_at.is_(None))
        .order_by(Item.source_path, Item.position)
    ).all()
    if not ids:
        raise PracticeError("This lesson has no practice items yet.", 404)
    session = PracticeSession(
        user_id=user.id, lesson_id=lesson_id, kind="lesson", item_ids=list(ids)
    )
    db.session.add(session)
    db.session.flush()
    return session


def session_for(user: User, session_id: int) -> PracticeSession:
    """The trainee's own session; another trainee's is as good as missing (404)."""
    session = db.session.get(PracticeSession, session_id)
    if session is None or session.user_id != user.id:
        raise PracticeError("There is no such practice session.", 404)
    return session


def expected_answer(item_id: str) -> str | None:
    """The right answer to show once the trainee has answered."""
    item = db.session.get(Item, item_id)
    return registry.get(item.type).expected(_model(item)) if item is not None else None


def public_item(item_id: str) -> dict[str, Any]:
    """What the page may show before the answer: never the key."""
    item = db.session.get(Item, item_id)
    if item is None:
        raise PracticeError("There is no such item.", 404)
    return registry.get(item.type).public(_model(item))


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
    session = session_for(user, session_id)
    if not client_key or len(client_key) > 64:
        raise PracticeError("Each answer needs a key of 1 to 64 characters.", 422)
    existing = db.session.scalar(
        select(Response).where(Response.session_id == session.id, Response.client_key == client_key)
    )
    if existing is not None:
        if existing.item_id != item_id:
            raise PracticeError("This answer key was already used for another item.", 409)
        return Graded(existing, repeated=True)
    if session.ended_at is not None:
        raise PracticeError("This practice session has ended.", 409)
    if item_id not in session.item_ids:
        raise PracticeError("This item is not part of your session.", 404)
    if len(json.dumps(given, ensure_ascii=False).encode()) > MAX_ANSWER_BYTES:
        raise PracticeError("This answer is too long.", 413)
    item = db.session.get(Item, item_id)
    if item is None or item.retired_at is not None:
        raise PracticeError("This item is no longer available.", 404)
    result = registry.get(item.type).grade(_model(item), given)
    response = Response(
        session_id=session.id,
        user_id=user.id,
        item_id=item_id,
        client_key=client_key,
        answer=given,
        correct=result.correct,
        score=result.score,
        retry=result.retry,
        feedback=[stored_feedback(f) for f in result.feedback],
        response_ms=response_ms if isinstance(response_ms, int) and response_ms >= 0 else None,
    )
    db.session.add(response)
    db.session.flush()
    first_in_session = (
        db.session.scalar(
            select(func.count(Response.id)).where(
                Response.session_id == session.id, Response.item_id == item_id
            )
        )
        == 1
    )
    if first_in_session:  # a retry within the session does not count twice
        review.record(user.id, item_id, response.correct, response.response_ms, now or utcnow())
    return Graded(response, repeated=False)


def end_session(user: User, session_id: int) -> dict[str, Any]:
    """Close the session and sum it up: answered, right, and the items to look at again."""
    session = session_for(user, session_id)
    if session.ended_at is None:
        session.ended_at = utcnow()
        db.session.flush()
    latest: dict[str, Response] = {}
    for response in session.responses:
        latest[response.item_id] = response
    return {
        "asked": len(session.item_ids),
        "answered": len(latest),
        "correct": sum(1 for r in latest.values() if r.correct),
        "to_review": [item_id for item_id, r in latest.items() if not r.correct],
    }


def dispute(user: User, response_id: int, note: str) -> Dispute:
    """ "I was right": kept once per answer, for the item's instructors."""
    response = db.session.get(Response, response_id)
    if response is None or response.user_id != user.id:
        raise PracticeError("There is no such answer.", 404)
    if response.correct:
        raise PracticeError("This answer was already marked right.", 409)
    found = db.session.scalar(select(Dispute).where(Dispute.response_id == response.id))
    if found is not None:
        return found
    made = Dispute(
        response_id=response.id,
        item_id=response.item_id,
        user_id=user.id,
        note=note.strip()[:MAX_NOTE],
    )
    db.session.add(made)
    db.session.flush()
    log.info("grading disputed", extra={"response_id": response.id, "item_id": response.item_id})
    return made
