"""What the editors open: the newest version of a lesson or item (a pending draft wins
over what is published) and the number saves are based on. ``versions`` keeps the
history; this module only adapts it to the editors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.authoring import versions
from app.models.versions import ITEM, LESSON, ContentVersion

__all__ = ["ITEM", "LESSON", "Opened", "open_latest"]


@dataclass(frozen=True)
class Opened:
    """What an editor starts from: the version's column values and its number (the
    ``base`` a save is checked against)."""

    values: dict[str, Any]
    base: int
    version: ContentVersion


def open_latest(kind: str, object_id: str) -> Opened | None:
    """The newest version, or None when there is no such lesson or item."""
    try:
        version = versions.latest(kind, object_id)
    except versions.VersionError:
        return None
    return Opened(dict(version.values), version.number, version)
