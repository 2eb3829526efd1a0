"""Exam windows: when, where and how a cohort sits the certification exam, who may start
in one (eligibility and the retake policy), the door checks of the exam room (access code
and network), and invalidating an attempt.

A window is the unit staff plan with: a cohort, a level, an opening and closing time,
the form size (the full JLPT blueprint, or the short certification form for trial runs)
and its rules. The rules are checked here, once, for the page that lists a candidate's
windows and for the request that starts an attempt, so the two never disagree.

Services flush; the view commits. Nothing here sees the Flask request: the caller passes
the client's address (after the app's ProxyFix) and the code typed.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.exam import attempts
from app.exam.attempts import ExamError
from app.exam.blueprint import LEVELS, SIZES
from app.extensions import db
from app.learning import clock
from app.lib.tokens import new_join_code, normalise_join_code
from app.models import CohortMembership, ExamAttempt, ExamWindow, User
from app.models.exams import FINISHED, INVALIDATED
from app.recruitment import status as recruitment

ACCESS_CODE_LENGTH = 6
MAX_NETWORKS = 50
MAX_REASON = 500
CERTIFICATION = "certification"
# Audit actions of this module (certification's log holds them beside its own).
ACCESS_REFUSED = "exam.access-refused"
ATTEMPT_INVALIDATED = "exam.attempt-invalidated"


class WindowError(ExamError):
    """A window's settings that cannot be saved; ``field`` names the form field."""

    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message), 422)
        self.message = message  # type: ignore[assignment]  # lazy: translated when shown
        self.field = field


