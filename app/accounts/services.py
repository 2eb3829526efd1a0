"""Account operations. They flush but never commit: the request (or CLI command) does.

Errors are raised as ``AccountError`` with a message fit to show the user and the name
of the form field it belongs to, so every caller reports them the same way.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.accounts.passwords import MAX_LENGTH, MIN_LENGTH, passwords
from app.accounts.policy import can_manage_user
from app.extensions import db
from app.i18n import LANGUAGES
from app.learning import clock
from app.lib.cnic import InvalidCNICError, normalise_cnic
from app.lib.tokens import hash_token, new_url_token, normalise_join_code
from app.models import Centre, Cohort, CohortMembership, PasswordReset, Role, User
from app.models._columns import utcnow
from app.models.users import new_session_token
from app.recruitment import status as recruitment

log = logging.getLogger(__name__)


class AccountError(ValueError):
    """A request about an account that cannot be carried out, said in plain words."""

    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


# ---- validation shared by forms, the CLI and the demo loader ---------------------------


def normalise_email(email: str) -> str:
    try:
        result = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise AccountError(_l("Enter a valid email address."), "email") from None
    return result.normalized.lower()


def check_password_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise AccountError(
            _l("Use at least %(n)d characters for the password.", n=MIN_LENGTH), "password"
        )
    if len(password) > MAX_LENGTH:
        raise AccountError(
            _l("Use at most %(n)d characters for the password.", n=MAX_LENGTH), "password"
        )


def clean_cnic(cnic: str | None) -> str | None:
    if not cnic or not cnic.strip():
        return None
    try:
        return normalise_cnic(cnic)
    except InvalidCNICError:
        raise AccountError(
            _l("A CNIC has 13 digits, written like 35202-1234567-1."), "cnic"
        ) from None


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _check_unique(user_id: int | None, email: str, cnic: str | None, external_id: str | None):
    def taken(column: object, value: str) -> bool:
        query = select(User.id).where(column == value)
        if user_id is not None:
            query = query.where(User.id != user_id)
        return db.session.scalar(query) is not None

    if taken(User.email, email):
        raise AccountError(
            _l("An account with this email already exists. Sign in instead."), "email"
        )
    if cnic and taken(User.cnic, cnic):
        raise AccountError(_l("This CNIC is already registered to another account."), "cnic")
    if external_id and taken(User.external_id, external_id):
        raise AccountError(
            _l("This external id is already used by another account."), "external_id"
        )


# ---- creating accounts ------------------------------------------------------------------


def create_user(
    *,
    name: str,
    email: str,
    password: str | None,
    role: Role,
    centre: Centre | None,
    cnic: str | None = None,
    external_id: str | None = None,
    locale: str = "en",
) -> User:
    """Create an account; ``password=None`` leaves it to be set through a reset link."""
    name = " ".join(name.split())
    if not name:
        raise AccountError(_l("Enter a name."), "name")
    if len(name) > 120:
        raise AccountError(_l("Use at most %(n)d characters.", n=120), "name")
    email = normalise_email(email)
    cnic = clean_cnic(cnic)
    external_id = (external_id or "").strip() or None
    if external_id and len(external_id) > 64:
        raise AccountError(_l("Use at most %(n)d characters.", n=64), "external_id")
    if password is not None:
        check_password_strength(password)
    if role is not Role.PROGRAMME_ADMIN and centre is None:
        raise AccountError(_l("Choose the training centre this person belongs to."), "centre")
    if locale not in LANGUAGES:
        locale = "en"
    _check_unique(None, email, cnic, external_id)
    user = User(
        name=name,
        email=email,
        password_hash=passwords().hash(password) if password is not None else None,
        role=role,
        centre=centre,
        cnic=cnic,
        external_id=external_id,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    log.info("user created", extra={"user_id": user.id, "role": role.value})
    return user


# ---- signing in -------------------------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """The account for these credentials, or None; the same cost whether or not it exists."""
    user = find_user_by_email(email) if email else None
    ok = passwords().verify(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        return None
    if user.password_hash and passwords().needs_rehash(user.password_hash):
        user.password_hash = passwords().hash(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


FURIGANA_MODES = ("always", "above-level", "never")


def set_furigana(user: User, mode: str) -> None:
    if mode not in FURIGANA_MODES:
        raise AccountError(_l("Choose one of the furigana settings."), "furigana")
    user.furigana = mode
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    if locale in LANGUAGES:
        user.locale = locale
        db.session.flush()


# ---- cohorts: joining with a code ------------------------------------------------------


def find_joinable_cohort(code: str) -> Cohort:
    """The cohort a join code opens, or an error saying why it does not."""
    normalised = normalise_join_code(code)
    cohort = (
        db.session.scalar(select(Cohort).where(Cohort.join_code == normalised))
        if normalised
        else None
    )
    if cohort is None:
        raise AccountError(
            _l("This join code does not exist. Check it with your instructor."), "join_code"
        )
    if cohort.join_code_expires_at <= utcnow():
        raise AccountError(
            _l("This join code has expired. Ask your instructor for a new one."), "join_code"
        )
    return cohort


def register_trainee(
    *, join_code: str, name: str, email: str, password: str, cnic: str | None, locale: str
) -> User:
    """A new trainee signs up with the code their instructor gave them."""
    cohort = find_joinable_cohort(join_code)
    user = create_user(
        name=name,
        email=email,
        password=password,
        role=Role.TRAINEE,
        centre=cohort.centre,
        cnic=cnic,
        locale=locale,
    )
    add_to_cohort(user, cohort)
    return user


def add_to_cohort(user: User, cohort: Cohort) -> CohortMembership:
    """Enrol a trainee; a trainee from another centre cannot join with a stray code."""
    if user.role is not Role.TRAINEE:
        raise AccountError(_l("Only trainees join cohorts with a code."), "join_code")
    if user.centre_id is not None and user.centre_id != cohort.centre_id:
        raise AccountError(_l("This code is for a cohort at another training centre."), "join_code")
    existing = db.session.scalar(
        select(CohortMembership).where(
            CohortMembership.user_id == user.id, CohortMembership.cohort_id == cohort.id
        )
    )
    if existing is not None:
        raise AccountError(_l("You are already in this cohort."), "join_code")
    membership = CohortMembership(user=user, cohort=cohort)
    db.session.add(membership)
    db.session.flush()
    recruitment.refresh(user.id, now=clock.now(), cause=recruitment.JOINED_COHORT)
    return membership


# ---- password reset links -------------------------------------------------------------


def issue_password_reset(actor: User, target: User, hours: int) -> str:
    """Make a one-time link token for ``target``; only its hash is stored."""
    if not can_manage_user(actor, target):
        raise AccountError(_l("You cannot reset the password of this account."))
    token = new_url_token()
    db.session.add(
        PasswordReset(
            user=target,
            token_hash=hash_token(token),
            created_by=actor,
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    db.session.flush()
    log.info("password reset issued", extra={"user_id": target.id, "by": actor.id})
    return token


def find_password_reset(token: str, now: datetime | None = None) -> PasswordReset:
    reset = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == hash_token(token))
    )
    now = now or utcnow()
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        raise AccountError(
            _l("This link is not valid any more. Ask your instructor or admin for a new one.")
        )
    return reset


def change_password(user: User, current_password: str, new_password: str) -> None:
    """A signed-in user changes their own password; other devices are signed out."""
    if not passwords().verify(user.password_hash, current_password):
        raise AccountError(_l("The current password is not correct."), "current_password")
    check_password_strength(new_password)
    _set_password(user, new_password)


def _set_password(user: User, new_password: str) -> None:
    user.password_hash = passwords().hash(new_password)
    user.session_token = new_session_token()
    db.session.flush()


def complete_password_reset(token: str, new_password: str) -> User:
    """Set the new password, spend the link, and sign the account out everywhere."""
    reset = find_password_reset(token)
    check_password_strength(new_password)
    reset.used_at = utcnow()
    _set_password(reset.user, new_password)
    return reset.user
