"""The candidate's certification exam: the windows of their cohorts with what stands in
the way of each, and starting an attempt at the exam room's door (access code, network).

Sitting it uses the mock exam's page and JSON endpoints (``app.exam.routes``): an attempt
is an attempt, and the kind only changes titles and the result page.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts.access import roles_required
from app.exam import attempts, windows
from app.exam.window_forms import StartForm
from app.extensions import db
from app.labels import SECTION_NAMES
from app.learning.clock import now
from app.models import Role

bp = Blueprint("certify", __name__, url_prefix="/exam/certification")


def _page(
    error: str | None = None, window_id: int | None = None, status: int = 200
) -> tuple[str, int]:
    """The windows page, with a refusal shown on the window it concerns."""
    user = current_user._get_current_object()
    moment = now()
    return render_template(
        "exam/certification.html",
        rows=windows.eligibility(user, moment),
        past=attempts.past_attempts(user.id, "certification"),
        form=StartForm(formdata=None),
        error=error,
        error_window=window_id,
        section_names=SECTION_NAMES,
        now=moment,
    ), status


@bp.get("")
@roles_required(Role.TRAINEE)
def index() -> tuple[str, int]:
    return _page()


@bp.post("/windows/<int:window_id>/start")
@roles_required(Role.TRAINEE)
def start(window_id: int) -> tuple[str, int] | Response:
    form = StartForm()
    if not form.validate_on_submit():
        return _page(_("The access code is too long."), window_id, 400)
    try:
        attempt, resumed = windows.start(
            current_user._get_current_object(),
            window_id,
            code=form.code.data or "",
            address=request.remote_addr,  # the client's, after the app's ProxyFix
            now=now(),
        )
    except windows.AccessRefusedError as refused:
        db.session.commit()  # nothing was created; the refusal is kept in the audit log
        return _page(str(refused.message), window_id, refused.status)
    except attempts.ExamError as error:
        db.session.rollback()
        return _page(str(error.message), window_id, error.status)
    db.session.commit()
    if resumed:
        flash(_("You already have an exam in progress: here it is."), "info")
    return redirect(url_for("exam.sit", attempt_id=attempt.id))
