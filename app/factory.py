"""The app factory: builds the Flask app in small named steps, so each concern can be
read (and tested) on its own."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, event, select
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from app import (
    db_connections,  # noqa: F401  (registers the pool's checkout/checkin events)
    models,
)
from app.accounts.cli import users_cli
from app.accounts.passwords import init_passwords
from app.accounts.routes import bp as accounts_bp
from app.analysis.routes import bp as analysis_bp
from app.api import init_api
from app.api.cli import api_keys_cli
from app.authoring.dispute_routes import bp as disputes_bp
from app.authoring.routes import bp as authoring_bp
from app.authoring.transfer_routes import bp as transfer_bp
from app.certification.cli import keys_cli
from app.certification.routes import bp as certification_bp
from app.config import check_production_safety, config_class
from app.content.cli import content_cli
from app.demo.cli import demo_cli
from app.errors import register_error_handlers
from app.exam.certification_routes import bp as certify_bp
from app.exam.items_cli import items_cli
from app.exam.routes import bp as exam_bp
from app.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate
from app.http_security import init_http_security
from app.i18n import select_locale
from app.learning.anki import bp as anki_bp
from app.learning.practice_routes import bp as practice_bp
from app.learning.routes import bp as learn_bp
from app.main.routes import bp as main_bp
from app.observability import configure_logging, init_request_ids
from app.organisation.routes import admin as admin_bp
from app.organisation.routes import teach as teach_bp
from app.recruitment import views as _candidate_views  # noqa: F401  (keeps documents fresh)
from app.recruitment.cli import recruitment_cli
from app.recruitment.routes import bp as recruitment_bp
from app.sqlite_writers import QueuedWriterConnection
from app.study.routes import bp as study_bp
from app.templating import init_templating
from app.webhooks.cli import webhooks_cli
from app.webhooks.routes import bp as webhooks_bp

PROJECT_DIR = Path(__file__).resolve().parent.parent


def build_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides settings (tests pass theirs here)."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config)
    check_production_safety(app.config)
    configure_logging(app)
    register_request_hooks(app)  # first, so every later hook and log line has a request id
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    init_templating(app)
    register_cli(app)
    return app


def load_config(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Class defaults for HASHI_ENV, then the environment, then explicit overrides."""
    overrides = dict(overrides or {})
    cls = config_class(overrides.pop("HASHI_ENV", None))
    app.config.from_object(cls)
    app.config.update(cls.from_environment())
    app.config.update(overrides)
    if hops := app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Several threads share one file: wait for the writer instead of failing at once,
        # queued on a lock the kernel hands over at once (app/sqlite_writers.py).
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "connect_args": {"timeout": 15, "factory": QueuedWriterConnection}
        }
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL lets readers work while one writer writes; SQLite leaves foreign keys off.
    synchronous=FULL syncs the log at every commit: an answer shown as graded survives a
    power cut too (NORMAL would only keep the file intact, possibly without it)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"))
    limiter.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    init_passwords(app)
    init_login(app)


# Built once: every signed-in request loads its user (session.get builds its query anew).
_USER_BY_ID = select(models.User).where(models.User.id == bindparam("id"))


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str) -> models.User | None:
        # The cookie holds "id:session_token"; a password reset changes the token and so
        # signs the account out on every device.
        ident, _sep, token = user_id.partition(":")
        if not ident.isdigit() or not token:
            return None
        user = db.session.scalar(_USER_BY_ID, {"id": int(ident)})
        if user is None or user.session_token != token or not user.is_active:
            return None
        return user


def register_request_hooks(app: Flask) -> None:
    init_request_ids(app)
    init_http_security(app)


def register_blueprints(app: Flask) -> None:
    for blueprint in (
        main_bp,
        accounts_bp,
        teach_bp,
        admin_bp,
        study_bp,
        learn_bp,
        practice_bp,
        exam_bp,
        certify_bp,
        analysis_bp,
        authoring_bp,
        transfer_bp,
        anki_bp,
        disputes_bp,
        certification_bp,
        recruitment_bp,
        webhooks_bp,
    ):
        app.register_blueprint(blueprint)
    init_api(app)  # the /api/v1 blueprints, their OpenAPI document and the admin key pages


def register_cli(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(content_cli)
    app.cli.add_command(keys_cli)
    app.cli.add_command(items_cli)
    app.cli.add_command(recruitment_cli)
    app.cli.add_command(api_keys_cli)
    app.cli.add_command(webhooks_cli)
