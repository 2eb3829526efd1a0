"""The pieces every API blueprint shares: the /api/v1 prefix, JSON errors, closed CORS."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, request
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from app.api.errors import (
    ApiError,
    error_response,
    from_api_error,
    from_http_exception,
    from_service_error,
)
from app.lib.service_error import ServiceError

PREFIX = "/api/v1"
MAX_BODY = 64 * 1024
F = TypeVar("F", bound=Callable[..., Any])


def api_blueprint(name: str, description: str) -> Blueprint:
    blp = Blueprint(name, __name__, url_prefix=PREFIX, description=description)
    blp.register_error_handler(ApiError, from_api_error)
    blp.register_error_handler(ServiceError, from_service_error)
    blp.register_error_handler(HTTPException, from_http_exception)
    blp.before_request(_refuse_nul_in_path)
    blp.before_request(_refuse_preflight)
    return blp


def _refuse_nul_in_path() -> Any:
    """PostgreSQL cannot compare text with U+0000 in it; no real id contains one.
    (app.http_security screens the query string and forms, not the path.)"""
    if "\x00" in request.path:
        return error_response(400, "invalid_path", "The address contains a NUL character.")
    return None


def _refuse_preflight() -> Any:
    """CORS is closed: the API is for servers, so a browser's preflight is refused and no
    Access-Control-Allow-* header is ever sent."""
    if request.method == "OPTIONS":
        # Every rule at this path (GET and POST /webhooks are two views), not just this one.
        adapter = current_app.url_map.bind_to_environ(request.environ)
        allowed = sorted(set(adapter.allowed_methods()) - {"OPTIONS", "HEAD"})
        return error_response(
            405,
            "cors_not_allowed",
            "Cross-origin browser requests are not allowed; call the API from a server.",
            headers={"Allow": ", ".join(allowed)},
        )
    return None


def json_body(view: F) -> F:
    """A body must be JSON (415 otherwise) and small (413): checked before parsing, so a
    form post or a huge upload gets a clear answer instead of a schema error."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if (request.content_length or 0) > MAX_BODY:
            raise ApiError(413, "payload_too_large", f"Send at most {MAX_BODY} bytes.")
        if request.mimetype != "application/json":
            raise ApiError(
                415, "unsupported_media_type", "Send the body as Content-Type: application/json."
            )
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