class AccessRefusedError(ExamError):
    """The exam room's door said no (wrong access code or network). Nothing is created,
    but the refusal is audited, so the caller commits instead of rolling back."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message), 403)
        self.message = message  # type: ignore[assignment]  # lazy: translated when shown


# ---- settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowSettings:
    """What staff choose for a window (a form's cleaned data)."""

    level: str
    opens_at: datetime
    closes_at: datetime
    form_size: str = "full"
    require_code: bool = False
    networks: Sequence[str] = ()
    wait_days: int = 0
    max_attempts: int = 1
    requires_mock: bool = False


def new_access_code() -> str:
    """Six characters a proctor can read out: no 0/O or 1/I/L to mishear."""
    return new_join_code(ACCESS_CODE_LENGTH)


def parse_networks(lines: Iterable[str]) -> list[str]:
    """CIDRs (IPv4 or IPv6, one per entry; a bare address is one host) in their
    canonical form. Host bits are refused rather than silently dropped, because
    ``192.168.1.7/24`` more likely means a typo than the whole network."""
    found: list[str] = []
    for raw in lines:
        text = raw.strip()
        if not text:
            continue
        try:
            network = ipaddress.ip_network(text, strict=True)
        except ValueError:
            raise WindowError(
                _l("“%(text)s” is not a network address such as 203.0.113.0/24.", text=text[:60]),
                "networks",
            ) from None
        if str(network) not in found:
            found.append(str(network))
    if len(found) > MAX_NETWORKS:
        raise WindowError(_l("Name at most %(max)d networks.", max=MAX_NETWORKS), "networks")
    return found


def _checked(settings: WindowSettings) -> list[str]:
    if settings.level not in LEVELS:
        raise WindowError(_l("Choose N5 or N4."), "level")
    if settings.form_size not in SIZES:
        raise WindowError(_l("Choose the full or the short form."), "form_size")
    if settings.opens_at.tzinfo is None or settings.closes_at.tzinfo is None:
        raise WindowError(_l("Enter a date and time."), "opens_at")
    if settings.closes_at <= settings.opens_at:
        raise WindowError(_l("The window must close after it opens."), "closes_at")
    if not 0 <= settings.wait_days <= 365:
        raise WindowError(_l("Enter a number from 0 to 365."), "wait_days")
    if not 1 <= settings.max_attempts <= 10:
        raise WindowError(_l("Enter a number from 1 to 10."), "max_attempts")
    return parse_networks(settings.networks)


def create_window(actor: User, cohort_id: int, settings: WindowSettings) -> ExamWindow:
    """A new window for a cohort the actor may run (the view has checked that)."""
    networks = _checked(settings)
    window = ExamWindow(
        cohort_id=cohort_id, created_by_id=actor.id,
        access_code=new_access_code() if settings.require_code else None,
    )  # fmt: skip
    _apply(window, settings, networks)
    db.session.add(window)
    db.session.flush()
    recruitment.refresh_cohort(cohort_id, now=clock.now(), cause=recruitment.WINDOW_CHANGED)
    return window


def update_window(window: ExamWindow, settings: WindowSettings, *, new_code: bool = False) -> None:
    """Change a window's settings. The access code stays the same unless asked for a new
    one, so a proctor's printed sheet stays right when something else is edited."""
    networks = _checked(settings)
    _apply(window, settings, networks)
    if not settings.require_code:
        window.access_code = None
    elif new_code or window.access_code is None:
        window.access_code = new_access_code()
    db.session.flush()
    recruitment.refresh_cohort(window.cohort_id, now=clock.now(), cause=recruitment.WINDOW_CHANGED)


def _apply(window: ExamWindow, settings: WindowSettings, networks: list[str]) -> None:
    window.level = settings.level
    window.opens_at = settings.opens_at
    window.closes_at = settings.closes_at
    window.form_size = settings.form_size
    window.networks = networks
    window.wait_days = settings.wait_days
    window.max_attempts = settings.max_attempts
    window.requires_mock = settings.requires_mock


def close_window(window: ExamWindow, now: datetime) -> None:
    """Close now: nobody may start after this. Attempts already running keep their
    section clocks (cutting a candidate off mid-section would be unfair)."""
    if window.closes_at > now:
        window.closes_at = max(now, window.opens_at)
        db.session.flush()
        recruitment.refresh_cohort(window.cohort_id, now=now, cause=recruitment.WINDOW_CLOSED)


def windows_of_cohort(cohort_id: int) -> list[ExamWindow]:
    return list(
        db.session.scalars(
            select(ExamWindow)
            .where(ExamWindow.cohort_id == cohort_id)
            .order_by(ExamWindow.opens_at.desc(), ExamWindow.id.desc())
        )
    )


def window_of_cohort(cohort_id: int, window_id: int) -> ExamWindow | None:
    window = db.session.get(ExamWindow, window_id)
    return window if window is not None and window.cohort_id == cohort_id else None


# ---- eligibility ------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why a candidate cannot start now; ``when`` is the moment it changes, if any."""

    code: str
    message: Any  # a lazy, translatable string
    when: datetime | None = None


@dataclass
class Eligibility:
    window: ExamWindow
    reasons: list[Reason] = field(default_factory=list)
    resume: ExamAttempt | None = None  # the candidate's active attempt in this window
    attempts_used: int = 0

    @property
    def can_start(self) -> bool:
        return not self.reasons and self.resume is None


def candidate_windows(user_id: int) -> list[ExamWindow]:
    """The windows of every cohort the candidate belongs to, newest first."""
    return list(
        db.session.scalars(
            select(ExamWindow)
            .join(CohortMembership, CohortMembership.cohort_id == ExamWindow.cohort_id)
            .where(CohortMembership.user_id == user_id)
            .order_by(ExamWindow.opens_at.desc(), ExamWindow.id.desc())
        )
    )


def _certification_attempts(user_id: int) -> list[ExamAttempt]:
    return list(
        db.session.scalars(
            select(ExamAttempt)
            .where(ExamAttempt.user_id == user_id, ExamAttempt.kind == CERTIFICATION)
            .order_by(ExamAttempt.started_at)
        )
    )


def _passed_mock(user_id: int, level: str) -> bool:
    return (
        db.session.scalar(
            select(ExamAttempt.id)
            .where(
                ExamAttempt.user_id == user_id,
                ExamAttempt.kind == "mock",
                ExamAttempt.level == level,
                ExamAttempt.status == FINISHED,
                ExamAttempt.passed.is_(True),
            )
            .limit(1)
        )
        is not None
    )


def eligibility(user: User, now: datetime) -> list[Eligibility]:
    """For each of the candidate's windows: can they start now, or every reason why not.

    Attempts used count every attempt in the window, invalidated ones too (an
    invalidated sitting was still a sitting; staff can open another window). The waiting
    period runs from the latest failed certification attempt at the level, in any window.
    """
    history = _certification_attempts(user.id)
    active = attempts.active_attempt(user.id)
    results = []
    for window in candidate_windows(user.id):
        found = Eligibility(window)
        results.append(found)
        if active is not None and active.window_id == window.id:
            found.resume = active
            continue
        reasons = found.reasons
        if now < window.opens_at:
            reasons.append(Reason("not_open", _l("Opens on"), window.opens_at))
        elif now >= window.closes_at:
            reasons.append(Reason("closed", _l("This window has closed.")))
        at_level = [a for a in history if a.level == window.level]
        if any(a.status == FINISHED and a.passed for a in at_level):
            reasons.append(Reason("certified", _l("You have already passed this level.")))
        if active is not None:
            busy = _l("You have another exam in progress: finish it first.")
            reasons.append(Reason("active_elsewhere", busy))
        if window.requires_mock and not _passed_mock(user.id, window.level):
            reasons.append(
                Reason(
                    "mock_required",
                    _l("Pass a JLPT %(level)s mock exam first.", level=window.level),
                )
            )
        found.attempts_used = sum(1 for a in history if a.window_id == window.id)
        if found.attempts_used >= window.max_attempts:
            used = _l("You have used every attempt in this window.")
            reasons.append(Reason("attempts_used", used))
        failed = [a for a in at_level if a.status == FINISHED and not a.passed and a.finished_at]
        if failed and window.wait_days:
            until = max(a.finished_at for a in failed if a.finished_at) + timedelta(
                days=window.wait_days
            )
            if now < until:
                wait = _l("After a failed attempt, you can retake from")
                reasons.append(Reason("waiting", wait, until))
    return results


# ---- starting: the door of the exam room -------------------------------------------------


def address_allowed(window: ExamWindow, address: str | None) -> bool:
    """Whether the client's address is inside one of the window's networks (any address
    when it names none). An IPv4 address seen as IPv6 (``::ffff:203.0.113.5``) counts as
    the IPv4 one."""
    if not window.networks:
        return True
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in ipaddress.ip_network(net) for net in window.networks)


