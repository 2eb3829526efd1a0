"""Forms for signing in, joining a cohort and setting a password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, RadioField, StringField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from app.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from app.models import Role

REQUIRED = _l("This field is required.")

ROLE_LABELS = {
    Role.TRAINEE: _l("Trainee"),
    Role.INSTRUCTOR: _l("Instructor"),
    Role.CENTRE_ADMIN: _l("Centre admin"),
    Role.PROGRAMME_ADMIN: _l("Programme admin"),
}


def _too_long(n: int) -> Length:
    return Length(max=n, message=_l("Use at most %(max)d characters."))


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), _too_long(254)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(REQUIRED), _too_long(MAX_LENGTH)]
    )
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class NewPasswordMixin:
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(REQUIRED),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("Use between %(min)d and %(max)d characters."),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("The two passwords differ."))],
    )


class JoinForm(NewPasswordMixin, FlaskForm):
    join_code = StringField(
        _l("Join code"),
        description=_l("The code your instructor gave you, for example ABCD-2345."),
        validators=[DataRequired(REQUIRED), _too_long(20)],
    )
    name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), _too_long(120)])
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), _too_long(254)])
    cnic = StringField(
        _l("CNIC (optional)"),
        description=_l("13 digits, for example 35202-1234567-1."),
        validators=[Optional(), _too_long(20)],
    )
    submit = SubmitField(_l("Create my account"))


class JoinCohortForm(FlaskForm):
    join_code = StringField(
        _l("Join code"),
        description=_l("The code your instructor gave you, for example ABCD-2345."),
        validators=[DataRequired(REQUIRED), _too_long(20)],
    )
    submit = SubmitField(_l("Join the cohort"))


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    submit = SubmitField(_l("Set my password"))


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(REQUIRED), _too_long(MAX_LENGTH)]
    )
    submit = SubmitField(_l("Change my password"))


class FuriganaForm(FlaskForm):
    furigana = RadioField(
        _l("Furigana (readings over kanji)"),
        choices=[
            SelectChoice("always", _l("Always")),
            SelectChoice("above-level", _l("Only for kanji above the lesson's level")),
            SelectChoice("never", _l("Never")),
        ],
        validators=[DataRequired(REQUIRED)],
    )
    save = SubmitField(_l("Save"))


class LanguageForm(FlaskForm):
    locale = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Sign out"))


def show_error(form: FlaskForm, error: Exception) -> None:
    """Put a service's error next to the field it concerns (or above the form)."""
    message = str(getattr(error, "message", error))
    field = getattr(error, "field", None)
    if field and field in form._fields:
        form[field].errors = [*form[field].errors, message]
    else:
        form.form_errors.append(message)
