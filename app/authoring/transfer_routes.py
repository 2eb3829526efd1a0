"""Content import and export as zip files (staff only). Importing is two steps: the upload
is checked and what would change is shown; the instructor then confirms. The upload waits
for that confirmation in a file named by a random token, for a limited time."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from app.accounts.access import STAFF, roles_required
from app.authoring import transfer
from app.extensions import db

bp = Blueprint("transfer", __name__, url_prefix="/teach/content/transfer")
log = logging.getLogger(__name__)

MAX_UPLOAD = 25 * 1024 * 1024  # bytes of request: a 20 MB content zip and the form around it


def _uploads() -> Path:
    """Where uploads wait for confirmation: on this host, so a confirmation must reach
    the host that checked the upload (or the folder must be shared)."""
    configured = current_app.config.get("CONTENT_IMPORT_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "imports"


@bp.url_value_preprocessor
def _larger_uploads(endpoint: str | None, _values: dict | None) -> None:
    """Raise the request size limit for the upload alone. This runs before the app's
    before-request hooks, the first of which already reads the form."""
    if endpoint == "transfer.check":
        request.max_content_length = MAX_UPLOAD


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> tuple[str, int]:
    limit = MAX_UPLOAD // (1024 * 1024)
    return render_template("authoring/transfer_too_large.html", limit=limit), 413


@bp.get("", strict_slashes=False)
@roles_required(*STAFF)
def index() -> str:
    return render_template("authoring/transfer.html", units=transfer.units())


@bp.get("/export")
@roles_required(*STAFF)
def export() -> Response:
    try:
        scope = transfer.Scope.parse(request.args.get("scope", ""))
    except ValueError:
        abort(404)
    return Response(
        transfer.export_zip(scope),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{scope.filename}"'},
    )


def _check_page(
    plan: transfer.ImportPlan | None,
    *,
    refused: str | None = None,
    token: str | None = None,
    notice: str | None = None,
) -> tuple[str, int]:
    status = 200 if plan is not None and plan.ok else 422
    return render_template(
        "authoring/transfer_check.html", plan=plan, refused=refused, token=token, notice=notice
    ), status


@bp.post("/check")
@roles_required(*STAFF)
def check() -> tuple[str, int]:
    upload = request.files.get("archive")
    if upload is None or not upload.filename:
        return _check_page(None, refused=_("Choose a zip file to upload."))
    data = upload.read()
    try:
        plan = transfer.inspect_zip(data)
    except transfer.ImportRefusedError as refusal:
        return _check_page(None, refused=str(refusal))
    token = transfer.keep_upload(data, _uploads()) if plan.ok and plan.changes_anything else None
    return _check_page(plan, token=token)


@bp.post("/confirm")
@roles_required(*STAFF)
def confirm() -> Response | tuple[str, int]:
    token = request.form.get("token", "")
    data = transfer.kept_upload(token, _uploads())
    if data is None:
        return _check_page(None, refused=_("This upload has expired. Please upload it again."))
    try:
        plan = transfer.inspect_zip(data)
    except transfer.ImportRefusedError as refusal:  # not expected: it was checked before
        return _check_page(None, refused=str(refusal))
    if not plan.ok or plan.fingerprint != request.form.get("fingerprint"):
        notice = _("The content changed since your upload was checked. Here is the new check.")
        return _check_page(plan, token=token if plan.ok else None, notice=notice)
    report = transfer.apply(plan, current_user.id)
    db.session.commit()
    transfer.discard_upload(token, _uploads())
    log.info(
        "content imported",
        extra={"user_id": current_user.id, "lessons": str(report.lessons),
               "items": str(report.items)},
    )  # fmt: skip
    flash(
        _(
            "Imported. Lessons: %(lessons)d new, %(lessons_changed)d changed, "
            "%(lessons_retired)d retired. Items: %(items)d new, %(items_changed)d changed, "
            "%(items_retired)d retired.",
            lessons=report.lessons.created,
            lessons_changed=report.lessons.updated,
            lessons_retired=report.lessons.retired,
            items=report.items.created,
            items_changed=report.items.updated,
            items_retired=report.items.retired,
        ),
        "success",
    )
    return redirect(url_for("transfer.index"))
