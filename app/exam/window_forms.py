"""Forms for exam windows (staff) and for starting a certification attempt (candidate).

Times are entered and shown in Pakistan time, where the exam rooms are, and stored in
UTC. The form checks the shape of each field; the rules that involve several fields
(closing after opening, networks that parse) live in ``app.exam.windows`` so the service
holds them whoever calls it, and its errors come back onto the fields.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.accounts.forms import REQUIRED
from app.exam.windows import MAX_REASON, WindowSettings
from app.learning.clock import LOCAL_TIME
from app.models import ExamWindow

ENTER_TIME = _l("Enter a date and time.")


def local_input(moment: datetime) -> datetime:
    """A UTC time as the naive Pakistan time a datetime-local field shows."""
    return moment.astimezone(LOCAL_TIME).replace(tzinfo=None)


def from_local_input(value: datetime) -> datetime:
    return value.replace(tzinfo=LOCAL_TIME).astimezone(UTC)


class WindowForm(FlaskForm):
    level = SelectField(
        _l("Level"),
        choices=[SelectChoice("N5", "JLPT N5"), SelectChoice("N4", "JLPT N4")],
        validators=[DataRequired(REQUIRED)],
    )
    opens_at = DateTimeLocalField(
        _l("Opens (Pakistan time)"), validators=[InputRequired(ENTER_TIME)]
    )
    closes_at = DateTimeLocalField(
        _l("Closes (Pakistan time)"), validators=[InputRequired(ENTER_TIME)]
    )
    form_size = SelectField(
        _l("Exam form"),
        choices=[
            SelectChoice("full", _l("Full JLPT form")),
            SelectChoice("short", _l("Short form (trial run)")),
        ],
        validators=[DataRequired(REQUIRED)],
    )
    require_code = BooleanField(_l("Candidates need an access code that the proctor reads out"))
    new_code = BooleanField(_l("Make a new access code"))
    networks = TextAreaField(
        _l("Allowed networks"),
        description=_l(
            "One network per line, such as 203.0.113.0/24 or 2001:db8::/48. "
            "Leave empty to allow any address."
        ),
        validators=[Optional(), Length(max=4000, message=_l("Use at most %(max)d characters."))],
    )
    wait_days = IntegerField(
        _l("Days to wait after a failed attempt"),
        default=0,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(0, 365, _l("Enter a number from %(min)d to %(max)d.")),
        ],
    )
    max_attempts = IntegerField(
        _l("Attempts per candidate in this window"),
        default=1,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(1, 10, _l("Enter a number from %(min)d to %(max)d.")),
        ],
    )
    requires_mock = BooleanField(_l("Candidates must have passed a mock exam at this level"))
    submit = SubmitField(_l("Save window"))

    def settings(self) -> WindowSettings:
        return WindowSettings(
            level=self.level.data or "",
            opens_at=from_local_input(self.opens_at.data),
            closes_at=from_local_input(self.closes_at.data),
            form_size=self.form_size.data or "",
            require_code=bool(self.require_code.data),
            networks=(self.networks.data or "").replace(",", "\n").splitlines(),
            wait_days=self.wait_days.data or 0,
            max_attempts=self.max_attempts.data or 0,
            requires_mock=bool(self.requires_mock.data),
        )

    def fill_from(self, window: ExamWindow) -> None:
        self.level.data = window.level
        self.opens_at.data = local_input(window.opens_at)
        self.closes_at.data = local_input(window.closes_at)
        self.form_size.data = window.form_size
        self.require_code.data = window.access_code is not None
        self.networks.data = "\n".join(window.networks)
        self.wait_days.data = window.wait_days
        self.max_attempts.data = window.max_attempts
        self.requires_mock.data = window.requires_mock


class StartForm(FlaskForm):
    code = StringField(
        _l("Access code"),
        validators=[Optional(), Length(max=32, message=_l("Use at most %(max)d characters."))],
    )
    submit = SubmitField(_l("Start the exam"))


class InvalidateForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Say why this attempt is invalidated.")),
            Length(max=MAX_REASON, message=_l("Use at most %(max)d characters.")),
        ],
    )
    submit = SubmitField(_l("Invalidate attempt"))
