"""Forms of the consent, recruiter-view and outside-result pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.recruitment.external_results import EXAMS, JLPT_LEVELS, MAX_REASON

REQUIRED = _l("This field is required.")


class ConsentForm(FlaskForm):
    agree = BooleanField(
        _l("I agree to share my results as described above."),
        validators=[DataRequired(_l("Tick the box to agree."))],
    )
    next = HiddenField()
    submit = SubmitField(_l("Share my results"))


class WithdrawForm(FlaskForm):
    submit = SubmitField(_l("Withdraw my agreement"))


class ExternalResultForm(FlaskForm):
    exam = SelectField(
        _l("Exam"),
        choices=[SelectChoice(e, e) for e in EXAMS],
        validators=[InputRequired(REQUIRED)],
    )
    level = SelectField(
        _l("JLPT level"),
        choices=[SelectChoice("", _l("(not a JLPT result)"))]
        + [SelectChoice(lv, lv) for lv in JLPT_LEVELS],
        validators=[Optional()],
    )
    score = IntegerField(
        _l("Score"),
        description=_l("JFT-Basic: the total score (10 to 250). JLPT: the total, if shown."),
        validators=[Optional(), NumberRange(0, 1000, _l("Enter a whole number."))],
    )
    taken_on = DateField(_l("Date of the test"), validators=[InputRequired(_l("Enter a date."))])
    certificate_number = StringField(
        _l("Certificate number"),
        validators=[
            InputRequired(REQUIRED),
            Length(max=40, message=_l("Use at most %(max)d characters.")),
        ],
    )
    scan = FileField(
        _l("Scan of the certificate"),
        description=_l("PDF, JPEG or PNG, at most 5 MB."),
        render_kw={"accept": "application/pdf,image/jpeg,image/png"},
    )
    submit = SubmitField(_l("Record this result"))


class DeleteForm(FlaskForm):
    submit = SubmitField(_l("Delete"))


class VerifyForm(FlaskForm):
    submit = SubmitField(_l("Mark as verified"))


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for rejecting"),
        validators=[
            DataRequired(_l("Say why this result is rejected.")),
            Length(max=MAX_REASON, message=_l("Use at most %(max)d characters.")),
        ],
    )
    submit = SubmitField(_l("Reject"))
