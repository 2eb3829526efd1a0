"""Error pages for browsers and one JSON error shape for API clients.

API clients get ``{"code", "message", "request_id"}`` whatever went wrong, so a
recruitment system can log the request id and we can find the matching log line.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, abort, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db
from app.lib.service_error import ServiceError
from app.observability import current_request_id

log = logging.getLogger(__name__)

PAGE_MESSAGES = {
    400: _l("The request could not be understood."),
    403: _l("You do not have access to this page."),
    404: _l("We could not find that page."),
    405: _l("That action is not allowed here."),
    413: _l("That upload is too large."),
    429: _l("Too many attempts. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. It has been logged; please try again."),
}


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not request.accept_mimetypes.accept_html


def error_code_name(status: int) -> str:
    return {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "payload_too_large",
        422: "unprocessable",
        429: "rate_limited",
        500: "internal_error",
    }.get(status, "error")


def json_object(refusal: type[ServiceError], limit: int = 64 * 1024) -> dict[str, Any]:
    """The request's JSON object. Larger than ``limit`` is a 413 before anything is
    parsed; anything but an object is the view's own ``refusal`` (422), so its error
    handler answers in its usual shape."""
    if (request.content_length or 0) > limit:
        abort(413)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise refusal("Send a JSON object.", 422)
    return data


def json_error(status: int, message: str, code: str | None = None) -> Response:
    response = jsonify(
        code=code or error_code_name(status),
        message=message,
        request_id=current_request_id(),
    )
    response.status_code = status
    return response


def render_error(status: int, detail: str | None = None) -> tuple[str | Response, int]:
    """The error as a page for people or as the API's JSON shape for programs."""
    message = detail or str(PAGE_MESSAGES.get(status, _l("Something went wrong.")))
    if wants_json():
        return json_error(status, message), status
    return render_template("errors/error.html", status=status, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str | Response, int]:
        return render_error(
            400,
            _(
                "This form had expired or did not come from Hashi. "
                "Go back, reload the page and try again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str | Response, int]:
        status = error.code or 500
        if status == 500:
            return internal_error(error)
        # Werkzeug's and the extensions' descriptions are replaced by ours: shorter,
        # translated, and free of internals such as the exact rate limit.
        return render_error(status)

    @app.errorhandler(Exception)
    def internal_error(error: Exception) -> tuple[str | Response, int]:
        if isinstance(error, HTTPException) and not isinstance(error, InternalServerError):
            return render_error(error.code or 500)
        db.session.rollback()
        log.exception("unhandled error", exc_info=error)
        return render_error(500)
