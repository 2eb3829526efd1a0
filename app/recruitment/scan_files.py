"""Scan files that follow the database transaction.

A result's scan lives on disk, its row in the database, and only the database can roll
back. So a new scan is written under a temporary name and renamed to the name its row
points at once the row is committed; a transaction that ends any other way (rolled back
after a failed check, an IntegrityError, an exception, a session closed without commit)
removes the temporary file. A deleted result's scan is removed only once the delete is
committed, so a delete that rolls back keeps its file.

What is still to do is kept in the session's ``info`` and applied by two session events.
A process that dies between the write and the commit leaves a hidden ``.*.pending`` file
and no row; nothing ever points at it, and ``sweep_pending`` (run by
``flask recruitment refresh``, which cron runs every few minutes) removes it later.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import db

log = logging.getLogger(__name__)

PENDING_SUFFIX = ".pending"
_KEY = "hashi.scan_files"
# A request writes its scan and commits within seconds; a pending file this old belongs
# to a process that died in between.
ABANDONED_AFTER_SECONDS = 3600


def _todo(session: Session) -> list[tuple[str, Path | None, Path]]:
    return session.info.setdefault(_KEY, [])  # type: ignore[no-any-return]


def write_after_commit(path: Path, data: bytes) -> None:
    """Write ``data`` now under a temporary name; it becomes ``path`` at commit. Call it
    inside the transaction that adds the row (after its flush)."""
    temporary = path.with_name(f".{path.name}{PENDING_SUFFIX}")
    temporary.write_bytes(data)
    _todo(db.session()).append(("write", temporary, path))


def delete_after_commit(path: Path) -> None:
    """Remove ``path`` once the current transaction commits."""
    _todo(db.session()).append(("delete", None, path))


@event.listens_for(Session, "after_commit")
def _apply(session: Session) -> None:
    for kind, temporary, path in session.info.pop(_KEY, []):
        try:
            if kind == "write" and temporary is not None:
                os.replace(temporary, path)
            else:
                path.unlink(missing_ok=True)
        except OSError:  # the row is committed: say so loudly, but do not undo the request
            log.exception("scan file %s could not be %s after commit", path, kind + "d")


@event.listens_for(Session, "after_transaction_end")
def _discard(session: Session, transaction: SessionTransaction, *args: Any) -> None:
    """The outermost transaction ended without a commit (a commit has already emptied
    the list): remove what was written for it, keep what was to be deleted."""
    if transaction.parent is not None:
        return
    for kind, temporary, _path in session.info.pop(_KEY, []):
        if kind == "write" and temporary is not None:
            temporary.unlink(missing_ok=True)


def sweep_pending(folder: Path, *, older_than: float = ABANDONED_AFTER_SECONDS) -> int:
    """Remove temporary scans left by processes that died before their commit (files
    modified more than ``older_than`` seconds ago); returns how many."""
    if not folder.is_dir():
        return 0
    cutoff = time.time() - older_than
    removed = 0
    for leftover in folder.glob(f".*{PENDING_SUFFIX}"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
                removed += 1
        except FileNotFoundError:  # another host's sweep got there first
            continue
    return removed
