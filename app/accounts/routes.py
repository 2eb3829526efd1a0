"""Sign-in, sign-out, joining a cohort, password reset links and the language switch."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.accounts import services
from app.accounts.forms import (
    ChangePasswordForm,
    FuriganaForm,
    JoinCohortForm,
    JoinForm,
    LanguageForm,
    LoginForm,
    ResetPasswordForm,
    show_error,
)
from app.accounts.services import AccountError
from app.extensions import db, limiter
from app.i18n import LANGUAGES, SESSION_KEY, select_locale
from app.models import Role

bp = Blueprint("accounts", __name__)


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths: a crafted ``next`` must not send people to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _email_key() -> str:
    return "login-email:" + request.form.get("email", "").strip().lower()[:254]


def _sign_in(user) -> None:
    locale = session.get(SESSION_KEY)
    session.clear()  # a fresh session on sign-in: nothing from before carries over
    if locale:
        session[SESSION_KEY] = locale
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_email_key)
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            _sign_in(user)
            return redirect(safe_next(form.next.data, url_for("main.home")))
        # One message for an unknown email and a wrong password: no account enumeration.
        form.form_errors.append(_("The email or password is not correct."))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/join", methods=["GET", "POST"])
def join() -> str | Response:
    """New trainees sign up with a join code; signed-in trainees add another cohort."""
    if current_user.is_authenticated:
        return _join_as_member()
    form = JoinForm(join_code=request.args.get("code", ""))
    if form.validate_on_submit():
        try:
            user = services.register_trainee(
                join_code=form.join_code.data,
                name=form.name.data,
                email=form.email.data,
                password=form.password.data,
                cnic=form.cnic.data,
                locale=select_locale(),
            )
        except AccountError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            _sign_in(user)
            flash(
                _(
                    "Welcome to Hashi! You have joined %(cohort)s.",
                    cohort=user.memberships[0].cohort.name,
                ),
                "success",
            )
            return redirect(url_for("main.home"))
    return render_template("accounts/join.html", form=form)


def _join_as_member() -> str | Response:
    if current_user.role is not Role.TRAINEE:
        return render_template("accounts/join_staff.html")
    form = JoinCohortForm(join_code=request.args.get("code", ""))
    if form.validate_on_submit():
        try:
            cohort = services.find_joinable_cohort(form.join_code.data)
            services.add_to_cohort(current_user, cohort)
        except AccountError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("You have joined %(cohort)s.", cohort=cohort.name), "success")
            return redirect(url_for("main.home"))
    return render_template("accounts/join_member.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response:
    try:
        reset = services.find_password_reset(token)
    except AccountError as error:
        return render_template("accounts/reset_invalid.html", message=error.message), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.complete_password_reset(token, form.password.data)
        except AccountError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            logout_user()
            flash(_("Your password is set. Sign in with it now."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form, user=reset.user)


@bp.post("/language")
def set_language() -> Response:
    form = LanguageForm()
    if form.validate_on_submit() and form.locale.data in LANGUAGES:
        session[SESSION_KEY] = form.locale.data
        if current_user.is_authenticated:
            services.set_locale(current_user, form.locale.data)
            db.session.commit()
    return redirect(safe_next(form.next.data, url_for("main.home")))


@bp.post("/account/furigana")
@login_required
def furigana() -> Response:
    form = FuriganaForm()
    if form.validate_on_submit():
        services.set_furigana(current_user._get_current_object(), form.furigana.data)
        db.session.commit()
        flash(_("Your furigana setting is saved."), "success")
    else:
        flash(_("Choose one of the furigana settings."), "danger")
    return redirect(url_for("accounts.account"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> str | Response:
    form = ChangePasswordForm()
    user = current_user._get_current_object()  # the real User, not the proxy
    if form.validate_on_submit():
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except AccountError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            login_user(user)  # the new session token goes into this browser's cookie
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(url_for("accounts.account"))
    furigana_form = FuriganaForm(formdata=None, furigana=user.furigana)
    return render_template("accounts/account.html", form=form, furigana_form=furigana_form)
