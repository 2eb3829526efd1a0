"""The revoke form: a reason is required and the admin confirms in so many words."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.certification.certificates import MAX_REASON


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Shown on the public verification page. Say plainly why."),
        validators=[
            DataRequired(_l("Give the reason for revoking this certificate.")),
            Length(max=MAX_REASON, message=_l("Use at most %(max)d characters.")),
        ],
    )
    confirm = BooleanField(
        _l("I understand that this cannot be undone and is visible to anyone at once."),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )
    submit = SubmitField(_l("Revoke the certificate"))
