"""The disputed-gradings queue (staff only): items with open disputes, most disputed
first, and one item's disputed answers to accept or reject. One commit per request;
disputes.py decides."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts.access import STAFF, roles_required
from app.authoring import disputes
from app.extensions import db
from app.models import Item

bp = Blueprint("disputes", __name__, url_prefix="/teach/disputes")


@bp.app_context_processor
def _menu_count() -> dict[str, Any]:
    """The staff menu's "Disputes (N)": a function, so only pages that show it query."""
    return {"open_dispute_count": lambda: disputes.open_count(current_user)}


@bp.get("", strict_slashes=False)
@roles_required(*STAFF)
def queue() -> str:
    return render_template(
        "authoring/disputes.html", groups=disputes.open_disputes(current_user._get_current_object())
    )


def _item_page(item_id: str, status: int = 200, error: str | None = None) -> tuple[str, int]:
    item = db.session.get(Item, item_id) or abort(404)
    found = disputes.open_disputes(current_user._get_current_object(), item_id)
    answers = found[0].answers if found else []
    return render_template(
        "authoring/disputes_item.html", item=item, answers=answers, error=error
    ), status


@bp.get("/items/<item_id>")
@roles_required(*STAFF)
def item(item_id: str) -> tuple[str, int]:
    return _item_page(item_id)


@bp.post("/<int:dispute_id>/accept", defaults={"decision": "accept"})
@bp.post("/<int:dispute_id>/reject", defaults={"decision": "reject"})
@roles_required(*STAFF)
def decide(dispute_id: int, decision: str) -> Response | tuple[str, int]:
    """Accept or reject; a refusal is shown on the item's page with its status."""
    viewer = current_user._get_current_object()
    note = request.form.get("note", "")
    item_id = request.form.get("item_id", "")
    try:
        if decision == "accept":
            done = disputes.accept(viewer, dispute_id, note)
        else:
            disputes.reject(viewer, dispute_id, note)
    except disputes.DisputeError as error:
        db.session.rollback()
        if error.status == 404 or not item_id:
            abort(error.status)
        return _item_page(item_id, error.status, _(error.message))
    db.session.commit()
    if decision == "accept":
        flash(
            _(
                "Accepted. Past answers re-graded: %(regraded)d; disputes closed: %(closed)d.",
                regraded=done.regraded,
                closed=done.closed,
            ),
            "success",
        )
    else:
        flash(_("Rejected."), "success")
    return redirect(url_for("disputes.item", item_id=item_id) if item_id else url_for(".queue"))
