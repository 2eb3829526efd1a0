"""What every template can use: the current language and direction, shared small forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, request
from flask_babel import format_date, format_datetime, format_percent
from markupsafe import Markup, escape

from app.accounts.forms import ROLE_LABELS, LanguageForm, LogoutForm
from app.i18n import LANGUAGES, current_language
from app.labels import SECTION_NAMES
from app.models._columns import utcnow


def japanese(text: str) -> Markup:
    """Wrap Japanese in ``lang="ja"`` so browsers pick Japanese glyphs and screen readers
    read it as Japanese, even inside an Urdu page."""
    return Markup('<span lang="ja">{}</span>').format(escape(text))


def day_month(day: date) -> str:
    """A short day label for chart axes, in the reader's locale."""
    return format_date(day, "d MMM")


def short_date(day: date) -> str:
    """Day and month in figures: fits under a chart's bar in any language."""
    return format_date(day, "d/M")


def percent(share: float | None) -> str:
    """A share as a whole percentage; a dash where there is nothing to divide."""
    return "–" if share is None else format_percent(share)


def init_templating(app: Flask) -> None:
    app.jinja_env.filters["ja"] = japanese
    app.jinja_env.filters["daymonth"] = day_month
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["shortdate"] = short_date
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(
        format_date=format_date,
        format_datetime=format_datetime,
        now=utcnow,
        section_names=SECTION_NAMES,
    )

    @app.context_processor
    def shell_context() -> dict[str, Any]:
        return {
            "language": current_language(),
            "languages": LANGUAGES.values(),
            # Display-only forms: never bound to this request's data (which may be the
            # reason an error page is being shown).
            "language_form": LanguageForm(formdata=None, next=request.full_path.rstrip("?")),
            "logout_form": LogoutForm(formdata=None),
            "role_label": lambda role: ROLE_LABELS[role],
        }
