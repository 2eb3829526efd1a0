"""The pieces every API blueprint shares: the /api/v1 prefix, JSON errors, closed CORS,
JSON only (406 otherwise), and 304 answers that keep their ETag."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, request
from flask_smorest import Blueprint
from flask_smorest.exceptions import NotModified
from werkzeug.datastructures import MIMEAccept
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


class ApiBlueprint(Blueprint):
    """flask-smorest's Blueprint with two fixes to its 304 (RFC 9110): the 304 carries
    the ETag a 200 would have sent (15.4.5), where smorest raises ``NotModified`` with no
    headers at all; and ``If-None-Match`` compares weakly (13.1.2), so a client or proxy
    that sends the tag back as ``W/"..."`` is answered 304 too, where smorest only
    matches strong tags."""

    def _check_not_modified(self, etag: str) -> None:
        if request.method in self.METHODS_CHECKING_NOT_MODIFIED and (
            request.if_none_match.contains_weak(etag)
        ):
            answer = current_app.response_class(status=304)
            answer.set_etag(etag)
            raise NotModified(response=answer)


def api_blueprint(name: str, description: str) -> Blueprint:
    blp = ApiBlueprint(name, __name__, url_prefix=PREFIX, description=description)
    blp.register_error_handler(ApiError, from_api_error)
    blp.register_error_handler(ServiceError, from_service_error)
    blp.register_error_handler(HTTPException, from_http_exception)
    blp.before_request(_refuse_nul_in_path)
    blp.before_request(_refuse_preflight)
    blp.before_request(_refuse_unacceptable)
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


def accepts_json(accept: MIMEAccept) -> bool:
    """Does this Accept header allow ``application/json``? The most specific range that
    names it decides (``*/*, application/json;q=0`` refuses it, RFC 9110 12.5.1), a
    quality of 0 refuses, and parameters such as ``charset`` are ignored: the answer is
    UTF-8 JSON whatever they say. No header, or an empty one, accepts anything."""
    if not accept:
        return True
    specificity = {"*/*": 0, "application/*": 1, "application/json": 2}
    best_rank, best_quality = -1, 0.0
    for value, quality in accept:
        rank = specificity.get(value.split(";", 1)[0].strip().lower(), -1)
        if rank > best_rank or (rank == best_rank and quality > best_quality):
            best_rank, best_quality = rank, quality
    return best_rank >= 0 and best_quality > 0


def _refuse_unacceptable() -> Any:
    """Every answer is JSON. A client that says it cannot read JSON is told so with a 406
    (in JSON all the same: it is the only shape there is) rather than handed a body it
    refused."""
    if not accepts_json(request.accept_mimetypes):
        return error_response(
            406,
            "not_acceptable",
            "This API answers only in JSON: send Accept: application/json (or none).",
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
