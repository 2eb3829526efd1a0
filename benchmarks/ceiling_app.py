"""The ceiling for answer submission: a minimal Flask app that stores one row per POST.

The load benchmark runs it under the same gunicorn settings as Hashi and drives it with
the same client, so answers/s divided by inserts/s here is the share of the machine's
durable-write rate that Hashi's answer path keeps. It opens its database the way Hashi
does (SQLite: WAL, synchronous=FULL, a 15 s busy timeout; PostgreSQL: psycopg 3 with a
pooled engine) so the only difference left is everything Hashi does per answer.

Run by ``benchmarks/load.py`` as
``gunicorn -c gunicorn.conf.py 'benchmarks.ceiling_app:from_environment()'``
with ``CEILING_DATABASE_URL`` set; the table is made beforehand by ``create_table``.
"""

from __future__ import annotations

import json
import os
import sqlite3
from typing import Any

from flask import Flask, Response, jsonify, request
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

TABLE_SQL = {
    "sqlite": (
        "CREATE TABLE ceiling_rows (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "body TEXT NOT NULL, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
    ),
    "postgresql": (
        "CREATE TABLE ceiling_rows (id BIGSERIAL PRIMARY KEY, "
        "body TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    ),
}
INSERT = text("INSERT INTO ceiling_rows (body) VALUES (:body)")


def _sqlite_like_hashi(dbapi_connection: Any, _record: Any) -> None:
    """The pragmas of ``app.factory._sqlite_pragmas``: the ceiling must not be a
    different durability bargain from the app's."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()


def make_engine(url: str) -> Engine:
    """An engine opened as Hashi opens its own (see ``app.factory.load_config``)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_like_hashi)
        return engine
    return create_engine(url, pool_pre_ping=True)


def create_table(url: str) -> None:
    """Make the empty table once, before gunicorn forks its workers."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(TABLE_SQL[engine.dialect.name]))
    engine.dispose()


def count_rows(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT count(*) FROM ceiling_rows")).scalar_one()
    engine.dispose()
    return int(rows)


def create_ceiling_app(url: str) -> Flask:
    app = Flask(__name__)
    engine = make_engine(url)

    @app.post("/rows")
    def insert_row() -> tuple[Response, int]:
        body = request.get_json(silent=True) or {}
        with engine.begin() as conn:  # one transaction, committed before answering
            conn.execute(INSERT, {"body": json.dumps(body, ensure_ascii=False)})
        return jsonify(stored=True), 201

    @app.get("/hello")
    def hello() -> Response:
        return jsonify(hello="world")

    @app.get("/readyz")
    def readyz() -> Response:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return jsonify(status="ready")

    return app


def from_environment() -> Flask:
    """gunicorn's app factory: ``benchmarks.ceiling_app:from_environment()``."""
    return create_ceiling_app(os.environ["CEILING_DATABASE_URL"])
