"""Numbered versions of lessons and items: drafts, what was published, and when.

The ``lessons`` and ``items`` rows stay the live content every page reads; a version
keeps exactly the column values that row had (or will have) so an answer given to an
earlier version can still be shown and graded as it was. Versions are never changed
once published, so anything keyed by (object, number) may be cached for good.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models._columns import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.users import User

LESSON = "lesson"
ITEM = "item"
DRAFT = "draft"
PUBLISHED = "published"
DISCARDED = "discarded"  # a draft passed over when a later version was published


class ContentVersion(db.Model):
    __tablename__ = "content_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # lesson | item
    object_id: Mapped[str] = mapped_column(String(80))
    number: Mapped[int]  # 1, 2, … per object
    state: Mapped[str] = mapped_column(String(10), default=DRAFT)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)  # the row's columns, as load() writes
    content_hash: Mapped[str] = mapped_column(String(64))
    # None: loaded from the content files, not written in the browser.
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Who made it live (None: the content files, or not published).
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    # The unique index also serves every lookup by (kind, object_id).
    __table_args__ = (UniqueConstraint("kind", "object_id", "number"),)

    def __repr__(self) -> str:
        return f"<ContentVersion {self.kind} {self.object_id} v{self.number} {self.state}>"
