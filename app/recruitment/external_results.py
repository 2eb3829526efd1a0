"""Results of outside exams (JLPT, JFT-Basic) that a trainee records with a scan of the
certificate, and an admin's check of them.

A result is ``self-reported`` until a centre or programme admin of the trainee's centre
marks it ``verified`` or ``rejected`` (with a reason); the API shows which. The scan's
type is sniffed from its bytes, never taken from its name or the browser's word, and it
is stored under the instance folder with a random name, served only to its owner and
to admins who may review it.

JFT-Basic reports a score from 10 to 250. Until July 2026 a score of 200 or more is
"A2"; from August 2026 the Japan Foundation also prints A1 (145-174) and A2.1 (175-199),
and calls 200-250 "A2.2 (A2)", stored here as A2. Below that no level is printed.

Services flush; the view commits.
"""

from __future__ import annotations

import io
import re
import secrets
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select

from app.certification import audit
from app.extensions import db
from app.lib.service_error import ServiceError
from app.models import ExternalResult, Role, User
from app.models.recruitment import REJECTED, SELF_REPORTED, VERIFIED
from app.recruitment import scan_files, status

EXAMS = ("JLPT", "JFT-Basic")
JLPT_LEVELS = ("N5", "N4", "N3", "N2", "N1")
MAX_SCAN_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a scan at 600 dpi of an A4 page is about 35 million
MAX_REASON = 500
FIRST_JLPT = date(1984, 12, 1)
FIRST_JFT = date(2019, 4, 1)
JFT_NEW_BANDS_FROM = date(2026, 8, 1)
CERTIFICATE_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 /-]{0,39}$")

RECORDED = "external-result.recorded"
DELETED = "external-result.deleted"
VERIFIED_ACTION = "external-result.verified"
REJECTED_ACTION = "external-result.rejected"

MEDIA_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


class ExternalResultError(ServiceError):
    """A result that cannot be recorded or reviewed; ``field`` names the form field."""

    def __init__(self, message: object, status: int = 422, field: str | None = None) -> None:
        super().__init__(str(message), status)
        self.message = message  # type: ignore[assignment]  # lazy: translated when shown
        self.field = field


@dataclass(frozen=True)
class ResultInput:
    """What the trainee typed (a form's cleaned data)."""

    exam: str
    level: str | None
    score: int | None
    taken_on: date
    certificate_number: str


def jft_band(score: int, taken_on: date) -> str | None:
    """The level the Japan Foundation prints for a JFT-Basic score on that date."""
    if score >= 200:
        return "A2"
    if taken_on < JFT_NEW_BANDS_FROM:
        return None
    if score >= 175:
        return "A2.1"
    if score >= 145:
        return "A1"
    return None


def _checked(given: ResultInput, today: date) -> tuple[str | None, int | None, str | None, str]:
    """(level, score, band, certificate number) or the first error found."""
    if given.exam not in EXAMS:
        raise ExternalResultError(_l("Choose JLPT or JFT-Basic."), field="exam")
    if given.taken_on > today:
        raise ExternalResultError(_l("The date cannot be in the future."), field="taken_on")
    number = " ".join((given.certificate_number or "").split())
    if not CERTIFICATE_NUMBER.match(number):
        message = _l("Enter the certificate number: letters, digits, spaces, - or /.")
        raise ExternalResultError(message, field="certificate_number")
    if given.exam == "JLPT":
        if given.taken_on < FIRST_JLPT:
            raise ExternalResultError(_l("Check the date of the test."), field="taken_on")
        if given.level not in JLPT_LEVELS:
            raise ExternalResultError(_l("Choose the level, N5 to N1."), field="level")
        if given.score is not None and not 0 <= given.score <= 180:
            raise ExternalResultError(_l("A JLPT total is from 0 to 180."), field="score")
        return given.level, given.score, None, number
    if given.taken_on < FIRST_JFT:
        raise ExternalResultError(_l("Check the date of the test."), field="taken_on")
    if given.score is None or not 10 <= given.score <= 250:
        raise ExternalResultError(_l("Enter the JFT-Basic score, 10 to 250."), field="score")
    return None, given.score, jft_band(given.score, given.taken_on), number


def sniff(data: bytes) -> str:
    """The media type the bytes really are (PDF, JPEG or PNG), or an error. A file only
    named .pdf, or a PDF header on something that does not end like a PDF, is refused;
    images must decode their header and structure in Pillow."""
    if data.startswith(b"%PDF-") and re.match(rb"%PDF-\d\.\d", data[:8]):
        if b"%%EOF" in data[-2048:]:
            return "application/pdf"
        raise ExternalResultError(_l("This PDF file is damaged or incomplete."), field="scan")
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as image:
                    kind, pixels = image.format, image.width * image.height
                    image.verify()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise ExternalResultError(_l("This image is too large."), field="scan") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ExternalResultError(_l("This image is damaged."), field="scan") from None
        if pixels > MAX_PIXELS:
            raise ExternalResultError(_l("This image is too large."), field="scan")
        if kind == "JPEG":
            return "image/jpeg"
        if kind == "PNG":
            return "image/png"
    raise ExternalResultError(_l("Upload a PDF, JPEG or PNG file."), field="scan")


