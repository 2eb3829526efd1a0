"""Shared set-up for the API tests: real keys made by the real service, consenting
candidates with real consent rows and status changes."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from app.api import keys
from app.extensions import db
from app.models import CandidateStatus, Consent, StatusChange, User
from app.models._columns import utcnow
from app.models.certificates import SHARE_WITH_RECRUITER

ALL_SCOPES = keys.SCOPES


def issue_key(app: Flask, *scopes: str, name: str = "Recruitment system") -> str:
    with app.app_context():
        issued = keys.create(name, list(scopes or ALL_SCOPES), now=utcnow(), actor_id=None)
        db.session.commit()
        return issued.text


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def share(app: Flask, user: User, *, statuses: dict[str, str] | None = None) -> None:
    """The candidate agrees to share; their statuses are stored and logged as changes."""
    with app.app_context():
        moment = utcnow() - timedelta(minutes=5)
        db.session.add(
            Consent(
                user_id=user.id, purpose=SHARE_WITH_RECRUITER, text="I agree.", agreed_at=moment
            )
        )
        for level, status in (statuses or {"N5": "in-training"}).items():
            db.session.add(
                CandidateStatus(user_id=user.id, level=level, status=status, updated_at=moment)
            )
            db.session.add(
                StatusChange(
                    user_id=user.id,
                    level=level,
                    old_status=None,
                    new_status=status,
                    cause="consent-given",
                    at=moment,
                )
            )
        db.session.commit()
