"""Opaque cursors: clients pass back what they were given and never build one, so the
encoding can change without breaking them. Inside is a version and a row id."""

from __future__ import annotations

import base64
import binascii

from app.api.errors import ApiError

_VERSION = "v1"


def encode(kind: str, position: int) -> str:
    raw = f"{_VERSION}:{kind}:{position}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(kind: str, cursor: str | None) -> int:
    """The position inside ``cursor`` (0 when there is none), or a 400."""
    if cursor is None:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
        version, found_kind, position = text.split(":")
        if version != _VERSION or found_kind != kind or not position.isdigit():
            raise ValueError(text)
        value = int(position)
        if value > 2**62:
            raise ValueError(text)
    except (ValueError, UnicodeError, binascii.Error):
        raise ApiError(
            400,
            "invalid_cursor",
            "The cursor is not one this API gave out; pass next_cursor back unchanged.",
        ) from None
    return value
