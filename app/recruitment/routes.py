"""Pages: sharing with the recruitment system (consent), what it sees, outside results
for trainees, and their review for admins. Thin: parse, call a service, render."""

from __future__ import annotations

import io
import json
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts.access import ADMINS, roles_required
from app.accounts.forms import show_error
from app.accounts.routes import safe_next
from app.extensions import db
from app.learning.clock import now
from app.models import ExternalResult, Role, User
from app.models.recruitment import REJECTED, SELF_REPORTED, VERIFIED
from app.recruitment import consent, external_results, views
from app.recruitment.external_results import ExternalResultError, ResultInput
from app.recruitment.forms import (
    ConsentForm,
    DeleteForm,
    ExternalResultForm,
    RejectForm,
    VerifyForm,
    WithdrawForm,
)

bp = Blueprint("recruitment", __name__)
REVIEW_STATES = {"pending": SELF_REPORTED, "verified": VERIFIED, "rejected": REJECTED, "all": None}


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


@bp.app_context_processor
def _sharing_state() -> dict[str, Any]:
    """The account page shows whether the trainee shares their results."""

    def recruiter_consent() -> Any:
        if not current_user.is_authenticated or current_user.role is not Role.TRAINEE:
            return None
        return consent.current(current_user.id)

    def offer_sharing() -> bool:
        """Asked after joining a cohort, until the trainee has agreed once (one who
        withdrew has decided, and is not asked again)."""
        if not current_user.is_authenticated or current_user.role is not Role.TRAINEE:
            return False
        return bool(current_user.memberships) and not consent.history(current_user.id)

    return {"recruiter_consent": recruiter_consent, "offer_sharing": offer_sharing}


# ---- consent ------------------------------------------------------------------------------


