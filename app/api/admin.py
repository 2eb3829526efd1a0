"""Admin pages for API keys: list, create (the key shown once), rotate and revoke.

Programme admins only: a key reads every consenting candidate of every centre, so it is
not a centre admin's to hand out. The new key is rendered straight into the answer
(never flashed, never kept in the session) with ``Cache-Control: no-store``.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, StringField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length

from app.accounts.access import roles_required
from app.api import keys
from app.api.keys import ApiKeyError
from app.extensions import db
from app.learning.clock import now
from app.models import ApiKey, Role
from app.organisation.forms import CheckboxListField

bp = Blueprint("api_admin", __name__, url_prefix="/admin/api-keys")

SCOPE_LABELS = {
    "certifications:read": _l("certifications:read: certificates, verification, keys, changes"),
    "candidates:read": _l("candidates:read: candidates and their status"),
    "webhooks:manage": _l("webhooks:manage: register and remove webhook endpoints"),
}


class CreateKeyForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("Who uses this key, e.g. “Recruitment system, production”."),
        validators=[
            DataRequired(_l("Give the key a name.")),
            Length(max=keys.MAX_NAME, message=_l("Use at most %(max)d characters.")),
        ],
    )
    scopes = CheckboxListField(
        _l("Scopes"),
        choices=[SelectChoice(s, SCOPE_LABELS[s]) for s in keys.SCOPES],
        validators=[DataRequired(_l("Choose at least one scope."))],
    )
    submit = SubmitField(_l("Create the key"))


class ConfirmForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand that the current key stops working at once."),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )
    submit = SubmitField(_l("Confirm"))


def _shown_once(key: ApiKey, text: str) -> Response:
    response = make_response(render_template("api/key_created.html", key=key, text=text))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("", methods=["GET", "POST"])
@roles_required(Role.PROGRAMME_ADMIN)
def index() -> str | Response | tuple[str, int]:
    form = CreateKeyForm()
    if form.validate_on_submit():
        try:
            issued = keys.create(
                form.name.data or "", form.scopes.data or [], now=now(), actor_id=current_user.id
            )
        except ApiKeyError as error:
            db.session.rollback()
            form.name.errors = [*form.name.errors, error.message]
        else:
            db.session.commit()
            return _shown_once(issued.key, issued.text)
    status = 422 if form.errors else 200
    return render_template("api/keys.html", keys=keys.all_keys(), form=form), status


def _confirm(key_id: int, action: str) -> str | Response | tuple[str, int]:
    key = db.session.get(ApiKey, key_id)
    if key is None:
        abort(404)
    if key.is_revoked:
        flash(_("This key is already revoked."), "warning")
        return redirect(url_for("api_admin.index"))
    form = ConfirmForm()
    if form.validate_on_submit():
        if action == "rotate":
            issued = keys.rotate(key.id, now=now(), actor_id=current_user.id)
            db.session.commit()
            return _shown_once(issued.key, issued.text)
        keys.revoke(key.id, now=now(), actor_id=current_user.id)
        db.session.commit()
        flash(_("The key “%(name)s” is revoked.", name=key.name), "success")
        return redirect(url_for("api_admin.index"))
    status = 422 if form.errors else 200
    return render_template("api/confirm.html", key=key, form=form, action=action), status


@bp.route("/<int:key_id>/rotate", methods=["GET", "POST"])
@roles_required(Role.PROGRAMME_ADMIN)
def rotate(key_id: int) -> str | Response | tuple[str, int]:
    return _confirm(key_id, "rotate")


@bp.route("/<int:key_id>/revoke", methods=["GET", "POST"])
@roles_required(Role.PROGRAMME_ADMIN)
def revoke(key_id: int) -> str | Response | tuple[str, int]:
    return _confirm(key_id, "revoke")