def check_room(user: User, attempt_id: int, address: str | None, now: datetime) -> None:
    """Every request of a certification attempt, not only its start, must come from the
    window's networks: an exam begun in the exam room is not finished at home. Audited
    and refused (403); attempts without such a window pass with one small query."""
    window = db.session.scalar(
        select(ExamWindow)
        .join(ExamAttempt, ExamAttempt.window_id == ExamWindow.id)
        .where(ExamAttempt.id == attempt_id, ExamAttempt.user_id == user.id)
    )
    if window is None or address_allowed(window, address):
        return
    _audit(
        ACCESS_REFUSED, f"attempt:{attempt_id}", now=now, actor_id=user.id,
        reason="network", details={"address": address}, ip=address,
    )  # fmt: skip
    raise AccessRefusedError(
        _l("This exam can only be taken on the exam room's network. Ask the proctor.")
    )


def code_matches(window: ExamWindow, given: str) -> bool:
    """Compared in constant time, after dropping spaces and dashes and upper-casing."""
    if window.access_code is None:
        return True
    typed = normalise_join_code(given or "")[:32]
    return hmac.compare_digest(typed.encode(), window.access_code.encode())


def _audit(action: str, subject: str, *, now: datetime, **kwargs: Any) -> None:
    from app.certification import audit  # certification's append-only log

    audit.record(action, subject, now=now, **kwargs)


