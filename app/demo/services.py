"""Create (or refresh) the demo centre, cohort and accounts the README lists, and the demo
trainee's N5 certificate and consent to share results with the recruitment system."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.passwords import passwords
from app.accounts.services import add_to_cohort, create_user
from app.authoring import versions
from app.certification import certificates
from app.exam import attempts
from app.exam.attempts import ExamError
from app.extensions import db
from app.models import Centre, Certificate, Cohort, Consent, ExamAnswer, Item, Role, User
from app.models._columns import utcnow
from app.questions import registry
from app.recruitment import consent, status

DEMO_PASSWORD = "hashi-demo"
DEMO_JOIN_CODE = "DEMO2026"
DEMO_CENTRE = "Hashi Demo Centre, Lahore"
DEMO_COHORT = "Demo cohort (N4)"
DEMO_EXTERNAL_ID = "RS-DEMO-0001"
DEMO_EXAM_SEED = 2026


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
    _demo_certificate(trainee)
    _demo_consent(trainee)
    return list(DEMO_ACCOUNTS)


def _demo_certificate(trainee: User) -> Certificate | None:
    """The demo trainee passed N5 (the milestone) two weeks ago and holds the certificate.

    The attempt is a real one: its form drawn from the bank's N5 exam items by the
    certification blueprint (the full form, or the short one while the bank cannot fill
    the full one), answers stored, sections submitted on the exam's clock, so scoring and
    issuance are the exam engine's own. Every fifth answer is wrong, for a plausible pass.
    Skipped (None) while the bank cannot fill a form, e.g. before `flask content load`,
    or while the trainee sits an exam.
    """
    if trainee.external_id is None:
        trainee.external_id = DEMO_EXTERNAL_ID
    held = db.session.scalar(
        select(Certificate).where(Certificate.user_id == trainee.id, Certificate.level == "N5")
    )
    if held is not None:
        return held
    sat_at = utcnow() - timedelta(days=14)
    for size in ("full", "short"):  # the full JLPT form once the bank is large enough
        try:
            attempt, resumed = attempts.start(
                trainee, "N5", "certification", now=sat_at, seed=DEMO_EXAM_SEED, size=size
            )
        except ExamError:
            continue
        break
    else:
        return None
    if resumed:
        return None
    asked = [i for section in attempt.form for part in section["parts"] for i in part["items"]]
    items = {item.id: item for item in db.session.scalars(select(Item).where(Item.id.in_(asked)))}
    moment = sat_at
    for index, section in enumerate(attempt.form):
        section_ids = [i for part in section["parts"] for i in part["items"]]
        for number, item_id in enumerate(section_ids):
            item = items[item_id]
            moment += timedelta(seconds=20)
            db.session.add(
                ExamAnswer(
                    attempt_id=attempt.id,
                    item_id=item_id,
                    section=section["id"],
                    answer=registry.get(item.type).expected(
                        versions.item_model(item, attempt.item_versions.get(item_id))
                    ),
                    correct=number % 5 != 4,
                    saved_at=moment,
                )
            )
        db.session.flush()
        attempts.submit_section(trainee, attempt.id, index, moment)
        moment += timedelta(minutes=1)
    return certificates.for_attempt(attempt.id)


def _demo_consent(trainee: User) -> Consent:
    """Given as a trainee gives it (the words of the page, the audit entry, the statuses in
    the recruitment feed); giving it again changes nothing. The refresh brings a demo
    database made before statuses were kept up to date."""
    now = utcnow()
    given = consent.give(trainee, text=str(consent.TEXT), now=now)
    status.refresh(trainee.id, now=now, cause=status.SCHEDULE)
    return given


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