def scan_folder() -> Path:
    configured = current_app.config.get("EXTERNAL_RESULTS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "external-results"


def scan_path(result: ExternalResult) -> Path:
    return scan_folder() / result.scan_name


def record(
    user: User, given: ResultInput, scan: bytes, *, now: datetime, ip: str | None = None
) -> ExternalResult:
    """Check and store a result and its scan. The scan takes its name only when the row
    is committed; a transaction that does not commit leaves no file (scan_files)."""
    if user.role is not Role.TRAINEE:
        raise ExternalResultError(_l("Only trainees record their results."), 403)
    level, score, band, number = _checked(given, now.date())
    if not scan:
        raise ExternalResultError(_l("Attach a scan of the certificate."), field="scan")
    if len(scan) > MAX_SCAN_BYTES:
        raise ExternalResultError(_l("The scan must be at most 5 MB."), field="scan")
    media_type = sniff(scan)
    name = f"{secrets.token_hex(16)}.{MEDIA_TYPES[media_type]}"
    result = ExternalResult(
        user_id=user.id, exam=given.exam, level=level, score=score, band=band,
        taken_on=given.taken_on, certificate_number=number, scan_name=name,
        scan_type=media_type, scan_size=len(scan), state=SELF_REPORTED, created_at=now,
    )  # fmt: skip
    db.session.add(result)
    db.session.flush()
    folder = scan_folder()
    folder.mkdir(parents=True, exist_ok=True)
    scan_files.write_after_commit(folder / name, scan)
    audit.record(RECORDED, f"external-result:{result.id}", now=now, actor_id=user.id, ip=ip,
                 details={"user_id": user.id, "exam": result.exam})  # fmt: skip
    return result


def of_user(user_id: int) -> list[ExternalResult]:
    return list(
        db.session.scalars(
            select(ExternalResult)
            .where(ExternalResult.user_id == user_id)
            .order_by(ExternalResult.created_at.desc(), ExternalResult.id.desc())
        )
    )


def own(user: User, result_id: int) -> ExternalResult:
    result = db.session.get(ExternalResult, result_id)
    if result is None or result.user_id != user.id:
        raise ExternalResultError("There is no such result.", 404)
    return result


def delete(user: User, result_id: int, *, now: datetime, ip: str | None = None) -> None:
    """The owner deletes a result not yet reviewed (a checked one is part of the record).
    The scan goes once the delete is committed."""
    result = own(user, result_id)
    if result.state != SELF_REPORTED:
        raise ExternalResultError(_l("A result that has been checked cannot be deleted."), 409)
    path = scan_path(result)
    db.session.delete(result)
    db.session.flush()
    audit.record(DELETED, f"external-result:{result_id}", now=now, actor_id=user.id, ip=ip)
    scan_files.delete_after_commit(path)


# ---- admins -------------------------------------------------------------------------------


def may_review(viewer: User, owner: User) -> bool:
    """Programme admins review everyone's; centre admins those of their centre."""
    if viewer.role is Role.PROGRAMME_ADMIN:
        return True
    return viewer.role is Role.CENTRE_ADMIN and viewer.centre_id == owner.centre_id


def may_see_scan(viewer: User, result: ExternalResult, owner: User) -> bool:
    return viewer.id == result.user_id or may_review(viewer, owner)


def queue(
    viewer: User, state: str | None = SELF_REPORTED, limit: int = 200
) -> list[tuple[ExternalResult, User]]:
    """Results to review (or in ``state``; None for all), oldest first, with their owners."""
    statement = select(ExternalResult, User).join(User, User.id == ExternalResult.user_id)
    if state is not None:
        statement = statement.where(ExternalResult.state == state)
    if viewer.role is not Role.PROGRAMME_ADMIN:
        statement = statement.where(User.centre_id == viewer.centre_id)
    rows = db.session.execute(
        statement.order_by(ExternalResult.created_at, ExternalResult.id).limit(limit)
    ).all()
    return [(result, owner) for result, owner in rows]


def for_review(viewer: User, result_id: int) -> tuple[ExternalResult, User]:
    result = db.session.get(ExternalResult, result_id)
    owner = db.session.get(User, result.user_id) if result is not None else None
    if result is None or owner is None or not may_review(viewer, owner):
        raise ExternalResultError("There is no such result.", 404)
    return result, owner


def verify(actor: User, result_id: int, *, now: datetime, ip: str | None = None) -> ExternalResult:
    result, _owner = for_review(actor, result_id)
    _review(actor, result, VERIFIED, None, now)
    audit.record(VERIFIED_ACTION, f"external-result:{result.id}", now=now, actor_id=actor.id,
                 ip=ip, details={"user_id": result.user_id})  # fmt: skip
    status.refresh(result.user_id, now=now, cause=status.EXTERNAL_RESULT_VERIFIED)
    return result


def reject(
    actor: User, result_id: int, reason: str, *, now: datetime, ip: str | None = None
) -> ExternalResult:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ExternalResultError(_l("Say why this result is rejected."), field="reason")
    if len(reason) > MAX_REASON:
        raise ExternalResultError(
            _l("Use at most %(max)d characters.", max=MAX_REASON), field="reason"
        )
    result, _owner = for_review(actor, result_id)
    _review(actor, result, REJECTED, reason, now)
    audit.record(REJECTED_ACTION, f"external-result:{result.id}", now=now, actor_id=actor.id,
                 ip=ip, reason=reason, details={"user_id": result.user_id})  # fmt: skip
    return result


def _review(
    actor: User, result: ExternalResult, state: str, reason: str | None, now: datetime
) -> None:
    if result.state != SELF_REPORTED:
        raise ExternalResultError(_l("This result has already been checked."), 409)
    result.state = state
    result.rejection_reason = reason
    result.reviewed_by_id = actor.id
    result.reviewed_at = now
    db.session.flush()
