"""Bearer-key authentication, scopes and per-key rate limits for API views.

Only the ``Authorization`` header counts: a browser's session cookie is never looked at,
so a signed-in admin's browser cannot be tricked into calling the API (and the API needs
no CSRF token). The rate limit is counted after the key is known, in Flask-Limiter's
storage (Redis when ``REDIS_URL`` is set, so every host shares one count per key).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_smorest import Blueprint
from limits import parse

from app.api import keys
from app.api.errors import ApiError
from app.extensions import limiter
from app.learning.clock import now
from app.models import ApiKey

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_RATE_LIMIT = "600/minute"


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _sep, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def current_key() -> ApiKey:
    return g.api_key


def _authenticate(header: str | None, scope: str) -> ApiKey:
    token = bearer_token(header)
    if token is None:
        raise ApiError(
            401, "missing_key", "Send your API key in the header: Authorization: Bearer <key>."
        )
    key = keys.authenticate(token, now=now())
    if key is None:
        raise ApiError(401, "invalid_key", "This API key is not valid (wrong, rotated or revoked).")
    if scope not in key.scope_list:
        raise ApiError(403, "insufficient_scope", f"This API key lacks the scope {scope}.")
    _count_request(key)
    return key


def _count_request(key: ApiKey) -> None:
    if not limiter.enabled:
        return
    item = parse(current_app.config["API_RATE_LIMIT"])
    strategy = limiter.limiter
    if not strategy.hit(item, "api-key", str(key.id)):
        reset_at, _remaining = strategy.get_window_stats(item, "api-key", str(key.id))
        wait = max(1, int(reset_at - time.time()) + 1)
        raise ApiError(
            429,
            "rate_limited",
            f"Too many requests for this API key; try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )


def requires(blp: Blueprint, scope: str) -> Callable[[F], F]:
    """Authenticate the request's key and demand ``scope``; documents the 401, 403 and
    429 answers and the scope on the operation."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            g.api_key = _authenticate(request.headers.get("Authorization"), scope)
            return view(*args, **kwargs)

        documented = blp.doc(security=[{"bearerAuth": [scope]}])(wrapped)
        documented = blp.alt_response(
            401, response="UNAUTHORIZED", description="Missing, malformed, wrong or revoked key."
        )(documented)
        documented = blp.alt_response(
            403, response="FORBIDDEN", description=f"The key lacks the scope `{scope}`."
        )(documented)
        return blp.alt_response(
            429,
            response="TOO_MANY_REQUESTS",
            description="Rate limit for this key reached; see the Retry-After header.",
        )(documented)

    return decorator