def start(
    user: User, window_id: int, *, code: str, address: str | None, now: datetime
) -> tuple[ExamAttempt, bool]:
    """Start (or resume) the candidate's certification attempt in a window of one of
    their cohorts. A window that is not theirs is as good as missing (404); a rule that
    says no is a 409 with its reason; a wrong code or network a 403, audited."""
    found = next((e for e in eligibility(user, now) if e.window.id == window_id), None)
    if found is None:
        raise ExamError(str(_l("There is no such exam window.")), 404)
    if found.resume is not None:
        return found.resume, True
    if found.reasons:
        first = found.reasons[0]
        raise ExamError(str(first.message), 409)
    window = found.window
    subject = f"window:{window.id}"
    if not address_allowed(window, address):
        _audit(
            ACCESS_REFUSED, subject, now=now, actor_id=user.id,
            reason="network", details={"address": address}, ip=address,
        )  # fmt: skip
        raise AccessRefusedError(
            _l("This exam can only be started from the exam room's network. Ask the proctor.")
        )
    if not code_matches(window, code):
        _audit(
            ACCESS_REFUSED, subject, now=now, actor_id=user.id, reason="access code", ip=address,
        )  # fmt: skip
        raise AccessRefusedError(
            _l("That access code is not right. Ask the proctor to read it again.")
        )
    return attempts.start(
        user, window.level, CERTIFICATION, now=now, size=window.form_size, window_id=window.id
    )


# ---- staff: a window's attempts and invalidation -----------------------------------------


@dataclass
class CandidateRow:
    user: User
    attempts: list[ExamAttempt]


def window_candidates(window: ExamWindow) -> list[CandidateRow]:
    """Every trainee of the cohort with their attempts in this window (oldest first)."""
    members = db.session.scalars(
        select(User)
        .join(CohortMembership, CohortMembership.user_id == User.id)
        .where(CohortMembership.cohort_id == window.cohort_id)
        .order_by(User.name, User.id)
    ).all()
    rows = db.session.scalars(
        select(ExamAttempt)
        .where(ExamAttempt.window_id == window.id)
        .order_by(ExamAttempt.started_at, ExamAttempt.id)
    ).all()
    by_user: dict[int, list[ExamAttempt]] = {}
    for attempt in rows:
        by_user.setdefault(attempt.user_id, []).append(attempt)
    listed = [CandidateRow(user, by_user.pop(user.id, [])) for user in members]
    for attempts_left in by_user.values():  # sat here, then moved to another cohort
        listed.append(CandidateRow(attempts_left[0].user, attempts_left))
    return listed


def invalidate(
    actor: User, window: ExamWindow, attempt_id: int, reason: str, *, now: datetime,
    ip: str | None = None,
) -> ExamAttempt:  # fmt: skip
    """Invalidate an attempt of this window with a reason: it no longer counts, its
    certificate (if a pass issued one) is revoked, and the audit log says who and why."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise WindowError(_l("Say why this attempt is invalidated."), "reason")
    if len(reason) > MAX_REASON:
        raise WindowError(_l("Use at most %(max)d characters.", max=MAX_REASON), "reason")
    attempt = db.session.get(ExamAttempt, attempt_id, with_for_update=True)
    if attempt is None or attempt.window_id != window.id:
        raise ExamError("There is no such attempt in this window.", 404)
    if attempt.status == INVALIDATED:
        raise ExamError("This attempt is already invalidated.", 409)
    was = attempt.status
    attempt.status = INVALIDATED
    attempt.invalidated_reason = reason
    attempt.section_started_at = attempt.section_deadline = None
    if attempt.finished_at is None:
        attempt.finished_at = now
    db.session.flush()
    _audit(
        ATTEMPT_INVALIDATED, f"attempt:{attempt.id}", now=now, actor_id=actor.id,
        reason=reason, details={"window_id": window.id, "status_was": was}, ip=ip,
    )  # fmt: skip
    _revoke_certificate(actor, attempt, reason, now, ip)
    recruitment.refresh(attempt.user_id, now=now, cause=recruitment.ATTEMPT_INVALIDATED)
    return attempt


def _revoke_certificate(
    actor: User, attempt: ExamAttempt, reason: str, now: datetime, ip: str | None
) -> None:
    """The certificate a pass issued no longer stands once its attempt is invalidated."""
    from app.certification import certificates

    cert = certificates.for_attempt(attempt.id)
    if cert is not None and not cert.is_revoked:
        certificates.revoke(cert.public_id, reason=reason, by_user_id=actor.id, now=now, ip=ip)
