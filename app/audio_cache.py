"""Where this host keeps synthesised audio: a cache by content hash, never shared."""

from __future__ import annotations

from pathlib import Path

from flask import current_app


def audio_cache_dir() -> Path:
    configured = current_app.config.get("AUDIO_CACHE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "audio"
