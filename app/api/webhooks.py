"""Webhook endpoints a client registers for itself. Each key sees and changes only its
own; another client's endpoint answers 404 exactly as a missing one."""

from __future__ import annotations

from typing import Any

from flask import current_app

from app.api.auth import current_key, requires
from app.api.blueprints import api_blueprint, json_body
from app.api.schemas import (
    PingSchema,
    WebhookCreatedSchema,
    WebhookCreateSchema,
    WebhookListSchema,
)
from app.extensions import db
from app.learning.clock import now
from app.webhooks import outbox

blp = api_blueprint("Webhooks", "Webhook endpoints that receive signed status events.")

SCOPE = "webhooks:manage"


def _endpoint(endpoint: Any) -> dict[str, Any]:
    return {
        "id": endpoint.id,
        "url": endpoint.url,
        "events": list(endpoint.events),
        "created_at": endpoint.created_at,
    }


@blp.route("/webhooks", methods=["POST"])
@requires(blp, SCOPE)
@json_body
@blp.arguments(
    WebhookCreateSchema,
    unknown="raise",
    example={
        "url": "https://recruitment.example.org/hooks/hashi",
        "events": ["certification.passed"],
    },
)
@blp.response(201, WebhookCreatedSchema)
@blp.alt_response(409, response="CONFLICT", description="Too many endpoints for this key.")
@blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE", description="Body over 64 KiB.")
@blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE", description="Body not JSON.")
@blp.alt_response(
    422, response="UNPROCESSABLE_ENTITY", description="Bad URL or events (`validation_failed`)."
)
def register(body: dict[str, Any]) -> dict[str, Any]:
    """Register a URL for events. The answer holds the signing secret, this once."""
    endpoint, secret = outbox.register(
        current_key().id,
        body["url"],
        body["events"],
        now=now(),
        production=current_app.config.get("ENV_NAME") == "production",
    )
    db.session.commit()
    return {**_endpoint(endpoint), "secret": secret}


@blp.route("/webhooks", methods=["GET"])
@requires(blp, SCOPE)
@blp.etag
@blp.response(200, WebhookListSchema)
def webhook_list() -> dict[str, Any]:
    """This key's endpoints (secrets are never shown again)."""
    return {"webhooks": [_endpoint(e) for e in outbox.endpoints_of(current_key().id)]}


@blp.route("/webhooks/<int(max=2147483647):webhook_id>/ping", methods=["POST"])
@requires(blp, SCOPE)
@blp.response(202, PingSchema)
@blp.alt_response(404, response="NOT_FOUND", description="No such endpoint of this key.")
def ping(webhook_id: int) -> dict[str, Any]:
    """Queue a signed `webhook.ping` delivery to this endpoint only."""
    delivery = outbox.ping(current_key().id, webhook_id, now=now())
    db.session.commit()
    return {"delivery_id": delivery.id, "event": delivery.event, "status": delivery.status}


@blp.route("/webhooks/<int(max=2147483647):webhook_id>", methods=["DELETE"])
@requires(blp, SCOPE)
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND", description="No such endpoint of this key.")
def delete(webhook_id: int) -> tuple[str, int]:
    """Stop sending to this endpoint; undelivered events to it are dropped."""
    outbox.remove(current_key().id, webhook_id, now=now())
    db.session.commit()
    return "", 204
