"""The app's password hasher, built once per app from its configured costs."""

from __future__ import annotations

from flask import Flask, current_app

from app.lib.passwords import Passwords

EXTENSION_KEY = "hashi.passwords"
MIN_LENGTH = 8
MAX_LENGTH = 128


def init_passwords(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = Passwords(
        memory_kib=app.config["PASSWORD_HASH_MEMORY_KIB"],
        time_cost=app.config["PASSWORD_HASH_TIME_COST"],
    )


def passwords() -> Passwords:
    return current_app.extensions[EXTENSION_KEY]
