"""Forms for centres, cohorts and staff accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.forms import REQUIRED


def _max(n: int) -> Length:
    return Length(max=n, message=_l("Use at most %(max)d characters."))


def _days_valid(label: object) -> IntegerField:
    """How long a join code stays valid: a day to a year."""
    return IntegerField(
        label,
        default=30,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(1, 365, _l("Enter a number from %(min)d to %(max)d.")),
        ],
    )


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CentreForm(FlaskForm):
    name = StringField(_l("Centre name"), validators=[DataRequired(REQUIRED), _max(120)])
    city = StringField(_l("City"), validators=[Optional(), _max(80)])
    submit = SubmitField(_l("Add centre"))


class StaffForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), _max(120)])
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), _max(254)])
    role = SelectField(_l("Role"), validators=[DataRequired(REQUIRED)])
    centre = SelectField(_l("Training centre"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Create account"))


class CohortForm(FlaskForm):
    name = StringField(_l("Cohort name"), validators=[DataRequired(REQUIRED), _max(120)])
    centre = SelectField(_l("Training centre"), coerce=int, validators=[InputRequired(REQUIRED)])
    target_level = SelectField(
        _l("Target level"),
        choices=[SelectChoice("N4", "JLPT N4"), SelectChoice("N5", "JLPT N5")],
        default="N4",
    )
    starts_on = DateField(_l("Starts on"), validators=[InputRequired(_l("Enter a date."))])
    ends_on = DateField(_l("Ends on"), validators=[InputRequired(_l("Enter a date."))])
    instructors = CheckboxListField(_l("Instructors"), coerce=int, validators=[Optional()])
    code_days = _days_valid(_l("Join code valid for (days)"))
    submit = SubmitField(_l("Create cohort"))


class JoinCodeForm(FlaskForm):
    days = _days_valid(_l("Valid for (days)"))
    submit = SubmitField(_l("Make a new join code"))


class ResetLinkForm(FlaskForm):
    submit = SubmitField(_l("Make a password link"))


class AssignLessonsForm(FlaskForm):
    """One unit's lessons: tick some, or assign the whole unit, due on one date."""

    lessons = CheckboxListField(_l("Lessons"), validators=[Optional()])
    due_on = DateField(_l("Due on"), validators=[InputRequired(_l("Enter a date."))])
    assign = SubmitField(_l("Assign the ticked lessons"))
    whole_unit = SubmitField(_l("Assign the whole unit"))


class MoveTraineeForm(FlaskForm):
    target = SelectField(_l("Move to"), coerce=int, validators=[InputRequired(REQUIRED)])
    submit = SubmitField(_l("Move trainee"))


class ConfirmForm(FlaskForm):
    """A button that does one thing once its page has said what it does."""

    submit = SubmitField(_l("Confirm"))
