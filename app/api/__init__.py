"""The recruitment API under /api/v1: flask-smorest builds the OpenAPI 3.1 document from
the views and schemas, so the document cannot drift from the code."""

from __future__ import annotations

import os
from typing import Any

from apispec import BasePlugin
from flask import Flask, Response, current_app, request
from flask_smorest import Api

from app.api.auth import DEFAULT_RATE_LIMIT
from app.api.schemas import ErrorSchema
from app.extensions import csrf
from app.lib.cnic import DOCUMENTED_PATTERN as CNIC_PATTERN

API_TITLE = "Hashi recruitment API"
API_VERSION = "1.0.0"

DESCRIPTION = """\
Certification status of Hashi's candidates (JLPT N5 and N4), a change feed, certificate
verification and webhooks, for the recruitment system.

Authenticate every call with an API key: `Authorization: Bearer hashi_<prefix>_<secret>`.
Errors are always JSON: `{"code", "message", "request_id"}` (and `details` for validation
errors). Integrator guide: docs/api.md in the Hashi repository.
"""


class HashiApi(Api):
    """flask-smorest's Api, minus its app-wide error handler: the rest of Hashi answers
    browsers with HTML pages, so the API's blueprints carry their own JSON handlers."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        return None


class HashiSpecPlugin(BasePlugin):
    """What every operation shares but no decorator says, added as each path enters the
    document: the 406 every API blueprint answers to an Accept without JSON (see
    app.api.blueprints), and the form of a CNIC wherever a path takes one."""

    def path_helper(
        self,
        path: str | None = None,
        operations: dict[str, Any] | None = None,
        parameters: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        for parameter in parameters or []:
            if not isinstance(parameter, dict):  # a reference to a shared parameter
                continue
            if parameter.get("in") == "path" and parameter.get("name") == "cnic":
                parameter.setdefault("schema", {}).update(
                    {"type": "string", "pattern": CNIC_PATTERN}
                )
                parameter.setdefault("example", "35202-1234567-1")

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        for operation in (operations or {}).values():
            operation.setdefault("responses", {}).setdefault("406", "NOT_ACCEPTABLE")


def init_api(app: Flask) -> None:
    from app.api import candidates, certificates, changes, webhooks
    from app.api.admin import bp as admin_bp
    from app.api.reference import bp as reference_bp

    # Requests per key; counted in Flask-Limiter's storage (Redis with REDIS_URL).
    app.config.setdefault(
        "API_RATE_LIMIT", os.environ.get("HASHI_API_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    )
    app.config.setdefault("API_TITLE", API_TITLE)
    app.config.setdefault("API_VERSION", API_VERSION)
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {"description": DESCRIPTION},
            "servers": [{"url": "/", "description": "This Hashi server"}],
            "security": [{"bearerAuth": []}],
        },
    )
    api = HashiApi(app, spec_kwargs={"extra_plugins": [HashiSpecPlugin()]})
    api.spec.components.security_scheme(
        "bearerAuth",
        {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "hashi_<prefix>_<secret>",
            "description": "An API key an administrator created for your system.",
        },
    )
    # apispec has no hook for a schema-level example: add it to the resolved component.
    api.spec.components.schemas["Error"]["examples"] = [
        {
            "code": "invalid_cnic",
            "message": "A CNIC is 13 digits, with or without dashes: 35202-1234567-1.",
            "request_id": "5f0c6f1c2a8e4e0e9b1d8c3f2a7b6d41",
        },
        {
            "code": "validation_failed",
            "message": "The request body does not match the schema.",
            "request_id": "0b6a1e8f3c2d4b5a9e7f6d5c4b3a2910",
            "details": {"json": {"events": ["Must be one of: ..."]}},
        },
    ]
    for module in (candidates, changes, certificates, webhooks):
        api.register_blueprint(module.blp)
        csrf.exempt(module.blp)
    # A 304 carries the ETag of the copy the client holds (app.api.blueprints).
    if "NOT_MODIFIED" in api.spec.components.responses:
        api.spec.components.responses["NOT_MODIFIED"]["headers"] = {
            "ETag": api.spec.components.get_ref("header", "ETAG")
        }
    app.register_blueprint(reference_bp)
    app.register_blueprint(admin_bp)
    app.after_request(_api_response_headers)


def spec_dict() -> dict[str, Any]:
    """The current app's OpenAPI document (each app builds its own)."""
    return current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


def _api_response_headers(response: Response) -> Response:
    """Routing errors (an unknown path, a wrong method) never reach a blueprint's
    handler: give them the Allow header here. No API answer is ever cached by a shared
    cache, nor readable cross-origin; each depends on the key, and on whether Accept
    allows JSON (406 otherwise)."""
    if not request.path.startswith("/api/"):
        return response
    if response.status_code == 405 and "Allow" not in response.headers:
        error = request.routing_exception
        valid = getattr(error, "valid_methods", None)
        if valid:
            response.headers["Allow"] = ", ".join(sorted(valid))
    response.headers.pop("Access-Control-Allow-Origin", None)
    response.headers.setdefault("Cache-Control", "private, no-cache")
    response.headers["Vary"] = "Authorization, Accept"
    return response
