"""A scan file exists exactly when its committed row does: a transaction that fails after
the scan was written (a real IntegrityError, an exception, a session closed without a
commit) leaves no file, and a delete removes the file only once it is committed."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import ExternalResult, Role, User
from app.recruitment import external_results
from app.recruitment.external_results import ResultInput
from tests.conftest import csrf_token
from tests.test_recruitment_external_results import PDF, png, upload

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
GIVEN = ResultInput(
    exam="JLPT", level="N4", score=None, taken_on=date(2025, 12, 7), certificate_number="N4-77"
)


@pytest.fixture(autouse=True)
def scans_dir(app: Flask, tmp_path: Path) -> Path:
    app.config["EXTERNAL_RESULTS_DIR"] = str(tmp_path / "scans")
    return tmp_path / "scans"


def files(folder: Path) -> list[str]:
    """Every file in the folder, hidden ones included."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def rows(app: Flask) -> list[ExternalResult]:
    with app.app_context():
        found = list(db.session.scalars(select(ExternalResult).order_by(ExternalResult.id)))
        db.session.expunge_all()
        return found


def test_a_committed_result_has_its_file_and_nothing_else(
    app: Flask, make_user: Callable[..., User], scans_dir: Path
) -> None:
    user = make_user(Role.TRAINEE)
    with app.app_context():
        result = external_results.record(db.session.get(User, user.id), GIVEN, PDF, now=NOW)
        name = result.scan_name
        assert name not in files(scans_dir)  # not before the commit
        db.session.commit()
    assert files(scans_dir) == [name]
    assert (scans_dir / name).read_bytes() == PDF


def test_an_integrity_error_after_the_scan_leaves_no_file(
    app: Flask, make_user: Callable[..., User], scans_dir: Path
) -> None:
    user = make_user(Role.TRAINEE)
    taken = make_user(Role.TRAINEE).email
    with app.app_context():
        external_results.record(db.session.get(User, user.id), GIVEN, PDF, now=NOW)
        assert len(files(scans_dir)) == 1  # written, under its temporary name
        # The same transaction then fails for real: a second account with a taken email.
        db.session.add(User(email=taken, name="Copy", role=Role.TRAINEE))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
    assert files(scans_dir) == []
    assert rows(app) == []


def test_an_exception_or_a_close_without_commit_leaves_no_file(
    app: Flask, make_user: Callable[..., User], scans_dir: Path
) -> None:
    user = make_user(Role.TRAINEE)

    def record_then_fail() -> None:
        external_results.record(db.session.get(User, user.id), GIVEN, PDF, now=NOW)
        raise RuntimeError("the request fails after the scan was written")

    with app.app_context():
        with pytest.raises(RuntimeError):
            record_then_fail()
        db.session.remove()  # what the app context's teardown does after an error
    assert files(scans_dir) == []
    with app.app_context():
        external_results.record(db.session.get(User, user.id), GIVEN, png(), now=NOW)
    assert files(scans_dir) == []  # the context ended without a commit
    assert rows(app) == []


def test_a_refused_upload_over_http_leaves_no_file(
    app: Flask, client, login_as, scans_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.TRAINEE)
    refused = upload(client, png(), certificate_number="")
    assert refused.status_code == 422
    assert files(scans_dir) == []
    assert upload(client, png()).status_code == 302
    [row] = rows(app)
    assert files(scans_dir) == [row.scan_name]


def test_a_delete_removes_the_file_only_once_committed(
    app: Flask, make_user: Callable[..., User], scans_dir: Path
) -> None:
    user = make_user(Role.TRAINEE)
    taken = make_user(Role.TRAINEE).email
    with app.app_context():
        result = external_results.record(db.session.get(User, user.id), GIVEN, PDF, now=NOW)
        result_id, name = result.id, result.scan_name
        db.session.commit()

    with app.app_context():
        external_results.delete(db.session.get(User, user.id), result_id, now=NOW)
        assert files(scans_dir) == [name]  # still there until the commit
        db.session.add(User(email=taken, name="Copy", role=Role.TRAINEE))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
    assert files(scans_dir) == [name]
    assert [r.id for r in rows(app)] == [result_id]

    with app.app_context():
        external_results.delete(db.session.get(User, user.id), result_id, now=NOW)
        db.session.commit()
    assert files(scans_dir) == []
    assert rows(app) == []


def test_a_delete_over_http_removes_the_file(app: Flask, client, login_as, scans_dir: Path) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.TRAINEE)
    assert upload(client, png()).status_code == 302
    [row] = rows(app)
    token = csrf_token(client, "/account/results")
    response = client.post(f"/account/results/{row.id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    assert files(scans_dir) == []


def test_the_scheduled_refresh_removes_abandoned_uploads_only(
    app: Flask, runner, scans_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    """A process that died between writing a scan and committing left a pending file:
    `flask recruitment refresh` (cron) removes it once it is an hour old, and leaves
    committed scans and uploads still in flight."""
    scans_dir.mkdir(parents=True)
    (scans_dir / "kept.pdf").write_bytes(PDF)
    abandoned, in_flight = scans_dir / ".lost.pdf.pending", scans_dir / ".now.pdf.pending"
    abandoned.write_bytes(PDF)
    in_flight.write_bytes(PDF)
    two_hours_ago = time.time() - 7200
    os.utime(abandoned, (two_hours_ago, two_hours_ago))
    result = runner.invoke(args=["recruitment", "refresh"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 abandoned scan uploads." in result.output
    assert files(scans_dir) == [".now.pdf.pending", "kept.pdf"]
