"""Signing webhook bodies, and the check a receiver makes (Stripe-style headers).

The signature is HMAC-SHA256, keyed with the endpoint's secret, over the text
``f"{timestamp}.{body}"``: signing the timestamp with the body stops an attacker from
replaying an old, genuine delivery with a fresh timestamp, and the receiver refuses a
timestamp outside its tolerance (five minutes by default). ``verify`` is the reference
check: the tests use it, and docs/webhooks.md shows the same steps for other languages.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

SIGNATURE_HEADER = "Hashi-Signature"
EVENT_HEADER = "Hashi-Event"
DELIVERY_HEADER = "Hashi-Delivery"
TOLERANCE_SECONDS = 300


class SignatureError(ValueError):
    """The signature header is missing, malformed, wrong, or too old."""


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent: compact, keys sorted, so a redelivery sends the same body."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, *, now: datetime) -> str:
    timestamp = int(now.timestamp())
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def headers(
    secret: str, body: bytes, *, event: str, delivery_id: int, now: datetime
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature_header(secret, body, now=now),
        EVENT_HEADER: event,
        DELIVERY_HEADER: str(delivery_id),
        "User-Agent": "Hashi-Webhooks/1",
    }


def verify(
    secret: str,
    header: str | None,
    body: bytes,
    *,
    now: datetime,
    tolerance: int = TOLERANCE_SECONDS,
) -> int:
    """The signed timestamp if ``header`` is a valid signature of ``body`` made within
    ``tolerance`` seconds of ``now``; otherwise ``SignatureError`` saying what is wrong.
    Several ``v1=`` values are accepted (any one matching is enough)."""
    if not header:
        raise SignatureError("no signature header")
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates:
        raise SignatureError("the signature header has no timestamp or no v1 signature")
    if abs(now.timestamp() - timestamp) > tolerance:
        raise SignatureError("the signature's timestamp is outside the tolerance")
    expected = signature(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, given) for given in candidates):
        raise SignatureError("the signature does not match the body")
    return timestamp
