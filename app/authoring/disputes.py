"""Disputed gradings: trainees' "I was right", decided by the staff who see them.

Accepting a disputed answer adds it to the item's accepted list as a new published
version (so the content files and the history say why the list grew), then re-grades the
past practice answers to the item that the new list marks better, and closes every open
dispute those answers carried. Rejecting needs a note saying why.

Scope: centre staff see and decide the disputes of their own centre's trainees; a
programme admin sees every centre (the same rule as item analysis). The item itself is
shared, so an accepted answer counts for every centre's trainees.

Services flush; the route commits once.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.analysis.services import Scope
from app.analysis.stats import answer_text, chosen_option
from app.authoring import versions
from app.extensions import db
from app.learning.practice import stored_feedback
from app.lib.service_error import ServiceError
from app.models import Dispute, Item, Response, User
from app.models._columns import utcnow
from app.models.versions import ITEM
from app.questions import registry
from app.questions.base import ItemModel, Result
from app.questions.types._typed import TypedType

log = logging.getLogger(__name__)

OPEN, ACCEPTED, REJECTED = "open", "accepted", "rejected"
SYNTAX = frozenset("()[]|")  # the accepted-answer syntax of app/japanese/accepted.py
MAX_NOTE = 500
VERSION_NOTE = "accepted from a dispute"


class DisputeError(ServiceError):
    """A decision that cannot be carried out; ``status`` says why (404 not in your scope,
    409 already decided or the item changed meanwhile, 422 not acceptable as asked)."""


@dataclass(frozen=True)
class Claim:
    """One trainee's dispute of an answer."""

    dispute_id: int
    trainee: str
    note: str
    created_at: datetime


@dataclass
class DisputedAnswer:
    """One answer in dispute, however many trainees gave it."""

    answer: Any  # as stored
    text: str  # as one line (an option's text for choice items)
    claims: list[Claim] = field(default_factory=list)
    right_now: bool = False  # the live version already grades it right
    codes: tuple[str, ...] = ()  # the checker's feedback codes under the live version
    refusal: str | None = None  # why accepting is not offered; None: it is
    regrades: int | None = None  # past answers accepting would re-grade (item page only)

    @property
    def first(self) -> int:
        """The dispute the page's forms decide (the others of the answer follow it)."""
        return self.claims[0].dispute_id


@dataclass
class ItemDisputes:
    item: Item
    answers: list[DisputedAnswer]

    @property
    def count(self) -> int:
        return sum(len(a.claims) for a in self.answers)


@dataclass(frozen=True)
class Accepted:
    version: int | None  # the version published (None: the answer was already accepted)
    regraded: int  # past answers re-graded
    closed: int  # open disputes closed, this one included


# ---- reading ----------------------------------------------------------------------------


def _in_scope(viewer: User) -> Any:
    """Open disputes of the trainees the viewer may see, with the answer and trainee."""
    return Scope.for_user(viewer).trainees(
        select(Dispute, User.name, Response.answer)
        .join(User, User.id == Dispute.user_id)
        .join(Response, Response.id == Dispute.response_id)
        .where(Dispute.status == OPEN)
        .order_by(Dispute.created_at, Dispute.id)
    )


def open_count(viewer: User) -> int:
    """How many open disputes the viewer may decide: the number in the staff menu."""
    if not viewer.role.is_staff:
        return 0
    sub = _in_scope(viewer).subquery()
    return db.session.scalar(select(func.count()).select_from(sub)) or 0


def open_disputes(viewer: User, item_id: str | None = None) -> list[ItemDisputes]:
    """Open disputes grouped by item (most disputed first), then by answer. With
    ``item_id``, only that item, and each answer says how many past answers accepting it
    would re-grade, so the page can say so before anyone clicks."""
    query = _in_scope(viewer)
    if item_id is not None:
        query = query.where(Dispute.item_id == item_id)
    grouped: dict[str, dict[str, DisputedAnswer]] = defaultdict(dict)
    items: dict[str, Item] = {}
    for dispute, trainee, given in db.session.execute(query):
        item = items.get(dispute.item_id) or db.session.get(Item, dispute.item_id)
        assert item is not None  # items are retired, never deleted
        items[item.id] = item
        key = json.dumps(given, ensure_ascii=False, sort_keys=True)
        if key not in grouped[item.id]:
            options = tuple(item.data.get("options") or ())
            text = answer_text(chosen_option(given, options) or given)
            grouped[item.id][key] = DisputedAnswer(given, text)
        grouped[item.id][key].claims.append(
            Claim(dispute.id, trainee, dispute.note, dispute.created_at)
        )
    out = []
    for found_id, answers in grouped.items():
        item = items[found_id]
        model = versions.item_model(item, None)
        for disputed in answers.values():
            result = registry.get(item.type).grade(model, disputed.answer)
            disputed.right_now = result.correct
            disputed.codes = tuple(f.code for f in result.feedback)
            disputed.refusal = refusal(item, disputed.answer)
            if item_id is not None and disputed.refusal is None:
                disputed.regrades = len(_regrades(item, _accepting(item, model, disputed.answer)))
        out.append(ItemDisputes(item, list(answers.values())))
    out.sort(key=lambda group: (-group.count, group.item.id))
    return out


def refusal(item: Item, answer: Any) -> str | None:
    """Why this answer cannot simply be added to the item's accepted list, or None.
    Choice-like items have no list (edit the item instead); the syntax characters would
    be read as ``(optional)`` or ``[A|B]`` and there is no escape for them, so such an
    answer is refused rather than written into the list as something else."""
    if not isinstance(registry.get(item.type), TypedType):
        return "This item has no list of accepted answers: edit the item instead."
    if not isinstance(answer, str) or not answer.strip():
        return "Only a typed answer can be accepted."
    if SYNTAX & set(answer):
        return (
            "This answer contains ( ) [ ] or |, which the accepted list reads as its own "
            "syntax: edit the item to accept it."
        )
    return None


# ---- deciding ---------------------------------------------------------------------------


def _decidable(viewer: User, dispute_id: int) -> tuple[Dispute, Item]:
    """The dispute, if the viewer may see it (404) and it is still open (409)."""
    found = db.session.scalar(
        Scope.for_user(viewer).trainees(
            select(Dispute).join(User, User.id == Dispute.user_id).where(Dispute.id == dispute_id)
        )
    )
    if found is None or not viewer.role.is_staff:
        raise DisputeError("There is no such dispute.", 404)
    if found.status != OPEN:
        raise DisputeError(f"This dispute was already {found.status}.", 409)
    item = db.session.get(Item, found.item_id)
    assert item is not None
    return found, item


def _accepting(item: Item, live: ItemModel, answer: str) -> ItemModel:
    """The item as it would be with ``answer`` accepted (the live one when the answer
    is already right). Conjugation items without a list get their generated forms
    written out first, so accepting one answer does not drop the others."""
    kind = registry.get(item.type)
    if kind.grade(live, answer).correct:
        return live
    assert isinstance(kind, TypedType)
    accepted = [*kind.accepted(live), answer.strip()]
    return kind.model.model_validate({**item.data, "accepted": accepted})


def _regrades(item: Item, model: ItemModel) -> list[tuple[Response, Result]]:
    """Past practice answers to the item that ``model`` grades better than they were
    graded. Only ever better: a re-grade never takes a mark away from a trainee (an
    older version may have accepted what this one does not). Each distinct answer is
    graded once. Exam answers are not touched: a finished exam's score stands."""
    kind = registry.get(item.type)
    results: dict[str, Result] = {}
    out = []
    for response in db.session.scalars(
        select(Response)
        .where(Response.item_id == item.id, Response.correct.is_(False))
        .order_by(Response.id)
    ):
        key = json.dumps(response.answer, ensure_ascii=False, sort_keys=True)
        if key not in results:
            results[key] = kind.grade(model, response.answer)
        result = results[key]
        if result.correct or result.score > response.score:
            out.append((response, result))
    return out


