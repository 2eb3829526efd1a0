"""A trainee's agreement to share their results with the recruitment system.

The exact words shown are stored with the time, in the language they were shown in, so
the agreement can be read back as it was given. Withdrawing sets ``withdrawn_at``; the
API, the feed and the webhooks check for an agreement not withdrawn on every request,
so the candidate disappears from them with the commit. Agreeing again is a new row:
the history of agreements stays readable.

Services flush; the view commits.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.certification import audit
from app.extensions import db
from app.models import Consent, User
from app.models.certificates import SHARE_WITH_RECRUITER
from app.recruitment import status

CONSENT_GIVEN = "consent.given"
CONSENT_WITHDRAWN = "consent.withdrawn"

TEXT = _l(
    "I agree that Hashi shares my results with the recruitment system of the programme "
    "that places trainees in jobs in Japan: my name, my cohort, my certification status "
    "and latest scores at each level, my certificate ids and the JLPT or JFT-Basic results "
    "I record here. I can withdraw this agreement at any time on my account page; from "
    "then on the recruitment system sees nothing about me."
)


def current(user_id: int) -> Consent | None:
    """The agreement in force, if any."""
    return db.session.scalar(
        select(Consent)
        .where(
            Consent.user_id == user_id,
            Consent.purpose == SHARE_WITH_RECRUITER,
            Consent.withdrawn_at.is_(None),
        )
        .order_by(Consent.agreed_at.desc(), Consent.id.desc())
        .limit(1)
    )


def history(user_id: int) -> list[Consent]:
    return list(
        db.session.scalars(
            select(Consent)
            .where(Consent.user_id == user_id, Consent.purpose == SHARE_WITH_RECRUITER)
            .order_by(Consent.agreed_at.desc(), Consent.id.desc())
        )
    )


def give(user: User, *, text: str, now: datetime, ip: str | None = None) -> Consent:
    """Record the agreement with the words shown. Agreeing while an agreement stands
    changes nothing (a double click or a replayed form is not a second agreement)."""
    existing = current(user.id)
    if existing is not None:
        return existing
    consent = Consent(user_id=user.id, purpose=SHARE_WITH_RECRUITER, text=text, agreed_at=now)
    db.session.add(consent)
    db.session.flush()
    audit.record(CONSENT_GIVEN, f"user:{user.id}", now=now, actor_id=user.id, ip=ip,
                 details={"consent_id": consent.id})  # fmt: skip
    status.refresh(user.id, now=now, cause=status.CONSENT_GIVEN)
    return consent


def withdraw(user: User, *, now: datetime, ip: str | None = None) -> bool:
    """Withdraw the agreement in force; False when there was none. Webhook deliveries
    about the trainee still queued are cancelled in the same transaction: an event
    recorded while they agreed is not sent once they have withdrawn."""
    from app.webhooks import outbox  # webhooks build on recruitment, not the other way

    existing = current(user.id)
    if existing is None:
        return False
    existing.withdrawn_at = now
    db.session.flush()
    cancelled = outbox.cancel_for_candidate(user.id)
    audit.record(CONSENT_WITHDRAWN, f"user:{user.id}", now=now, actor_id=user.id, ip=ip,
                 details={"consent_id": existing.id,
                          "cancelled_deliveries": cancelled})  # fmt: skip
    return True
