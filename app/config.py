"""Configuration read from the environment (12-factor), with safe laptop defaults.

Production refuses to start on a default secret or on SQLite unless told explicitly,
because either would silently break a multi-host deployment or leak sessions.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

DEFAULT_SECRET_KEY = "hashi-dev-secret-not-for-production"
INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


class ConfigError(RuntimeError):
    """The environment asks for something the app must not run with."""


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Route plain ``postgres://`` URLs (as hosting platforms hand them out) to psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Development defaults: everything works on a laptop with no set-up."""

    ENV_NAME = "development"
    SECRET_KEY = DEFAULT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'hashi.sqlite3'}"
    # No pool_pre_ping: app.db_connections pings only connections that sat idle.
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {}
    REDIS_URL: str | None = None
    ALLOW_SQLITE_IN_PRODUCTION = False

    SESSION_COOKIE_NAME = "hashi_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12

    WTF_CSRF_TIME_LIMIT = 60 * 60 * 12
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024

    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_KEY_PREFIX = "hashi"
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"

    BOOTSTRAP_SERVE_LOCAL = True
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Karachi"
    LANGUAGES = ("en", "ur")

    # Argon2id cost: OWASP's second recommended profile (19 MiB, 2 passes).
    PASSWORD_HASH_MEMORY_KIB = 19 * 1024
    PASSWORD_HASH_TIME_COST = 2
    PASSWORD_RESET_HOURS = 72
    JOIN_CODE_DAYS = 30

    LOG_JSON = True
    LOG_LEVEL = "INFO"
    PROXY_FIX_X_FOR = 0

    # Certificates (docs/certificates.md). None: instance/keys, the request's host, the
    # default issuer name, Debian's IPAex Gothic.
    SIGNING_KEY_DIR: str | None = None
    PUBLIC_BASE_URL: str | None = None
    CERTIFICATE_ISSUER: str | None = None
    CERTIFICATE_FONT: str | None = None

    # Encrypts webhook signing secrets at rest (app.webhooks.secret_box). None: a key
    # derived from SECRET_KEY, so nothing new is needed to run; setting it lets
    # SECRET_KEY be rotated without touching the webhooks.
    WEBHOOK_SECRET_KEY: str | None = None

    @classmethod
    def from_environment(cls) -> dict[str, Any]:
        """Values the environment overrides, as a plain mapping for ``app.config``."""
        values: dict[str, Any] = {}
        if url := os.environ.get("DATABASE_URL"):
            values["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
        if secret := os.environ.get("SECRET_KEY"):
            values["SECRET_KEY"] = secret
        if redis_url := os.environ.get("REDIS_URL"):
            values["REDIS_URL"] = redis_url
            values["RATELIMIT_STORAGE_URI"] = redis_url
        if "HASHI_ALLOW_SQLITE" in os.environ:
            values["ALLOW_SQLITE_IN_PRODUCTION"] = _env_bool("HASHI_ALLOW_SQLITE")
        if level := os.environ.get("LOG_LEVEL"):
            values["LOG_LEVEL"] = level.upper()
        if "LOG_JSON" in os.environ:
            values["LOG_JSON"] = _env_bool("LOG_JSON", True)
        if hops := os.environ.get("HASHI_PROXY_HOPS"):
            values["PROXY_FIX_X_FOR"] = int(hops)
        for name in (
            "SIGNING_KEY_DIR",
            "PUBLIC_BASE_URL",
            "CERTIFICATE_ISSUER",
            "CERTIFICATE_FONT",
            "WEBHOOK_SECRET_KEY",
        ):
            if setting := os.environ.get(f"HASHI_{name}"):
                values[name] = setting
        return values


class TestingConfig(Config):
    """Fast and deterministic: cheap password hashing, no rate limits unless a test asks."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "hashi-testing-secret"
    RATELIMIT_ENABLED = False
    PASSWORD_HASH_MEMORY_KIB = 1024
    PASSWORD_HASH_TIME_COST = 1
    LOG_JSON = False


class ProductionConfig(Config):
    """Behind TLS on several hosts: secure cookies, shared secrets, a real database."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


CONFIGS: dict[str, type[Config]] = {
    "development": Config,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_class(env_name: str | None = None) -> type[Config]:
    """The configuration class ``HASHI_ENV`` names (development when unset)."""
    name = (env_name or os.environ.get("HASHI_ENV") or "development").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError:
        known = ", ".join(sorted(CONFIGS))
        raise ConfigError(f"HASHI_ENV={name!r} is not one of: {known}") from None


def check_production_safety(config: dict[str, Any] | Any) -> None:
    """Refuse settings that are fine on a laptop and dangerous in production."""
    if config.get("ENV_NAME") != "production":
        return
    if config.get("SECRET_KEY") in (None, "", DEFAULT_SECRET_KEY):
        raise ConfigError("HASHI_ENV=production needs SECRET_KEY set to a long random value")
    if len(config["SECRET_KEY"]) < 32:
        raise ConfigError("SECRET_KEY must be at least 32 characters in production")
    webhook_key = config.get("WEBHOOK_SECRET_KEY")
    if webhook_key is not None and len(webhook_key) < 32:
        raise ConfigError("HASHI_WEBHOOK_SECRET_KEY must be at least 32 characters in production")
    uri = str(config.get("SQLALCHEMY_DATABASE_URI", ""))
    if uri.startswith("sqlite") and not config.get("ALLOW_SQLITE_IN_PRODUCTION"):
        raise ConfigError(
            "HASHI_ENV=production needs DATABASE_URL pointing at PostgreSQL "
            "(set HASHI_ALLOW_SQLITE=1 to run a single host on SQLite on purpose)"
        )