def accept(viewer: User, dispute_id: int, note: str = "") -> Accepted:
    """Accept the disputed answer: publish a version of the item that accepts it, re-grade
    the past answers that now grade better, and close every open dispute whose answer is
    now right (the same answer disputed by others, in any centre, is settled with it).

    A re-graded answer takes the new version's verdict, feedback and version number, so
    it says which version graded it; each is logged. Review cards (FSRS) are left as
    they are: the history of what the trainee was told at the time is not rewritten, and
    the card's next review corrects itself when the answer is given again."""
    dispute, item = _decidable(viewer, dispute_id)
    response = db.session.get(Response, dispute.response_id)
    assert response is not None
    reason = refusal(item, response.answer)
    if reason is not None:
        raise DisputeError(reason, 422)
    live = versions.item_model(item, None)
    model = _accepting(item, live, response.answer)
    number = None
    if model is not live:
        number = _publish(viewer, item, model, note)
        model = versions.item_model(item, number)
    regraded = _regrades(item, model)
    for changed, result in regraded:
        log.info(
            "response re-graded",
            extra={
                "response_id": changed.id, "item_id": item.id, "dispute_id": dispute.id,
                "from_version": changed.item_version, "to_version": item.version,
            },
        )  # fmt: skip
        changed.correct, changed.score, changed.retry = result.correct, result.score, result.retry
        changed.feedback = [stored_feedback(f) for f in result.feedback]
        changed.item_version = item.version
    right = {r.id for r, res in regraded if res.correct}
    closed = 0
    for other in db.session.scalars(
        select(Dispute).where(Dispute.item_id == item.id, Dispute.status == OPEN)
    ):
        if other.id == dispute.id or other.response_id in right:
            _decide(other, ACCEPTED, viewer, note)
            closed += 1
    db.session.flush()
    log.info(
        "dispute accepted",
        extra={
            "dispute_id": dispute.id, "item_id": item.id, "version": number,
            "regraded": len(regraded), "closed": closed, "user_id": viewer.id,
        },
    )  # fmt: skip
    return Accepted(number, len(regraded), closed)


def _publish(viewer: User, item: Item, model: ItemModel, note: str) -> int:
    """Save and publish the item with its longer list. An unpublished draft newer than
    the live version belongs to someone's edit in progress: building on it would publish
    their unfinished work, building beside it would discard it, so either is refused."""
    newest = versions.latest(ITEM, item.id)
    if newest.number != item.version:
        raise DisputeError(
            "This item has an unpublished draft: publish or discard it, then decide.", 409
        )
    data = {**item.data, "accepted": list(model.accepted)}  # type: ignore[attr-defined]
    text = f"{VERSION_NOTE}: {note.strip()}" if note.strip() else VERSION_NOTE
    try:
        draft = versions.save_draft(
            ITEM, item.id, {"data": data}, base=newest.number, author=viewer, note=text
        )
        return versions.publish(ITEM, item.id, draft.number, author=viewer).number
    except versions.VersionConflict:
        raise DisputeError("Someone changed this item just now: look again.", 409) from None
    except versions.VersionError as error:
        reasons = "; ".join(p["message"] for p in error.problems) or error.message
        raise DisputeError(f"The item cannot accept this answer: {reasons}", 422) from None


def _decide(dispute: Dispute, status: str, viewer: User, note: str) -> None:
    dispute.status, dispute.decision_note = status, note.strip()[:MAX_NOTE]
    dispute.decided_by_id, dispute.decided_at = viewer.id, utcnow()


def reject(viewer: User, dispute_id: int, note: str) -> int:
    """Reject a dispute with a note saying why (required: a trainee who was refused
    deserves a reason), and with it the other open disputes of the same answer to the
    item that the viewer may see: one decision per answer, as accepting does. Returns
    how many were rejected. The note is kept with each dispute for the trainee to read."""
    note = (note or "").strip()[:MAX_NOTE]
    if not note:
        raise DisputeError("Say why the answer is rejected.", 422)
    dispute, item = _decidable(viewer, dispute_id)
    response = db.session.get(Response, dispute.response_id)
    assert response is not None
    same = json.dumps(response.answer, ensure_ascii=False, sort_keys=True)
    rejected = 0
    for other, _trainee, given in db.session.execute(
        _in_scope(viewer).where(Dispute.item_id == item.id)
    ):
        if other.id == dispute.id or json.dumps(given, ensure_ascii=False, sort_keys=True) == same:
            _decide(other, REJECTED, viewer, note)
            rejected += 1
    db.session.flush()
    log.info(
        "dispute rejected",
        extra={
            "dispute_id": dispute.id, "item_id": item.id, "rejected": rejected, "note": note,
            "user_id": viewer.id,
        },
    )  # fmt: skip
    return rejected
