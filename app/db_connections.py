"""Pooled database connections that are known to work, without a round trip per request.

``pool_pre_ping`` tests every connection at every checkout: one extra round trip on every
request, the answer hot path included. A connection that was in use a moment ago is
alive; one that sat idle for a while may have outlived a database restart or a failover.
So only a connection idle for ``IDLE_PING_SECONDS`` is pinged before use, and a dead one
is replaced: raising DisconnectionError from a checkout makes the pool retry with a new
connection (SQLAlchemy's documented pessimistic pattern). A connection that dies while
in use fails that request; SQLAlchemy then drops every pooled connection of that engine.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import Pool

IDLE_PING_SECONDS = 10.0


@event.listens_for(Pool, "checkin")
def _note_idle_since(dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_after_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
        return
    if isinstance(dbapi_connection, sqlite3.Connection):
        return  # a file, not a server: nothing to have gone away
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()  # leave it as the pool gave it: outside a transaction
    except Exception as error:  # any failure here means the connection is unusable
        raise DisconnectionError("connection lost while idle; replaced") from error
