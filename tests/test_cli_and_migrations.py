"""Command-line operations and the migrations that build every database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from app.demo.services import DEMO_JOIN_CODE
from app.extensions import db
from app.models import Cohort, Role, User
from tests.conftest import sign_in


def test_migrations_build_exactly_the_models(app) -> None:
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        assert "alembic_version" in inspect(connection).get_table_names()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app) -> None:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_users_create_makes_an_account_that_can_sign_in(app, runner, client, centre) -> None:
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Teacher@Example.org",
            "--name",
            "Farah Naz",
            "--role",
            "instructor",
            "--centre",
            centre.name,
            "--password",
            "long enough pw",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created instructor teacher@example.org" in result.output
    assert sign_in(client, "teacher@example.org", "long enough pw").status_code == 302


def test_users_create_explains_bad_input(runner, centre) -> None:
    base = ["users", "create", "--name", "X", "--password", "long enough pw"]
    no_centre = runner.invoke(args=[*base, "--email", "a@example.org", "--role", "instructor"])
    assert no_centre.exit_code != 0
    assert "Choose the training centre" in no_centre.output
    unknown = runner.invoke(
        args=[*base, "--email", "a@example.org", "--role", "instructor", "--centre", "Atlantis"]
    )
    assert "no centre is called 'Atlantis'" in unknown.output
    bad_cnic = runner.invoke(
        args=[
            *base,
            "--email",
            "a@example.org",
            "--role",
            "trainee",
            "--centre",
            centre.name,
            "--cnic",
            "123",
        ]
    )
    assert "A CNIC has 13 digits" in bad_cnic.output


def test_demo_load_is_idempotent_and_its_accounts_sign_in(app, runner, client) -> None:
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "trainee@example.org" in first.output
    assert "hashi-demo" in first.output
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 3
        admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
        assert admin.role is Role.PROGRAMME_ADMIN
        cohort = db.session.scalar(select(Cohort).where(Cohort.join_code == DEMO_JOIN_CODE))
        assert [m.user.email for m in cohort.memberships] == ["trainee@example.org"]
    for email in ("trainee@example.org", "instructor@example.org", "admin@example.org"):
        assert sign_in(app.test_client(), email, "hashi-demo").status_code == 302


def test_demo_load_refuses_to_run_in_production(app, other_app) -> None:
    app = other_app(
        HASHI_ENV="production",
        SECRET_KEY="p" * 40,
        ALLOW_SQLITE_IN_PRODUCTION=True,
    )
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "refusing to create demo accounts" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0
