"""SQLite writers wait their turn in a queue the kernel wakes, not in SQLite's sleeps.

SQLite lets one connection write at a time. A connection that finds the file locked
retries on a fixed schedule of sleeps (1, 2, 5, 10, 15, 20, 25 ... ms), while a write
here holds the lock for a fraction of a millisecond: under load most of a waiting
request's time is spent asleep after the lock is already free, which shows as answers'
slow 99th percentile and as idle CPU. So every connection takes an exclusive ``flock``
on a file beside the database before its first INSERT, UPDATE, DELETE or REPLACE of a
transaction and lets go when the transaction ends: writers of every process and thread
on the host queue on it and the next one is woken the moment the lock is released.
SQLite's own locking still guards the file underneath; DDL (migrations) does not queue.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from typing import Any

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _writes(sql: str) -> bool:
    return sql.lstrip()[:7].upper().startswith(WRITES)


class _QueuedCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        self.connection._take_turn(sql)  # type: ignore[attr-defined]
        return super().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        self.connection._take_turn(sql)  # type: ignore[attr-defined]
        return super().executemany(sql, parameters)


class QueuedWriterConnection(sqlite3.Connection):
    """A sqlite3 connection (``sqlite3.connect(..., factory=QueuedWriterConnection)``)
    whose write transactions queue on ``<database>-writer``."""

    def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        path = os.fspath(database)
        in_memory = path in ("", ":memory:") or path.startswith("file::memory:")
        self._queue_path = None if in_memory else f"{path}-writer"
        self._queue_fd: int | None = None
        self._holding = False

    def cursor(self, factory: Any = _QueuedCursor) -> Any:  # type: ignore[override]
        return super().cursor(factory)

    def _take_turn(self, sql: str) -> None:
        if self._holding or self._queue_path is None or not _writes(sql):
            return
        if self._queue_fd is None:
            self._queue_fd = os.open(self._queue_path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._queue_fd, fcntl.LOCK_EX)
        self._holding = True

    def _end_turn(self) -> None:
        if self._holding and self._queue_fd is not None:
            self._holding = False
            fcntl.flock(self._queue_fd, fcntl.LOCK_UN)

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._end_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._end_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._end_turn()
            if self._queue_fd is not None:
                os.close(self._queue_fd)
                self._queue_fd = None
