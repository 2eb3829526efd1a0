"""Fixtures: a real database per test run (SQLite file, or PostgreSQL when DATABASE_URL
names one), emptied after every test; the app, clients and small factories.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from app import create_app
from app.accounts.passwords import passwords
from app.content import services as content_services
from app.extensions import db
from app.lib.tokens import new_join_code
from app.models import Centre, Cohort, CohortMembership, Role, User
from app.models._columns import utcnow

PASSWORD = "correct horse battery"


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


@contextmanager
def own_database(sqlite_file: Path, prefix: str = "hashi_test") -> Iterator[str]:
    """The URL of an empty database nobody else uses: ``sqlite_file``, or on PostgreSQL
    (when DATABASE_URL names one) a new database, dropped afterwards."""
    server_url = _postgres_url()
    if server_url is None:
        yield f"sqlite:///{sqlite_file}"
        return
    url = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin_dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of this test run's own: never one a developer or another run uses."""
    with own_database(tmp_path_factory.mktemp("db") / "hashi-test.sqlite3") as url:
        yield url


# Certificate signing keys made by tests go to a directory of this run, never instance/.
SIGNING_KEY_DIR = tempfile.mkdtemp(prefix="hashi-test-keys-")


def make_app(database_url: str, **overrides: object) -> Flask:
    config = {
        "HASHI_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SERVER_NAME": None,
        "SIGNING_KEY_DIR": SIGNING_KEY_DIR,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def migrated_database(database_url: str) -> str:
    """Build the schema with the real migrations, as `make run` does."""
    app = make_app(database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


def _empty_all_tables() -> None:
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        # Append-only tables (the audit log) refuse DELETE by trigger: lift them meanwhile.
        triggers = db.session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        ).all()
        for name, _sql in triggers:
            db.session.execute(text(f'DROP TRIGGER "{name}"'))
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        for _name, sql in triggers:
            db.session.execute(text(sql))
    db.session.commit()


@pytest.fixture
def app(migrated_database: str) -> Iterator[Flask]:
    """The app with an empty database. No app context stays pushed: each test-client
    request must get its own context (and ``g``), exactly as in production; tests that
    read the database open ``with app.app_context():`` themselves."""
    app = make_app(migrated_database)
    yield app
    with app.app_context():
        _empty_all_tables()
        db.session.remove()
        db.engine.dispose()


def saved(app: Flask, *objects: object) -> None:
    """Commit new objects and hand them back detached, with their columns loaded, so a
    test can read ``user.email`` or ``cohort.id`` outside any app context."""
    db.session.add_all(objects)
    db.session.commit()
    for obj in objects:
        db.session.refresh(obj)
        db.session.expunge(obj)


@pytest.fixture
def other_app(migrated_database: str) -> Iterator[Callable[..., Flask]]:
    """Build more apps on the test database with other settings (a second host, a
    production config); their connections are closed when the test ends."""
    made: list[Flask] = []

    def build(**overrides: object) -> Flask:
        made.append(make_app(migrated_database, **overrides))
        return made[-1]

    yield build
    for extra in made:
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


# ---- factories --------------------------------------------------------------------------


@pytest.fixture
def make_centre(app: Flask) -> Callable[..., Centre]:
    def make(name: str | None = None, city: str = "Lahore") -> Centre:
        with app.app_context():
            centre = Centre(name=name or f"Centre {uuid.uuid4().hex[:6]}", city=city)
            saved(app, centre)
        return centre

    return make


@pytest.fixture
def centre(make_centre: Callable[..., Centre]) -> Centre:
    return make_centre("Lahore Centre")


@pytest.fixture
def make_user(app: Flask, centre: Centre) -> Callable[..., User]:
    def make(
        role: Role = Role.TRAINEE,
        email: str | None = None,
        *,
        centre_: Centre | None = centre,
        password: str = PASSWORD,
        name: str = "Test Person",
        **fields: object,
    ) -> User:
        with app.app_context():
            user = User(
                email=email or f"{role.value}-{uuid.uuid4().hex[:6]}@example.org",
                name=name,
                role=role,
                centre_id=None if role is Role.PROGRAMME_ADMIN or centre_ is None else centre_.id,
                password_hash=passwords().hash(password),
                **fields,
            )
            saved(app, user)
        return user

    return make


@pytest.fixture
def make_cohort(app: Flask, centre: Centre) -> Callable[..., Cohort]:
    def make(
        name: str | None = None,
        *,
        centre_: Centre = centre,
        expires_in: timedelta = timedelta(days=30),
        trainees: tuple[User, ...] = (),
        instructors: tuple[User, ...] = (),
        target_level: str = "N4",
    ) -> Cohort:
        with app.app_context():
            cohort = Cohort(
                centre_id=centre_.id,
                name=name or f"Cohort {uuid.uuid4().hex[:6]}",
                target_level=target_level,
                starts_on=date.today(),
                ends_on=date.today() + timedelta(days=180),
                join_code=new_join_code(),
                join_code_expires_at=utcnow() + expires_in,
                instructors=[db.session.get(User, u.id) for u in instructors],
            )
            db.session.add(cohort)
            db.session.add_all(CohortMembership(cohort=cohort, user_id=t.id) for t in trainees)
            saved(app, cohort)
        return cohort

    return make


@pytest.fixture
def small_curriculum(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The one-lesson, two-item content tree of tests/content/test_loader.py, loaded."""
    from tests.content.test_loader import make_tree  # the sample content lives with its tests

    lessons, bank = make_tree(tmp_path_factory.mktemp("content"))
    with app.app_context():
        content_services.load(content_services.check(lessons, bank, study_sets=False))
        db.session.commit()


# ---- signing in -------------------------------------------------------------------------


def csrf_token(client: FlaskClient, path: str) -> str:
    """Read the CSRF token from a form page, as a browser would."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD):
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client, "/login")},
    )


@pytest.fixture
def login_as(client: FlaskClient, make_user: Callable[..., User]) -> Callable[..., User]:
    """Create a user with the role and sign the test client in as them."""

    def login(role: Role, **fields: object) -> User:
        user = make_user(role, **fields)
        response = sign_in(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """Serve the test's app on a free port in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@pytest.fixture
def receiver() -> Iterator[Any]:
    """A real webhook receiver on 127.0.0.1 (tests/test_webhooks_delivery.py), shared by
    the webhook tests."""
    from tests.test_webhooks_delivery import Receiver, serve

    found = Receiver()
    server = serve(found)
    yield found
    server.shutdown()
    server.server_close()
