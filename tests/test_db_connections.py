"""A pooled connection the database dropped while it sat idle is replaced before a
request uses it, without a ping on every checkout (app/db_connections.py)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import create_engine, event, text
from sqlalchemy.pool import NullPool

from app import db_connections
from app.extensions import db


def _backend_pid(app: Flask) -> int:
    with app.app_context():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        db.session.commit()
        db.session.remove()
        return pid


def _pooled_records(app: Flask) -> list:  # type: ignore[type-arg]
    with app.app_context():
        pool = db.engine.pool
        return [pool._pool.queue[i] for i in range(len(pool._pool.queue))]  # type: ignore[attr-defined]


def test_a_connection_killed_while_idle_is_replaced_before_use(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("a SQLite file cannot drop a connection; this runs on PostgreSQL")
    first = _backend_pid(app)
    # The database drops the idle connection (killed from a connection outside the pool).
    admin = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)
    with admin.connect() as other:
        assert other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar()
    admin.dispose()
    for record in _pooled_records(app):
        record.info["idle_since"] -= db_connections.IDLE_PING_SECONDS + 1

    assert _backend_pid(app) != first  # a new connection, and no error on the way


def test_a_connection_in_recent_use_is_not_pinged(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite connections are never pinged")
    _backend_pid(app)
    statements: list[str] = []
    with app.app_context():

        def seen(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            raw = db.engine.raw_connection()  # a checkout straight after a checkin
            cursor = raw.cursor()
            cursor.execute("SELECT 2")
            cursor.close()
            raw.close()
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
    assert statements == []  # raw DBAPI use, and no "SELECT 1" ping from the checkout
