"""Staff pages: every item's statistics, most concerning first, and one item in detail."""

from __future__ import annotations

from typing import get_args

from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.access import STAFF, roles_required
from app.analysis import services
from app.analysis.display import shown_item
from app.analysis.stats import MIN_RESPONSES, TOO_EASY, TOO_HARD, WEAK
from app.labels import SECTION_NAMES
from app.questions.base import Level, Section, Use

bp = Blueprint("analysis", __name__, url_prefix="/teach/items")

USE_NAMES = {"practice": _l("Practice"), "exam": _l("Exam")}


def _choice(name: str, allowed: tuple[str, ...]) -> str | None:
    """A filter from the query string; anything unknown means "all"."""
    value = request.args.get(name, "")
    return value if value in allowed else None


@bp.get("", strict_slashes=False)
@roles_required(*STAFF)
def items() -> str:
    filters = {
        "level": _choice("level", get_args(Level)),
        "section": _choice("section", get_args(Section)),
        "use": _choice("use", get_args(Use)),
        "flagged_only": request.args.get("flagged") == "1",
    }
    rows = services.item_table(current_user._get_current_object(), **filters)
    return render_template(
        "analysis/items.html",
        rows=rows,
        filters=filters,
        levels=get_args(Level),
        section_names=SECTION_NAMES,
        use_names=USE_NAMES,
        **_thresholds(),
    )


@bp.get("/<item_id>")
@roles_required(*STAFF)
def item(item_id: str) -> str:
    row = services.item_detail(current_user._get_current_object(), item_id) or abort(404)
    return render_template(
        "analysis/item.html",
        row=row,
        shown=shown_item(row.item),
        disputes=services.open_disputes(services.Scope.for_user(current_user), item_id),
        section_names=SECTION_NAMES,
        use_names=USE_NAMES,
        **_thresholds(),
    )


def _thresholds() -> dict[str, float]:
    """The limits the pages quote when they explain a flag."""
    return {
        "min_responses": MIN_RESPONSES,
        "too_hard": TOO_HARD,
        "too_easy": TOO_EASY,
        "weak": WEAK,
    }
