"""The audit log: the database itself refuses to change or delete an entry, and
programme admins read it newest first, a page at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DatabaseError

from app.certification import audit
from app.extensions import db
from app.models import AuditEntry, Role

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def entry_id(app: Flask) -> int:
    with app.app_context():
        entry = audit.record(
            "attempt.invalidated", "attempt:7", now=T0, actor_id=3, reason="Phone in the room"
        )
        db.session.commit()
        return entry.id


@pytest.mark.parametrize(
    "statement",
    [
        lambda i: update(AuditEntry).where(AuditEntry.id == i).values(reason="nothing happened"),
        lambda i: update(AuditEntry).values(actor_id=None),
        lambda i: delete(AuditEntry).where(AuditEntry.id == i),
        lambda i: delete(AuditEntry),
        lambda i: text("UPDATE audit_entries SET action = 'x'"),
        lambda i: text("DELETE FROM audit_entries"),
    ],
    ids=["update-one", "update-all", "delete-one", "delete-all", "raw-update", "raw-delete"],
)
def test_the_database_refuses_to_change_or_delete_entries(
    app: Flask, entry_id: int, statement
) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(statement(entry_id))
        db.session.rollback()
        entry = db.session.get(AuditEntry, entry_id)
        assert (entry.action, entry.reason) == ("attempt.invalidated", "Phone in the room")
        # Adding stays possible.
        audit.record("certificate.issued", "certificate:abc", now=T0)
        db.session.commit()
        assert db.session.scalar(select(func.count(AuditEntry.id))) == 2


def test_programme_admins_read_the_log_newest_first_by_page(
    app: Flask, client, login_as, make_user
) -> None:  # type: ignore[no-untyped-def]
    actor = make_user(Role.CENTRE_ADMIN, name="Sana Malik")
    with app.app_context():
        for n in range(audit.PER_PAGE + 5):
            audit.record(
                "certificate.revoked",
                f"certificate:c{n:03d}",
                now=T0 + timedelta(minutes=n),
                actor_id=actor.id if n % 2 else None,
                reason=f"reason {n:03d}",
            )
        db.session.commit()
    login_as(Role.PROGRAMME_ADMIN)
    first = client.get("/admin/audit").get_data(as_text=True)
    assert first.index("reason 054") < first.index("reason 053")
    assert "reason 004" not in first
    assert "Sana Malik" in first
    assert "Page 1 of 2" in first
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert "reason 004" in second
    assert "reason 054" not in second
    for page in ("0", "-3", "999", "abc", "1e9"):
        response = client.get(f"/admin/audit?page={page}")
        assert response.status_code == 200, page
    assert client.post("/admin/audit").status_code == 405
