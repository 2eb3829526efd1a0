"""The API's candidate document, stored ready to send (a read model).

The recruitment system asks for candidates far more often than anything about them
changes, so the JSON it receives is built when a fact behind it changes and stored with
its ETag in ``candidate_views``. Serving a candidate is then one indexed read joined
with the consent check, instead of five queries and a serialisation per request (on
PostgreSQL each query is a round trip).

Nothing has to remember to rebuild it: session events watch every flush for the rows a
document is made of (the user's name and external id, cohorts and places in them,
certificates, certification attempts, outside results, stored statuses), collect the
candidates they concern, and the documents are rebuilt just before the transaction
commits, inside it, so a document never disagrees with committed facts. Writes that
bypass the ORM (bulk inserts in set-up scripts) leave no document: a missing one is
built on the spot when asked for, so it is only ever slower, never wrong;
``flask recruitment refresh --all`` fills them all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, delete, event, exists, insert, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from app.extensions import db
from app.lib.cnic import normalise_cnic
from app.models import (
    CandidateStatus,
    CandidateView,
    Certificate,
    Cohort,
    CohortMembership,
    ExamAttempt,
    ExternalResult,
    Role,
    User,
)
from app.models._columns import utcnow
from app.recruitment.status import NOT_STARTED, candidate_views, consents

STALE = "hashi.candidate_views.stale"  # Session.info key: ids whose document is out of date

# What a document is made of: for these models, a change to one of the listed attributes
# (None: any change, or the row being added or deleted) makes its candidate's stale.
WATCHED: dict[type, tuple[str, ...] | None] = {
    User: ("name", "external_id", "role"),
    CohortMembership: None,
    Certificate: None,
    ExamAttempt: ("kind", "level", "status", "scores", "passed", "finished_at"),
    ExternalResult: None,
    CandidateStatus: None,
}
COHORT_FIELDS = ("name", "target_level")  # shown in every member's document


@dataclass(frozen=True)
class Stored:
    """A candidate's document as sent: the JSON text and its ETag."""

    user_id: int
    body: str
    etag: str

    def data(self) -> dict[str, Any]:
        return json.loads(self.body)


def encode(view: dict[str, Any]) -> Stored:
    """The bytes the API sends for ``view`` (compact, keys sorted, ASCII: as Flask's
    jsonify writes them) and an ETag that changes exactly when they do."""
    body = json.dumps(view, separators=(",", ":"), sort_keys=True)
    return Stored(view["id"], body, hashlib.sha1(body.encode("ascii")).hexdigest())


# ---- building -----------------------------------------------------------------------------

_TRAINEES = select(User.id, User.name, User.external_id).where(
    User.role == Role.TRAINEE, User.id.in_(bindparam("ids", expanding=True))
)
_DROP = delete(CandidateView).where(CandidateView.user_id.in_(bindparam("ids", expanding=True)))


def build(user_ids: Iterable[int]) -> list[Stored]:
    """Fresh documents for those of ``user_ids`` who are trainees, in id order (not stored)."""
    ids = sorted(set(user_ids))
    if not ids:
        return []
    people = db.session.execute(_TRAINEES.order_by(User.id), {"ids": ids}).all()
    return [encode(view) for view in candidate_views(people)]


def rebuild(user_ids: Iterable[int]) -> int:
    """Store fresh documents for ``user_ids`` (dropping those of non-trainees) in the
    current transaction; returns how many were stored."""
    ids = sorted(set(user_ids))
    if not ids:
        return 0
    documents = build(ids)
    moment = utcnow()
    db.session.execute(_DROP, {"ids": ids})
    if documents:
        db.session.execute(
            insert(CandidateView),
            [
                {"user_id": d.user_id, "body": d.body, "etag": d.etag, "built_at": moment}
                for d in documents
            ],
        )
    return len(documents)


def rebuild_all(batch: int = 500) -> int:
    """Every trainee's document (after installing, or after a bulk import); returns how
    many."""
    ids = db.session.scalars(select(User.id).where(User.role == Role.TRAINEE).order_by(User.id))
    everyone = list(ids)
    for start in range(0, len(everyone), batch):
        rebuild(everyone[start : start + batch])
    return len(everyone)


# ---- reading ------------------------------------------------------------------------------

# Built once, one per way of finding a candidate: the API runs one on every request.
_CANDIDATE = (
    select(User.id, CandidateView.body, CandidateView.etag)
    .outerjoin(CandidateView, CandidateView.user_id == User.id)
    .where(User.role == Role.TRAINEE, consents(User.id))
)
_BY_ID = _CANDIDATE.where(User.id == bindparam("value"))
_BY_EXTERNAL_ID = _CANDIDATE.where(User.external_id == bindparam("value"))
_BY_CNIC = _CANDIDATE.where(User.cnic == bindparam("value"))


