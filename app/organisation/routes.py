"""Staff pages: cohorts (instructors and admins), accounts and centres (admins)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields import SelectChoice

from app.accounts import services as accounts
from app.accounts.access import ADMINS, STAFF, roles_required
from app.accounts.forms import ROLE_LABELS, show_error
from app.accounts.policy import can_manage_user, roles_assignable_by, visible_cohorts, visible_users
from app.accounts.services import AccountError
from app.extensions import db
from app.models import Centre, Role, User
from app.organisation import services
from app.organisation.cohort_routes import bp as cohort_tools
from app.organisation.forms import (
    CentreForm,
    CohortForm,
    JoinCodeForm,
    ResetLinkForm,
    StaffForm,
)

teach = Blueprint("teach", __name__, url_prefix="/teach")
admin = Blueprint("admin", __name__, url_prefix="/admin")
teach.register_blueprint(cohort_tools)


# ---- cohorts ------------------------------------------------------------------------------


@teach.get("/")
@roles_required(*STAFF)
def cohorts() -> str:
    rows = db.session.scalars(visible_cohorts(current_user)).all()
    return render_template("organisation/cohorts.html", cohorts=rows)


@teach.route("/cohorts/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_cohort() -> str | Response:
    form = CohortForm(centre=current_user.centre_id)
    centres = services.centres_for(current_user)
    form.centre.choices = [SelectChoice(c.id, c.name) for c in centres]
    form.instructors.choices = [
        SelectChoice(u.id, f"{u.name} ({u.centre.name})" if len(centres) > 1 else u.name)
        for u in services.instructors_at([c.id for c in centres])
    ]
    if form.validate_on_submit():
        try:
            cohort = services.create_cohort(
                current_user,
                centre=db.get_or_404(Centre, form.centre.data),
                name=form.name.data,
                target_level=form.target_level.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                instructor_ids=form.instructors.data or [],
                code_days=form.code_days.data,
            )
        except AccountError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Cohort created. Give trainees the join code below."), "success")
            return redirect(url_for("teach.cohort", cohort_id=cohort.id))
    return render_template("organisation/cohort_new.html", form=form, centres=centres)


@teach.get("/cohorts/<int:cohort_id>")
@roles_required(*STAFF)
def cohort(cohort_id: int) -> str:
    found = services.cohort_for(current_user, cohort_id) or abort(404)
    return render_template(
        "organisation/cohort.html",
        cohort=found,
        code_form=JoinCodeForm(days=current_app.config["JOIN_CODE_DAYS"]),
        reset_form=ResetLinkForm(),
        can_manage=lambda user: can_manage_user(current_user, user),
    )


@teach.post("/cohorts/<int:cohort_id>/join-code")
@roles_required(*STAFF)
def renew_join_code(cohort_id: int) -> Response:
    found = services.cohort_for(current_user, cohort_id) or abort(404)
    form = JoinCodeForm()
    if form.validate_on_submit():
        services.renew_join_code(found, form.days.data)
        db.session.commit()
        flash(_("A new join code is ready. The old one no longer works."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
    return redirect(url_for("teach.cohort", cohort_id=found.id))


@teach.post("/users/<int:user_id>/password-link")
@roles_required(*STAFF)
def password_link(user_id: int) -> str | Response:
    target = db.get_or_404(User, user_id)
    if not can_manage_user(current_user, target):
        abort(404 if target.centre_id != current_user.centre_id else 403)
    if not ResetLinkForm().validate_on_submit():
        abort(400)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    token = accounts.issue_password_reset(current_user, target, hours)
    db.session.commit()
    link = url_for("accounts.reset_password", token=token, _external=True)
    return render_template("organisation/password_link.html", target=target, link=link, hours=hours)


# ---- accounts and centres (admins) ------------------------------------------------------


@admin.get("/")
@roles_required(*ADMINS)
def users() -> str:
    rows = db.session.scalars(visible_users(current_user)).all()
    return render_template(
        "organisation/users.html",
        users=rows,
        reset_form=ResetLinkForm(),
        can_manage=lambda user: can_manage_user(current_user, user),
    )


@admin.route("/users/new", methods=["GET", "POST"])
@roles_required(*ADMINS)
def new_user() -> str | Response:
    form = StaffForm()
    form.role.choices = [
        SelectChoice(r.value, ROLE_LABELS[r]) for r in roles_assignable_by(current_user)
    ]
    centres = services.centres_for(current_user)
    form.centre.choices = [SelectChoice(c.id, c.name) for c in centres]
    if form.validate_on_submit():
        centre = db.session.get(Centre, form.centre.data) if form.centre.data else None
        try:
            user = services.create_staff(
                current_user,
                name=form.name.data,
                email=form.email.data,
                role=Role(form.role.data),
                centre=centre,
            )
            token = accounts.issue_password_reset(
                current_user, user, current_app.config["PASSWORD_RESET_HOURS"]
            )
        except AccountError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            link = url_for("accounts.reset_password", token=token, _external=True)
            return render_template(
                "organisation/password_link.html",
                target=user,
                link=link,
                hours=current_app.config["PASSWORD_RESET_HOURS"],
                created=True,
            )
    return render_template("organisation/user_new.html", form=form)


@admin.route("/centres", methods=["GET", "POST"])
@roles_required(Role.PROGRAMME_ADMIN)
def centres() -> str | Response:
    form = CentreForm()
    if form.validate_on_submit():
        try:
            services.create_centre(form.name.data, form.city.data or "")
        except AccountError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Centre added."), "success")
            return redirect(url_for("admin.centres"))
    rows = services.centres_for(current_user)
    return render_template("organisation/centres.html", centres=rows, form=form)
