"""Certificate pages: public verification, keys and status list; the printable page, PDF
and credential; the admins' certificate list, revocation and audit log."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
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

from app.accounts.access import ADMINS, roles_required
from app.accounts.forms import show_error
from app.certification import audit, certificates, credentials, pdf, qr
from app.certification.certificates import CertificateError
from app.certification.forms import RevokeForm
from app.errors import render_error
from app.exam.scoring import MAXIMUM
from app.extensions import db
from app.learning.clock import now
from app.models import Certificate, Role, User

bp = Blueprint("certification", __name__)

JWT_MEDIA_TYPE = "application/vc+jwt"


def base_url() -> str:
    """The public root the credentials name: fixed by config on a multi-host setup."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    return (configured or request.host_url).rstrip("/")


def _no_cache(response: Response) -> Response:
    # Revocation must show at once: nothing may serve a stale answer.
    response.headers["Cache-Control"] = "no-cache"
    return response


# ---- public -----------------------------------------------------------------------------


@bp.get("/verify/<public_id>")
def verify(public_id: str) -> tuple[str, int]:
    result = certificates.verify(public_id)
    url = credentials.verify_url(base_url(), public_id)
    qr_svg = (
        qr.verify_qr_svg(url, title=_("QR code of this verification page"))
        if result.certificate is not None
        else None
    )
    status = 404 if result.status == certificates.UNKNOWN else 200
    page = render_template(
        "certification/verify.html",
        result=result,
        cert=result.certificate,
        verify_url=url,
        qr_svg=qr_svg,
        maxima=MAXIMUM,
    )
    return page, status


@bp.get("/.well-known/jwks.json")
def jwks() -> Response:
    return _no_cache(current_app.json.response(credentials.jwks()))


@bp.get("/credentials/status/<int:list_id>")
def status_list(list_id: int) -> Response:
    if list_id != credentials.STATUS_LIST_ID:
        abort(404)
    token = credentials.status_list_jwt(base_url=base_url(), now=now())
    db.session.commit()  # a key made on first use is published with it
    return _no_cache(Response(token, mimetype=JWT_MEDIA_TYPE))


@bp.get("/certificates/<public_id>/credential.jwt")
def credential(public_id: str) -> Response | tuple[str | Response, int]:
    cert = certificates.by_public_id(public_id)
    if cert is None:
        return render_error(404, _("There is no certificate with that id."))
    try:
        token = credentials.credential_jwt(cert, base_url=base_url(), now=now())
    except CertificateError as error:
        return render_error(error.status, error.message)
    db.session.commit()
    response = Response(token, mimetype=JWT_MEDIA_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{public_id}.jwt"'
    return _no_cache(response)


# ---- the candidate and staff ------------------------------------------------------------


def may_see(viewer: User, cert: Certificate) -> bool:
    """The candidate, a programme admin, or staff of the candidate's centre."""
    if viewer.id == cert.user_id or viewer.role is Role.PROGRAMME_ADMIN:
        return True
    owner = db.session.get(User, cert.user_id)
    return (
        viewer.role.is_staff
        and owner is not None
        and owner.centre_id is not None
        and owner.centre_id == viewer.centre_id
    )


def _visible_certificate(public_id: str) -> Certificate:
    cert = certificates.by_public_id(public_id)
    if cert is None:
        abort(404)
    if not may_see(current_user, cert):
        abort(403)
    return cert


@bp.get("/certificates")
@roles_required(*Role)
def mine() -> str:
    return render_template(
        "certification/mine.html", certificates=certificates.of_user(current_user.id)
    )


@bp.get("/certificates/<public_id>")
@roles_required(*Role)
def printable(public_id: str) -> str:
    cert = _visible_certificate(public_id)
    url = credentials.verify_url(base_url(), cert.public_id)
    return render_template(
        "certification/printable.html",
        cert=cert,
        verify_url=url,
        qr_svg=qr.verify_qr_svg(url, title=_("QR code of this certificate's verification page")),
        maxima=MAXIMUM,
    )


@bp.get("/certificates/<public_id>/certificate.pdf")
@roles_required(*Role)
def pdf_file(public_id: str) -> Response | tuple[str | Response, int]:
    cert = _visible_certificate(public_id)
    try:
        data = pdf.render(
            cert, verify_url=credentials.verify_url(base_url(), cert.public_id), maxima=MAXIMUM
        )
    except pdf.FontMissingError as error:
        current_app.logger.error("certificate PDF: %s", error)
        return render_error(503, str(error))
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="hashi-certificate-{cert.public_id}.pdf"'
    )
    return response


# ---- admins -----------------------------------------------------------------------------


def _admin_centre() -> int | None:
    """A centre admin sees the candidates of their centre; a programme admin all."""
    return None if current_user.role is Role.PROGRAMME_ADMIN else current_user.centre_id


@bp.get("/admin/certificates")
@roles_required(*ADMINS)
def admin_list() -> str:
    query = request.args.get("q", "", type=str)[:100]
    found = certificates.search(query, centre_id=_admin_centre())
    return render_template("certification/admin_list.html", certificates=found, query=query)


@bp.route("/admin/certificates/<public_id>/revoke", methods=["GET", "POST"])
@roles_required(*ADMINS)
def revoke(public_id: str) -> str | Response | tuple[str, int]:
    cert = certificates.by_public_id(public_id)
    if cert is None or not may_see(current_user, cert):
        abort(404)
    form = RevokeForm()
    if cert.is_revoked:
        flash(_("This certificate has already been revoked."), "warning")
        return redirect(url_for("certification.verify", public_id=cert.public_id))
    if form.validate_on_submit():
        try:
            certificates.revoke(
                cert.public_id,
                reason=form.reason.data or "",
                by_user_id=current_user.id,
                now=now(),
                ip=request.remote_addr,
            )
        except CertificateError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The certificate is revoked. Its verification page now says so."), "success")
            return redirect(url_for("certification.verify", public_id=cert.public_id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("certification/revoke.html", cert=cert, form=form), status


@bp.get("/admin/audit")
@roles_required(Role.PROGRAMME_ADMIN)
def audit_log() -> str:
    number = request.args.get("page", 1, type=int) or 1
    return render_template("certification/audit.html", page=audit.page_of_entries(number))
