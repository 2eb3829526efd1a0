"""Create (or refresh) the demo centre, cohort and accounts the README lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.passwords import passwords
from app.accounts.services import add_to_cohort, create_user
from app.extensions import db
from app.models import Centre, Cohort, Role, User
from app.models._columns import utcnow

DEMO_PASSWORD = "hashi-demo"
DEMO_JOIN_CODE = "DEMO2026"
DEMO_CENTRE = "Hashi Demo Centre, Lahore"
DEMO_COHORT = "Demo cohort (N4)"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role


DEMO_ACCOUNTS = (
    DemoAccount("trainee@example.org", "Ayesha Khan", Role.TRAINEE),
    DemoAccount("instructor@example.org", "Bilal Ahmed", Role.INSTRUCTOR),
    DemoAccount("admin@example.org", "Sana Malik", Role.PROGRAMME_ADMIN),
)


class DemoRefusedError(RuntimeError):
    """Demo accounts with a published password must never exist in production."""


def load_demo(env_name: str) -> list[DemoAccount]:
    """Idempotent: a second run resets the demo passwords and code, and adds nothing."""
    if env_name == "production":
        raise DemoRefusedError("refusing to create demo accounts when HASHI_ENV=production")
    centre = db.session.scalar(select(Centre).where(Centre.name == DEMO_CENTRE))
    if centre is None:
        centre = Centre(name=DEMO_CENTRE, city="Lahore")
        db.session.add(centre)
        db.session.flush()
    users = {account.role: _demo_user(account, centre) for account in DEMO_ACCOUNTS}
    cohort = db.session.scalar(select(Cohort).where(Cohort.join_code == DEMO_JOIN_CODE))
    if cohort is None:
        today = date.today()
        cohort = Cohort(
            centre=centre,
            name=DEMO_COHORT,
            target_level="N4",
            starts_on=today,
            ends_on=today + timedelta(days=180),
            join_code=DEMO_JOIN_CODE,
        )
        db.session.add(cohort)
    cohort.join_code_expires_at = utcnow() + timedelta(days=365)
    if users[Role.INSTRUCTOR] not in cohort.instructors:
        cohort.instructors.append(users[Role.INSTRUCTOR])
    db.session.flush()
    trainee = users[Role.TRAINEE]
    if all(m.cohort_id != cohort.id for m in trainee.memberships):
        add_to_cohort(trainee, cohort)
    return list(DEMO_ACCOUNTS)


def _demo_user(account: DemoAccount, centre: Centre) -> User:
    user = db.session.scalar(select(User).where(User.email == account.email))
    if user is None:
        return create_user(
            name=account.name,
            email=account.email,
            password=DEMO_PASSWORD,
            role=account.role,
            centre=None if account.role is Role.PROGRAMME_ADMIN else centre,
        )
    user.password_hash = passwords().hash(DEMO_PASSWORD)
    user.is_active = True
    return user
