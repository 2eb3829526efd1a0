"""The audit log: who did what to which certificate or attempt, and why.

Rows are only ever added; the database refuses UPDATE and DELETE on them (triggers made
by the migration), so not even a bug or a hand-typed SQL statement can rewrite history.
Services call ``record`` inside their own transaction, so the entry is stored exactly
when the change it describes is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, User

CERTIFICATE_ISSUED = "certificate.issued"
CERTIFICATE_REVOKED = "certificate.revoked"
KEY_ROTATED = "signing-key.rotated"
PER_PAGE = 50


def record(
    action: str,
    subject: str,
    *,
    now: datetime,
    actor_id: int | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Add one entry (flushed, not committed). ``subject`` is "kind:id", e.g.
    "certificate:abc" or "attempt:12"."""
    entry = AuditEntry(
        at=now,
        actor_id=actor_id,
        action=action,
        subject=subject,
        reason=reason,
        details=details or {},
        ip=ip,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


@dataclass(frozen=True)
class AuditPage:
    entries: list[tuple[AuditEntry, str | None]]  # each entry with its actor's name
    page: int
    pages: int
    total: int


def page_of_entries(page: int, *, per_page: int = PER_PAGE) -> AuditPage:
    """Newest first. A page past the end is the last page, not an error."""
    total = db.session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = db.session.execute(
        select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return AuditPage(
        entries=[(entry, name) for entry, name in rows], page=page, pages=pages, total=total
    )
