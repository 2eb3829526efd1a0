"""Hashi: learn and certify basic Japanese for work in Japan.

The package itself stays light: ``app.japanese`` (the language engine) is used on the
command line and by outside tools without Flask, so importing ``app`` must not pull in
the web stack. ``create_app`` loads it when called.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app (see ``app.factory``); ``config`` overrides settings."""
    from app.factory import build_app  # the web stack, imported only when an app is built

    return build_app(config)
