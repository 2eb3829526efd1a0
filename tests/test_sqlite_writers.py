"""SQLite write transactions queue on a kernel lock beside the database file
(app/sqlite_writers.py): held from a transaction's first write to its commit or rollback,
never for reads, and the next writer goes on as soon as it is let go."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.extensions import db
from app.sqlite_writers import QueuedWriterConnection


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "queue.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY, text TEXT)")
    return path


@pytest.fixture
def connect(database: Path) -> Iterator:  # type: ignore[type-arg]
    made: list[sqlite3.Connection] = []

    def open_one() -> sqlite3.Connection:
        connection = sqlite3.connect(
            database, timeout=15, factory=QueuedWriterConnection, check_same_thread=False
        )
        made.append(connection)
        return connection

    yield open_one
    for connection in made:
        connection.close()


def queue_is_free(database: Path) -> bool:
    """Whether another process could take the writers' lock now."""
    fd = os.open(f"{database}-writer", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_a_write_holds_the_queue_until_commit_and_reads_never_take_it(
    database: Path, connect
) -> None:  # type: ignore[no-untyped-def]
    writer, reader = connect(), connect()
    writer.cursor().execute("SELECT count(*) FROM answers").fetchall()
    assert queue_is_free(database)  # reading takes no turn
    writer.cursor().execute("INSERT INTO answers (text) VALUES ('は')")
    assert not queue_is_free(database)
    assert reader.cursor().execute("SELECT count(*) FROM answers").fetchone() == (0,)
    writer.commit()
    assert queue_is_free(database)
    assert reader.cursor().execute("SELECT count(*) FROM answers").fetchone() == (1,)


def test_rollback_and_close_let_go_too(database: Path, connect) -> None:  # type: ignore[no-untyped-def]
    first = connect()
    first.cursor().execute("UPDATE answers SET text = 'x'")
    assert not queue_is_free(database)
    first.rollback()
    assert queue_is_free(database)
    second = connect()
    second.cursor().executemany("INSERT INTO answers (text) VALUES (?)", [("a",), ("b",)])
    assert not queue_is_free(database)
    second.close()
    assert queue_is_free(database)


def test_the_next_writer_waits_its_turn_and_then_writes(database: Path, connect) -> None:  # type: ignore[no-untyped-def]
    first, second = connect(), connect()
    first.cursor().execute("INSERT INTO answers (text) VALUES ('first')")
    done = threading.Event()

    def write_second() -> None:
        second.cursor().execute("INSERT INTO answers (text) VALUES ('second')")
        second.commit()
        done.set()

    thread = threading.Thread(target=write_second)
    thread.start()
    assert not done.wait(0.3)  # queued behind the first writer's open transaction
    first.commit()
    assert done.wait(5)
    thread.join(5)
    rows = first.cursor().execute("SELECT text FROM answers ORDER BY id").fetchall()
    assert rows == [("first",), ("second",)]


def test_a_database_in_memory_has_no_queue(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    connection = sqlite3.connect(":memory:", factory=QueuedWriterConnection)
    connection.cursor().execute("CREATE TABLE t (x)")
    connection.cursor().execute("INSERT INTO t VALUES (1)")
    connection.commit()
    connection.close()
    assert list(tmp_path.iterdir()) == []


def test_the_app_uses_it_for_sqlite(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the queue is for SQLite files")
        raw = db.engine.raw_connection()
        try:
            assert isinstance(raw.driver_connection, QueuedWriterConnection)
        finally:
            raw.close()
