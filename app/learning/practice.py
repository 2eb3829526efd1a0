"""Practice sessions: which items a trainee is asked, and their answers graded and kept.

``answer`` stores the verdict before returning it, so the page only shows as graded
what is already in the database. It flushes; the caller commits once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.authoring import versions
from app.content.render import hide_readings
from app.content.services import passage_of
from app.extensions import db
from app.japanese.feedback import Feedback
from app.learning import progress, review
from app.learning.services import furigana_rule, live_lesson
from app.lib.service_error import ServiceError
from app.models import Dispute, Item, PracticeSession, Response, User
from app.models._columns import utcnow
from app.questions import registry
from app.questions import types as _types  # noqa: F401  (registers the question types)

log = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 4000  # a sentence at N4 is far shorter; larger bodies are refused
MAX_NOTE = 500


class PracticeError(ServiceError):
    """A request about a practice session that cannot be carried out; ``status`` is the
    HTTP status that says why (404 not yours or unknown, 409 ended, 422 malformed)."""


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
    """A session of the lesson's practice items, in the order authored (never exam items).
    A lesson whose prerequisites are not complete is locked (409), as the course map says."""
    lesson = live_lesson(lesson_id)
    if lesson is None:
        raise PracticeError("There is no such lesson.", 404)
    if progress.lesson_states(user, [lesson])[lesson.id].locked:
        raise PracticeError("Complete the lessons before this one first.", 409)
    ids = db.session.scalars(
        select(Item.id)
        .where(Item.lesson_id == lesson_id, Item.use == "practice", Item.retired_at.is_(None))
        .order_by(Item.source_path, Item.position)
    ).all()
    if not ids:
        raise PracticeError("This lesson has no practice items yet.", 404)
    session = PracticeSession(
        user_id=user.id, lesson_id=lesson_id, kind="lesson", item_ids=list(ids),
        item_versions=versions.live_versions(list(ids)),
    )  # fmt: skip
    db.session.add(session)
    db.session.flush()
    return session


# Listening and reading items stand apart from lessons: they are practised as sets.
SET_TYPES = {"listening": "listening", "reading": "reading-comprehension"}
SET_SIZE = 8


def set_items(level: str, kind: str) -> list[str]:
    """The practice items of a listening or reading set, in the order authored (items on
    one passage stay together)."""
    if kind not in SET_TYPES:
        return []
    return list(
        db.session.scalars(
            select(Item.id)
            .where(
                Item.level == level,
                Item.type == SET_TYPES[kind],
                Item.use == "practice",
                Item.retired_at.is_(None),
            )
            .order_by(Item.source_path, Item.position)
        )
    )


def start_set_session(user: User, level: str, kind: str) -> PracticeSession:
    """A session of the set's items the trainee has answered least, up to eight."""
    ids = set_items(level, kind)
    if not ids:
        raise PracticeError("There are no items of this kind yet.", 404)
    answered = dict(
        db.session.execute(
            select(Response.item_id, func.count(Response.id))
            .where(Response.user_id == user.id, Response.item_id.in_(ids))
            .group_by(Response.item_id)
        ).all()
    )
    chosen = set(sorted(ids, key=lambda i: (answered.get(i, 0), ids.index(i)))[:SET_SIZE])
    asked = [i for i in ids if i in chosen]
    session = PracticeSession(
        user_id=user.id, kind=kind, item_ids=asked, item_versions=versions.live_versions(asked)
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


def public_item(
    item_id: str, furigana: str = "always", *, version: int | None = None
) -> dict[str, Any]:
    """What the page may show before the answer: never the key. ``furigana`` is the
    trainee's setting; readings it hides leave the bare kanji. No reading is ever added,
    so kanji-reading and orthography items keep the tested word bare. ``version`` is the
    one the session or attempt was shown (None: the live one)."""
    item = db.session.get(Item, item_id)
    if item is None:
        raise PracticeError("There is no such item.", 404)
    shown = registry.get(item.type).public(versions.item_model(item, version))
    if "passage_id" in shown:
        shown["passage"] = passage_of(item)
    return with_furigana(shown, furigana, item.level)


def with_furigana(data: dict[str, Any], furigana: str, level: str) -> dict[str, Any]:
    """Every text of an item (strings and lists of strings) as the setting shows it."""
    show = furigana_rule(furigana, level)
    if show is None:
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = hide_readings(value, show)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = [hide_readings(v, show) for v in value]
        out[key] = value
    return out


@dataclass(frozen=True)
class Reviewed:
    """One answer of a past session, with the question as it was when it was answered."""

    response: Response
    item: dict[str, Any]  # what the page showed (never more), at the version answered
    given: str  # the answer as the trainee gave it, in words
    expected: str
    version: int | None
    updated_since: bool  # a newer version has been published since
    dispute: Dispute | None = None  # "I was right", and the instructor's decision on it


def session_review(user: User, session_id: int) -> list[Reviewed]:
    """Every answer of the trainee's own session (404 otherwise), each shown with the
    version of the question that was answered, not today's."""
    session = session_for(user, session_id)
    disputes = {
        d.response_id: d
        for d in db.session.scalars(
            select(Dispute).where(Dispute.response_id.in_([r.id for r in session.responses]))
        )
    }
    out = []
    for response in session.responses:
        item = db.session.get(Item, response.item_id)
        assert item is not None  # items are retired, never deleted
        number = response.item_version
        model = versions.item_model(item, number)
        shown = public_item(item.id, user.furigana, version=number)
        given = response.answer
        if isinstance(given, int) and 0 <= given < len(shown.get("options", [])):
            given = shown["options"][given]
        elif isinstance(given, list):
            given = " ".join(str(part) for part in given)
        out.append(
            Reviewed(
                response, shown, str(given), registry.get(item.type).expected(model), number,
                number is not None and item.version != number, disputes.get(response.id),
            )
        )  # fmt: skip
    return out


def end_session(user: User, session_id: int, now: datetime | None = None) -> dict[str, Any]:
    """Close the session and sum it up: answered, right, and the items to look at again.
    A lesson passed puts its words and kanji into the trainee's reviews."""
    session = session_for(user, session_id)
    if session.ended_at is None:
        session.ended_at = now or utcnow()
        lesson = live_lesson(session.lesson_id) if session.lesson_id else None
        if lesson is not None and progress.passed(session):
            review.enrol(user.id, review.lesson_items(lesson.meta), session.ended_at)
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
