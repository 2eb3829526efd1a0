"""Every API error in one JSON shape: ``{"code", "message", "request_id"}``, plus
``details`` for validation errors. Codes are stable: clients may branch on them."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

from app.errors import error_code_name
from app.lib.service_error import ServiceError
from app.observability import current_request_id

MESSAGES = {
    400: "The request is malformed.",
    401: "Send a valid API key: Authorization: Bearer <key>.",
    403: "This API key may not do that.",
    404: "There is nothing at this address.",
    405: "This method is not allowed here.",
    406: "This API answers only application/json.",
    409: "The request conflicts with the current state.",
    412: "The resource has changed (If-Match).",
    413: "The request body is too large.",
    415: "Send the body as application/json.",
    422: "The request is well-formed but its content is not acceptable.",
    428: "Send If-Match.",
    429: "Too many requests for this API key; wait for Retry-After seconds.",
    500: "Something went wrong on our side; it has been logged.",
}


class ApiError(Exception):
    """An error a view raises to answer with a specific code and message."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}


def error_response(
    status: int,
    code: str | None = None,
    message: str | None = None,
    *,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "code": code or error_code_name(status),
        "message": message or MESSAGES.get(status, "The request failed."),
        "request_id": current_request_id(),
    }
    if details is not None:
        body["details"] = details
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="hashi"'
    return response


def from_api_error(error: ApiError) -> Response:
    return error_response(
        error.status, error.code, error.message, details=error.details, headers=error.headers
    )


def from_service_error(error: ServiceError) -> Response:
    status = error.status if 400 <= error.status < 500 else 422
    return error_response(status, error_code_name(status), error.message)


def from_http_exception(error: HTTPException) -> Response:
    """Werkzeug's and webargs's exceptions. webargs puts validation messages in
    ``error.data["messages"]`` keyed by location: problems in the query string are a
    malformed request (400), problems in a body a refused one (422)."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if status == 422 and isinstance(messages, dict):
        if "query" in messages:
            unknown = [
                name
                for name, problems in messages["query"].items()
                if "Unknown field." in (problems if isinstance(problems, list) else [])
            ]
            if unknown:
                return error_response(
                    400,
                    "unknown_parameter",
                    f"Unknown query parameter: {', '.join(sorted(unknown))}.",
                    details=messages,
                )
            return error_response(
                400, "invalid_parameter", "A query parameter is not valid.", details=messages
            )
        if "json" in messages:
            return error_response(
                422,
                "validation_failed",
                "The request body does not match the schema.",
                details=messages,
            )
    if status == 400 and isinstance(messages, dict) and "json" in messages:
        return error_response(400, "invalid_json", "The body is not valid JSON.")
    headers: dict[str, str] = {}
    if status == 405:
        valid = getattr(error, "valid_methods", None) or []
        if valid:
            headers["Allow"] = ", ".join(valid)
    if status == 413:
        return error_response(413, "payload_too_large", MESSAGES[413])
    if status == 406:
        return error_response(406, "not_acceptable", MESSAGES[406])
    if status == 415:
        return error_response(415, "unsupported_media_type", MESSAGES[415])
    if status == 304:  # smorest's NotModified travels as an exception, with its ETag
        return error.response if error.response is not None else Response(status=304)
    return error_response(status, headers=headers)


def is_api_request() -> bool:
    return request.path.startswith("/api/")
