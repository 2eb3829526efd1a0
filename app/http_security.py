"""HTTP hardening: strict browser security headers, and input no database can store.

Every script, style and font is served by the app itself, so the Content-Security-Policy
names only ``'self'``; a page that tried to load from a CDN would be blocked and show up
in tests.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_babel import gettext as _

from app.errors import render_error

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
SECURE_HEADERS = (*HEADERS, ("Strict-Transport-Security", "max-age=31536000"))


def refuse_nul_characters() -> tuple[str | Response, int] | None:
    """PostgreSQL cannot store U+0000 in text; no honest form sends it. Refusing it here
    keeps every form from failing deep inside a query."""
    values = [*request.args.values()]
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        values += request.form.values()
    if any("\x00" in value for value in values):
        return render_error(400, _("The form contained a character that cannot be saved."))
    return None


def init_http_security(app: Flask) -> None:
    app.before_request(refuse_nul_characters)

    @app.after_request
    def set_headers(response: Response) -> Response:
        headers = response.headers
        wanted = SECURE_HEADERS if app.config.get("SESSION_COOKIE_SECURE") else HEADERS
        for name, value in wanted:
            # `in` rather than setdefault: a missing header makes setdefault build and
            # discard an exception, six times on every response.
            if name not in headers:
                headers[name] = value
        return response
