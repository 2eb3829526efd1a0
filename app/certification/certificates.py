"""Issuing, revoking and verifying certificates.

A certificate's payload is canonical JSON (keys sorted at every level, no whitespace,
UTF-8, non-ASCII characters as themselves), so that anyone can rebuild the exact bytes
that were signed from the facts alone. The signature is Ed25519 over those bytes,
base64url without padding, made with the issuing host's current key (``kid``).

Verification checks both that the stored payload is the one the row's columns give and
that the signature verifies with the published key: changing any column, the payload
text or the signature makes a certificate fail. Revocation is a column on the row that
every reader (the page, the status list, the API) reads at request time, so it takes
effect everywhere with the commit.

Services flush; the route (or the exam service that finishes an attempt) commits.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app.certification import audit, keys
from app.extensions import db
from app.learning.clock import local_day
from app.lib.service_error import ServiceError
from app.models import Certificate, ExamAttempt, User
from app.models.exams import FINISHED
from app.recruitment import status as recruitment

PAYLOAD_VERSION = 1
DEFAULT_ISSUER = "Hashi Japanese Certification"
STATUS_LIST_BITS = 131_072  # 16 KB: the Bitstring Status List's minimum, for herd privacy
MAX_REASON = 500
PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{16,32}$")

VALID = "valid"
REVOKED = "revoked"
UNKNOWN = "unknown"
INVALID = "invalid"  # a row whose facts no longer match its signature


class CertificateError(ServiceError):
    """A certificate request that cannot be carried out (404 unknown, 409 not possible
    now, 422 bad input)."""


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def payload_of(cert: Certificate) -> dict[str, Any]:
    """The signed facts of a certificate, as docs/certificates.md lists them."""
    return {
        "version": PAYLOAD_VERSION,
        "id": cert.public_id,
        "level": cert.level,
        "candidate": {"name": cert.candidate_name, "external_id": cert.candidate_external_id},
        "scores": {"scaled": cert.scaled, "total": cert.total, "raw": cert.raw},
        "exam_date": cert.exam_date.isoformat(),
        "issued_at": timestamp(cert.issued_at),
        "issuer": cert.issuer,
        "kid": cert.kid,
        "status_index": cert.status_index,
    }


def issuer_name() -> str:
    return str(current_app.config.get("CERTIFICATE_ISSUER") or DEFAULT_ISSUER)


# ---- issuing ----------------------------------------------------------------------------


def for_attempt(attempt_id: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.attempt_id == attempt_id))


def issue(attempt: ExamAttempt, *, now: datetime) -> Certificate:
    """The certificate for a finished, passed certification attempt: made and signed the
    first time, the same one on every later call."""
    if attempt.kind != "certification" or attempt.status != FINISHED:
        raise CertificateError("Only a finished certification exam earns a certificate.", 409)
    if not attempt.passed or not attempt.scores:
        raise CertificateError("This attempt did not pass, so it earns no certificate.", 409)
    if existing := for_attempt(attempt.id):
        return existing
    user = db.session.get(User, attempt.user_id)
    assert user is not None
    signer = keys.current_signer(now=now)
    scores = attempt.scores
    for _try in range(8):  # a new random status index if one is taken meanwhile
        cert = Certificate(
            public_id=secrets.token_urlsafe(16),
            user_id=user.id,
            attempt_id=attempt.id,
            level=attempt.level,
            candidate_name=user.name,
            candidate_external_id=user.external_id,
            scaled={group: int(v["scaled"]) for group, v in scores["groups"].items()},
            total=int(scores["total"]),
            raw={section: dict(counts) for section, counts in scores["sections"].items()},
            exam_date=local_day(attempt.finished_at or now),
            issuer=issuer_name(),
            kid=signer.kid,
            status_index=_free_status_index(),
            issued_at=now.astimezone(UTC).replace(microsecond=0),
        )
        cert.payload = canonical_json(payload_of(cert))
        cert.signature = keys.b64url(signer.sign(cert.payload.encode("utf-8")))
        try:
            with db.session.begin_nested():
                db.session.add(cert)
        except IntegrityError:
            if existing := for_attempt(attempt.id):  # issued meanwhile by another worker
                return existing
            continue
        audit.record(
            audit.CERTIFICATE_ISSUED,
            f"certificate:{cert.public_id}",
            now=now,
            details={
                "attempt_id": attempt.id,
                "user_id": user.id,
                "level": cert.level,
                "total": cert.total,
                "kid": cert.kid,
            },
        )
        return cert
    raise CertificateError("Could not allocate a status list entry; try again.", 409)


def _free_status_index() -> int:
    """A random unused bit of the status list, so a bit says nothing about issue order."""
    for _try in range(64):
        index = secrets.randbelow(STATUS_LIST_BITS)
        taken = db.session.scalar(
            select(Certificate.id).where(Certificate.status_index == index).limit(1)
        )
        if taken is None:
            return index
    raise CertificateError("The status list is full.", 409)


# ---- revoking ---------------------------------------------------------------------------


def by_public_id(public_id: str) -> Certificate | None:
    """The certificate with that id, or None for anything that cannot be one."""
    if not isinstance(public_id, str) or not PUBLIC_ID.match(public_id):
        return None
    return db.session.scalar(select(Certificate).where(Certificate.public_id == public_id))


def revoke(
    public_id: str, *, reason: str, by_user_id: int, now: datetime, ip: str | None = None
) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError("Give the reason for revoking this certificate.", 422)
    if len(reason) > MAX_REASON:
        raise CertificateError(f"Keep the reason under {MAX_REASON} characters.", 422)
    cert = by_public_id(public_id)
    if cert is None:
        raise CertificateError("There is no certificate with that id.", 404)
    if cert.is_revoked:
        raise CertificateError("This certificate has already been revoked.", 409)
    cert.revoked_at = now
    cert.revoked_reason = reason
    cert.revoked_by_id = by_user_id
    audit.record(
        audit.CERTIFICATE_REVOKED,
        f"certificate:{cert.public_id}",
        now=now,
        actor_id=by_user_id,
        reason=reason,
        details={"user_id": cert.user_id, "level": cert.level},
        ip=ip,
    )
    recruitment.refresh(cert.user_id, now=now, cause=recruitment.CERTIFICATE_REVOKED)
    return cert


# ---- verifying --------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    status: str  # valid | revoked | unknown | invalid
    certificate: Certificate | None = None

    @property
    def is_valid(self) -> bool:
        return self.status == VALID


def verify_payload(payload_text: str, signature: str, kid: str) -> bool:
    """Is ``signature`` a signature of exactly ``payload_text`` by the published key
    ``kid``, and does the payload name that key? Any change to either fails."""
    if not all(isinstance(v, str) for v in (payload_text, signature, kid)):
        return False
    try:
        named = json.loads(payload_text).get("kid")
    except (ValueError, AttributeError):
        return False
    return named == kid and keys.verify_signature(payload_text.encode("utf-8"), signature, kid)


def is_intact(cert: Certificate) -> bool:
    """The row's facts are the signed payload, and the signature holds."""
    return cert.payload == canonical_json(payload_of(cert)) and verify_payload(
        cert.payload, cert.signature, cert.kid
    )


def verify(public_id: str) -> Verification:
    cert = by_public_id(public_id)
    if cert is None:
        return Verification(UNKNOWN)
    if not is_intact(cert):
        return Verification(INVALID, cert)
    return Verification(REVOKED if cert.is_revoked else VALID, cert)


# ---- finding ----------------------------------------------------------------------------


def search(query: str, *, centre_id: int | None, limit: int = 100) -> list[Certificate]:
    """Newest first; ``query`` matches the candidate's name, external id or the
    certificate id; ``centre_id`` limits to candidates of one centre (None: all)."""
    statement = select(Certificate).join(User, User.id == Certificate.user_id)
    if centre_id is not None:
        statement = statement.where(User.centre_id == centre_id)
    query = (query or "").strip()[:100]
    if query:
        like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            or_(
                Certificate.candidate_name.ilike(like, escape="\\"),
                Certificate.candidate_external_id.ilike(like, escape="\\"),
                Certificate.public_id == query,
            )
        )
    statement = statement.order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    return list(db.session.scalars(statement.limit(limit)))


def of_user(user_id: int) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id == user_id)
            .order_by(Certificate.issued_at.desc())
        )
    )