@bp.route("/account/sharing", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def sharing() -> str | Response | tuple[str, int]:
    user = _me()
    form = ConsentForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        consent.give(user, text=str(consent.TEXT), now=now(), ip=request.remote_addr)
        db.session.commit()
        flash(_("Thank you: the recruitment system can now see your results."), "success")
        return redirect(safe_next(form.next.data, url_for("recruitment.recruiter_view")))
    page = render_template(
        "recruitment/sharing.html",
        form=form,
        withdraw_form=WithdrawForm(),
        text=consent.TEXT,
        standing=consent.current(user.id),
        history=consent.history(user.id),
    )
    return (page, 422) if request.method == "POST" else page


@bp.post("/account/sharing/withdraw")
@roles_required(Role.TRAINEE)
def withdraw() -> Response:
    if not WithdrawForm().validate_on_submit():
        abort(400)
    if consent.withdraw(_me(), now=now(), ip=request.remote_addr):
        db.session.commit()
        flash(
            _(
                "You have withdrawn your agreement: "
                "the recruitment system sees nothing about you now."
            ),
            "info",
        )
    return redirect(url_for("recruitment.sharing"))


@bp.get("/account/recruiter-view")
@roles_required(Role.TRAINEE)
def recruiter_view() -> str:
    """Exactly what the API returns about the trainee (the same stored document), or
    nothing."""
    user = _me()
    found = views.find(hashi_id=user.id)
    view = found.data() if found is not None else None
    raw = json.dumps(view, ensure_ascii=False, indent=2) if view is not None else None
    return render_template("recruitment/recruiter_view.html", view=view, raw=raw)


# ---- outside results: the trainee ---------------------------------------------------------


@bp.route("/account/results", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def results() -> str | Response | tuple[str, int]:
    user = _me()
    form = ExternalResultForm()
    refused = False
    if request.method == "POST":
        if form.validate_on_submit():
            upload = form.scan.data
            data = b""
            if upload:
                with upload.stream:  # a large upload is a temporary file: close it now
                    data = upload.read(external_results.MAX_SCAN_BYTES + 1)
            given = ResultInput(
                exam=form.exam.data, level=form.level.data or None, score=form.score.data,
                taken_on=form.taken_on.data, certificate_number=form.certificate_number.data,
            )  # fmt: skip
            try:
                external_results.record(user, given, data, now=now(), ip=request.remote_addr)
            except ExternalResultError as error:
                db.session.rollback()
                show_error(form, error)
            else:
                db.session.commit()
                flash(_("Your result is recorded. An admin will check it."), "success")
                return redirect(url_for("recruitment.results"))
        refused = True
    page = render_template(
        "recruitment/results.html",
        form=form,
        results=external_results.of_user(user.id),
        delete_form=DeleteForm(),
    )
    return (page, 422) if refused else page


@bp.post("/account/results/<int:result_id>/delete")
@roles_required(Role.TRAINEE)
def delete_result(result_id: int) -> Response:
    if not DeleteForm().validate_on_submit():
        abort(400)
    try:
        external_results.delete(_me(), result_id, now=now(), ip=request.remote_addr)
    except ExternalResultError as error:
        db.session.rollback()
        abort(error.status)
    db.session.commit()
    flash(_("The result is deleted."), "info")
    return redirect(url_for("recruitment.results"))


@bp.get("/results/<int:result_id>/scan")
@roles_required(*Role)
def scan(result_id: int) -> Response:
    """The scan, to its owner and the admins who may review it; 404 to anyone else."""
    result = db.session.get(ExternalResult, result_id)
    owner = db.session.get(User, result.user_id) if result is not None else None
    if result is None or owner is None or not external_results.may_see_scan(_me(), result, owner):
        abort(404)
    path = external_results.scan_path(result)
    if not path.is_file():
        abort(404)
    response = send_file(
        io.BytesIO(path.read_bytes()),  # at most 5 MB; no file handle outlives the request
        mimetype=result.scan_type,
        download_name=f"result-{result.id}.{external_results.MEDIA_TYPES[result.scan_type]}",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---- outside results: admins --------------------------------------------------------------


@bp.get("/admin/external-results")
@roles_required(*ADMINS)
def review_queue() -> str:
    shown = request.args.get("state", "pending")
    if shown not in REVIEW_STATES:
        shown = "pending"
    rows = external_results.queue(_me(), REVIEW_STATES[shown])
    return render_template(
        "recruitment/review_queue.html", rows=rows, shown=shown, states=REVIEW_STATES
    )


def _review_page(result_id: int, reject_form: RejectForm | None = None) -> str:
    try:
        result, owner = external_results.for_review(_me(), result_id)
    except ExternalResultError as error:
        abort(error.status)
    return render_template(
        "recruitment/review.html", result=result, owner=owner,
        verify_form=VerifyForm(), reject_form=reject_form or RejectForm(),
    )  # fmt: skip


@bp.get("/admin/external-results/<int:result_id>")
@roles_required(*ADMINS)
def review(result_id: int) -> str:
    return _review_page(result_id)


@bp.post("/admin/external-results/<int:result_id>/verify")
@roles_required(*ADMINS)
def verify(result_id: int) -> Response:
    if not VerifyForm().validate_on_submit():
        abort(400)
    try:
        external_results.verify(_me(), result_id, now=now(), ip=request.remote_addr)
    except ExternalResultError as error:
        db.session.rollback()
        abort(error.status)
    db.session.commit()
    flash(_("The result is marked as verified."), "success")
    return redirect(url_for("recruitment.review_queue"))


@bp.post("/admin/external-results/<int:result_id>/reject")
@roles_required(*ADMINS)
def reject(result_id: int) -> Response | tuple[str, int]:
    form = RejectForm()
    if form.validate_on_submit():
        try:
            external_results.reject(
                _me(), result_id, form.reason.data, now=now(), ip=request.remote_addr
            )
        except ExternalResultError as error:
            db.session.rollback()
            if error.field is None:
                abort(error.status)
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The result is rejected."), "info")
            return redirect(url_for("recruitment.review_queue"))
    return _review_page(result_id, form), 422
