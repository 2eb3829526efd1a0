"""Interface languages: English and Urdu (right to left), chosen per user."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, has_request_context, request, session
from flask_login import current_user


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str
    direction: str


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "English", "ltr"),
    "ur": Language("ur", "اردو", "rtl"),
}
SESSION_KEY = "locale"


def select_locale() -> str:
    """The signed-in user's choice, else this browser's choice, else Accept-Language
    (outside a request, as in CLI commands, the default)."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return chosen
    return (
        request.accept_languages.best_match(list(LANGUAGES))
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def current_language() -> Language:
    return LANGUAGES[select_locale()]
