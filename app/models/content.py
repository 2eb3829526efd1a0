"""Lessons and question items as loaded from the content files.

Items keep their authored data as JSON (each type's model says what it holds), with the
fields the app filters on (level, section, use, form) as columns. An item removed from
the files is retired, never deleted: answers given to it must keep pointing at it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, ForeignKey, Index, String, Text, func
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models._columns import UTCDateTime, utcnow


class Lesson(db.Model):
    __tablename__ = "lessons"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    level: Mapped[str] = mapped_column(String(4), index=True)
    unit: Mapped[str] = mapped_column(String(40))
    order: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON)  # the whole front matter
    body: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # the published number
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Item(db.Model):
    __tablename__ = "items"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    type: Mapped[str] = mapped_column(String(30))
    level: Mapped[str] = mapped_column(String(4))
    section: Mapped[str] = mapped_column(String(20))
    use: Mapped[str] = mapped_column(String(10))
    form: Mapped[str | None] = mapped_column(String(1))
    lesson_id: Mapped[str | None] = mapped_column(ForeignKey("lessons.id"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the item as authored
    difficulty: Mapped[float | None]  # as authored in the files (None: not yet known)
    # Re-estimated from exam answers by `flask items calibrate` (app/exam/calibration.py):
    # kept apart from the authored value, so `content load` never overwrites it and the
    # files are never edited; scoring and form assembly prefer it (scale_difficulty).
    calibrated_difficulty: Mapped[float | None]
    calibrated_n: Mapped[int | None]  # the responses it was estimated from
    calibrated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    source_path: Mapped[str] = mapped_column(String(300))
    position: Mapped[int]  # order within its file, so export writes files as they were
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # the published number
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_items_level_section_use", "level", "section", "use"),)

    @hybrid_property
    def scale_difficulty(self) -> float | None:
        """The difficulty scoring and form assembly use: calibrated, else as authored."""
        if self.calibrated_difficulty is not None:
            return self.calibrated_difficulty
        return self.difficulty

    @scale_difficulty.inplace.expression
    @classmethod
    def _scale_difficulty_expression(cls) -> ColumnElement[float | None]:
        return func.coalesce(cls.calibrated_difficulty, cls.difficulty)