def find(
    *, hashi_id: int | None = None, external_id: str | None = None, cnic: str | None = None
) -> Stored | None:
    """The document of a consenting trainee found by exactly one of Hashi's id, the
    recruitment system's id or the CNIC (typed with or without dashes; a malformed one
    raises InvalidCNICError); None when there is no such candidate."""
    given = [v for v in (hashi_id, external_id, cnic) if v is not None]
    if len(given) != 1:
        raise ValueError("give exactly one of hashi_id, external_id, cnic")
    if hashi_id is not None:
        row = db.session.execute(_BY_ID, {"value": hashi_id}).first()
    elif external_id is not None:
        row = db.session.execute(_BY_EXTERNAL_ID, {"value": external_id}).first()
    else:
        row = db.session.execute(_BY_CNIC, {"value": normalise_cnic(str(cnic))}).first()
    if row is None:
        return None
    return _complete([row])[0]


def page(
    *,
    cohort_id: int | None = None,
    status: str | None = None,
    level: str | None = None,
    after_id: int | None = None,
    limit: int,
) -> list[Stored]:
    """Documents of consenting trainees in id order after ``after_id``, in one query.

    ``status`` and ``level`` together: that status at that level; ``status`` alone: that
    status at any level; ``level`` alone: any status but not-started at that level.
    """
    statement = _CANDIDATE
    if cohort_id is not None:
        statement = statement.where(
            exists().where(
                CohortMembership.user_id == User.id, CohortMembership.cohort_id == cohort_id
            )
        )
    if status is not None or level is not None:
        conditions = [CandidateStatus.user_id == User.id]
        if level is not None:
            conditions.append(CandidateStatus.level == level)
        if status is not None:
            conditions.append(CandidateStatus.status == status)
        else:
            conditions.append(CandidateStatus.status != NOT_STARTED)
        statement = statement.where(exists().where(and_(*conditions)))
    if after_id is not None:
        statement = statement.where(User.id > after_id)
    return _complete(db.session.execute(statement.order_by(User.id).limit(limit)).all())


def _complete(rows: Sequence[Any]) -> list[Stored]:
    """Stored documents for ``rows`` (id, body, etag), building the missing ones."""
    built = build(r.id for r in rows if r.body is None)
    missing = {document.user_id: document for document in built}
    return [Stored(r.id, r.body, r.etag) if r.body is not None else missing[r.id] for r in rows]


# ---- keeping them fresh -------------------------------------------------------------------


def mark_stale(session: Session, user_ids: Iterable[int | None]) -> None:
    """Have these candidates' documents rebuilt when ``session`` commits."""
    session.info.setdefault(STALE, set()).update(i for i in user_ids if i is not None)


def _changed(instance: Any, fields: tuple[str, ...] | None) -> bool:
    state = inspect(instance)
    if fields is None:
        return True
    return any(state.attrs[name].history.has_changes() for name in fields)


def _owner(instance: Any) -> int | None:
    return instance.id if isinstance(instance, User) else instance.user_id


_MEMBERS = select(CohortMembership.user_id).where(
    CohortMembership.cohort_id.in_(bindparam("ids", expanding=True))
)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    """Deleted rows are read now, while they can still be loaded: a cohort deleted or
    renamed concerns all its members (the database deletes their places with it), and a
    deleted row's owner may be an expired attribute."""
    concerned: list[int | None] = []
    cohorts: list[int] = []
    for instance in session.deleted:
        if isinstance(instance, Cohort):
            cohorts.append(instance.id)
        elif type(instance) in WATCHED:
            concerned.append(_owner(instance))
    cohorts += [
        c.id
        for c in session.dirty
        if isinstance(c, Cohort) and c.id is not None and _changed(c, COHORT_FIELDS)
    ]
    if cohorts:
        concerned += session.execute(_MEMBERS, {"ids": cohorts}).scalars()
    if concerned:
        mark_stale(session, concerned)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: UOWTransaction) -> None:
    """Collect the candidates whose documents this flush changed (new rows have their
    ids now; the new and dirty lists and the attribute history still describe the
    flush)."""
    concerned: list[int | None] = []
    for instance in session.new:
        if type(instance) in WATCHED:
            concerned.append(_owner(instance))
    for instance in session.dirty:
        if type(instance) in WATCHED and _changed(instance, WATCHED[type(instance)]):
            concerned.append(_owner(instance))
    if concerned:
        mark_stale(session, concerned)


def _is_the_apps(session: Session) -> bool:
    """Whether ``session`` is the app's (Flask-SQLAlchemy's) session of this context:
    the only one that writes these tables, and the one ``rebuild`` writes through."""
    try:
        return db.session.registry.has() and db.session.registry() is session
    except RuntimeError:  # no app context: not the app's session
        return False


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    """Rebuild the stale documents inside the committing transaction. The commit's own
    flush comes after this hook, so flush first: the last changes mark theirs too (a
    session with nothing pending makes this a no-op)."""
    session.flush()
    stale = session.info.pop(STALE, set())
    if stale and _is_the_apps(session):
        rebuild(stale)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, _previous: Any) -> None:
    """Forget what a rolled-back transaction changed (a rolled-back savepoint leaves the
    marks: rebuilding an unchanged document is harmless)."""
    if not session.in_transaction():
        session.info.pop(STALE, None)
