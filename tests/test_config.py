"""Configuration: laptop defaults work, production refuses what would be unsafe."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import DEFAULT_SECRET_KEY, ConfigError, normalise_database_url

STRONG_SECRET = "x" * 48
PG_URL = "postgresql+psycopg://hashi@db.internal/hashi"


def test_production_refuses_the_default_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"HASHI_ENV": "production", "SQLALCHEMY_DATABASE_URI": PG_URL})


def test_production_refuses_a_short_secret_key() -> None:
    with pytest.raises(ConfigError, match="32 characters"):
        create_app(
            {"HASHI_ENV": "production", "SECRET_KEY": "short", "SQLALCHEMY_DATABASE_URI": PG_URL}
        )


def test_production_refuses_sqlite_unless_allowed(tmp_path) -> None:
    sqlite = f"sqlite:///{tmp_path / 'x.db'}"
    with pytest.raises(ConfigError, match="PostgreSQL"):
        create_app(
            {
                "HASHI_ENV": "production",
                "SECRET_KEY": STRONG_SECRET,
                "SQLALCHEMY_DATABASE_URI": sqlite,
            }
        )
    app = create_app(
        {
            "HASHI_ENV": "production",
            "SECRET_KEY": STRONG_SECRET,
            "SQLALCHEMY_DATABASE_URI": sqlite,
            "ALLOW_SQLITE_IN_PRODUCTION": True,
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_environment_variables_configure_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HASHI_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET)
    monkeypatch.setenv("DATABASE_URL", "postgres://hashi@db.internal/hashi")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == PG_URL
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_the_webhook_secret_key_comes_from_the_environment_and_must_be_long(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HASHI_WEBHOOK_SECRET_KEY", "w" * 40)
    assert create_app({"HASHI_ENV": "testing"}).config["WEBHOOK_SECRET_KEY"] == "w" * 40
    monkeypatch.setenv("HASHI_WEBHOOK_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="HASHI_WEBHOOK_SECRET_KEY"):
        create_app(
            {
                "HASHI_ENV": "production",
                "SECRET_KEY": STRONG_SECRET,
                "SQLALCHEMY_DATABASE_URI": PG_URL,
            }
        )
    monkeypatch.delenv("HASHI_WEBHOOK_SECRET_KEY")
    app = create_app(
        {"HASHI_ENV": "production", "SECRET_KEY": STRONG_SECRET, "SQLALCHEMY_DATABASE_URI": PG_URL}
    )
    assert app.config["WEBHOOK_SECRET_KEY"] is None  # derived from SECRET_KEY instead


def test_laptop_defaults_need_no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HASHI_ENV", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    app = create_app()
    assert app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/hashi.sqlite3")
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_unknown_environment_name_is_an_error() -> None:
    with pytest.raises(ConfigError, match="staging"):
        create_app({"HASHI_ENV": "staging"})


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_urls_are_routed_to_psycopg3(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected
