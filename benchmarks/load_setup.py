"""Databases for the load benchmark: a fresh one per kind, migrated and filled with the
real curriculum and the trainees who will practise on it.

The answer sheet (a right and a wrong answer per practice item) is worked out here, on the
server side, because the practice API never sends the key to the page.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app.accounts.passwords import passwords
from app.content import services as content
from app.extensions import db
from app.models import Centre, Item, Lesson, PracticeSession, Response, Role, User
from app.models._columns import utcnow
from app.questions import registry
from app.questions.base import QuestionType
from app.questions.types.choice import ChoiceBase
from app.questions.types.ordering import Ordering

POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "load-benchmark-password"
KINDS = ("sqlite", "postgresql")
# A wrong typed answer a trainee would plausibly give: the wrong particle first.
PARTICLE_SLIPS = (("は", "が"), ("を", "が"), ("に", "で"), ("で", "に"), ("が", "は"))


@dataclass(frozen=True)
class AnswerSheet:
    """What a trainee sends for each item: ``right`` is graded right, ``wrong`` is not."""

    right: dict[str, Any] = field(default_factory=dict)
    wrong: dict[str, Any] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Workload:
    database_url: str
    emails: list[str]  # the trainees who practise
    password: str
    lessons: list[list[str]]  # per trainee, the lessons they practise, in order
    sheet: AnswerSheet
    history: int  # answers stored before the benchmark (the trainees' earlier lessons)
    reader: str  # one more trainee, who only reads lesson pages


def app_settings(database_url: str, secret_key: str) -> dict[str, Any]:
    """Production settings for an app on ``database_url`` (SQLite allowed on purpose)."""
    return {
        "HASHI_ENV": "production",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ALLOW_SQLITE_IN_PRODUCTION": True,
        "LOG_LEVEL": "WARNING",
    }


def new_secret_key() -> str:
    return secrets.token_urlsafe(48)


def postgres_available() -> bool:
    try:
        with psycopg.connect(_admin_dsn(), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def _admin_dsn() -> str:
    return make_url(POSTGRES_SERVER).set(drivername="postgresql").render_as_string(False)


@contextmanager
def fresh_database(kind: str, workdir: Path) -> Iterator[str]:
    """A new, empty database of ``kind``; a PostgreSQL one is dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'hashi.sqlite3'}"
        return
    name = f"hashi_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_SERVER).set(database=name).render_as_string(False)
    finally:
        with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def checked_curriculum() -> content.Bundle:
    """Every lesson and item file, checked once for all the databases."""
    bundle = content.check(study_sets=False)
    if bundle.problems:
        raise RuntimeError(f"the content has problems: {bundle.problems[0]}")
    return bundle


def prepare(app: Flask, bundle: content.Bundle, trainees: int, lessons_each: int) -> Workload:
    """Migrate, load the curriculum, create the trainees with the history that opens the
    lessons each will practise; work out the answer sheet."""
    with app.app_context():
        upgrade()
        content.load(bundle)
        centre = Centre(name="Load benchmark centre", city="Lahore")
        db.session.add(centre)
        db.session.flush()
        # One Argon2 hash at the production cost for everyone: signing in costs what it
        # costs in production, while setting up 50 accounts does not take 50 hashes.
        hashed = passwords().hash(PASSWORD)
        users = [
            User(email=f"trainee-{n:03d}@load.example.org", name=f"Trainee {n}",
                 role=Role.TRAINEE, centre_id=centre.id, password_hash=hashed)
            for n in range(trainees + 1)
        ]  # fmt: skip
        db.session.add_all(users)
        db.session.flush()
        emails = [user.email for user in users]
        items = db.session.scalars(
            select(Item)
            .where(Item.use == "practice", Item.lesson_id.is_not(None), Item.retired_at.is_(None))
            .order_by(Item.lesson_id, Item.source_path, Item.position)
        ).all()
        sheet = answer_sheet(items)
        by_lesson: dict[str, list[str]] = {}
        for item in items:
            by_lesson.setdefault(str(item.lesson_id), []).append(item.id)
        ordered = sorted(by_lesson)
        plans = [
            [
                ordered[(n * len(ordered) // trainees + k) % len(ordered)]
                for k in range(lessons_each)
            ]
            for n in range(trainees)
        ]
        history = 0
        for user, plan in zip(users, plans, strict=False):
            history += completed_before(user, plan, by_lesson, sheet)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return Workload(
        app.config["SQLALCHEMY_DATABASE_URI"], emails[:-1], PASSWORD, plans, sheet, history,
        emails[-1],
    )  # fmt: skip


def completed_before(
    user: User, plan: list[str], items: dict[str, list[str]], sheet: AnswerSheet
) -> int:
    """The trainee has already passed the lessons that open theirs (a lesson opens when its
    prerequisites are done): an ended session each, every item answered right. Written as
    rows, because the lessons before those are locked to this new account."""
    needed = {
        prerequisite
        for lesson in db.session.scalars(select(Lesson).where(Lesson.id.in_(plan)))
        for prerequisite in lesson.meta.get("prerequisites", [])
    }
    stored = 0
    for lesson_id in sorted(needed):  # a plan's lesson may open the next one in it
        item_ids = items.get(lesson_id, [])
        session = PracticeSession(
            user_id=user.id, lesson_id=lesson_id, kind="lesson", item_ids=item_ids,
            ended_at=utcnow(),
        )  # fmt: skip
        session.responses = [
            Response(user_id=user.id, item_id=item_id, client_key=f"history-{n}",
                     answer=sheet.right[item_id], correct=True, score=1.0, feedback=[])
            for n, item_id in enumerate(item_ids)
        ]  # fmt: skip
        db.session.add(session)
        stored += len(item_ids)
    return stored


def answer_sheet(items: list[Item]) -> AnswerSheet:
    sheet = AnswerSheet()
    for item in items:
        qtype = registry.get(item.type)
        model = qtype.model.model_validate(item.data)
        sheet.right[item.id], sheet.wrong[item.id] = right_and_wrong(qtype, model)
        sheet.types[item.id] = item.type
    return sheet


def right_and_wrong(qtype: QuestionType, model: Any) -> tuple[Any, Any]:
    """A right answer and a plausible wrong one, in the shape the page posts."""
    if isinstance(qtype, ChoiceBase):
        return model.answer, next(o for o in model.options if o != model.answer)
    if isinstance(qtype, Ordering):
        return list(model.chunks), model.chunks[1:] + model.chunks[:1]
    right = qtype.expected(model)  # every typed type: the first accepted answer in full
    return right, typed_slip(right)


def typed_slip(right: str) -> str:
    """The wrong particle where there is one, else a wrong last kana (or word)."""
    for said, slip in PARTICLE_SLIPS:
        if said in right[1:]:
            at = right.index(said, 1)
            return right[:at] + slip + right[at + 1 :]
    if right.isascii():
        return "I do not know"
    end = right.rstrip("。")
    return end[:-1] + ("か" if end[-1] != "か" else "さ")
