"""Certificates by id, their verification, and the public keys that sign them."""

from __future__ import annotations

from typing import Any

from app.api.auth import requires
from app.api.blueprints import api_blueprint
from app.api.errors import ApiError
from app.api.schemas import CertificateSchema, JwksSchema, VerificationSchema
from app.certification import certificates, credentials
from app.recruitment import status as recruitment

blp = api_blueprint("Certificates", "Certificates, their verification and signing keys.")

SCOPE = "certifications:read"


@blp.route("/certificates/<string:certificate_id>")
@requires(blp, SCOPE)
@blp.etag
@blp.response(200, CertificateSchema)
@blp.alt_response(404, response="NOT_FOUND", description="No such certificate shared.")
def certificate(certificate_id: str) -> dict[str, Any]:
    """A certificate with its signed payload, of a candidate who shares their status."""
    cert = certificates.by_public_id(certificate_id)
    if cert is None or not recruitment.consenting(cert.user_id):
        raise ApiError(404, "certificate_not_found", "There is no such certificate to share.")
    result = certificates.verify(cert.public_id)
    return {
        "id": cert.public_id,
        "hashi_id": cert.user_id,
        "candidate_name": cert.candidate_name,
        "candidate_external_id": cert.candidate_external_id,
        "level": cert.level,
        "scaled": cert.scaled,
        "total": cert.total,
        "exam_date": cert.exam_date,
        "issued_at": cert.issued_at,
        "issuer": cert.issuer,
        "status": result.status,
        "revoked_at": cert.revoked_at,
        "revoked_reason": cert.revoked_reason,
        "kid": cert.kid,
        "payload": cert.payload,
        "signature": cert.signature,
    }


@blp.route("/certificates/<string:certificate_id>/verification")
@requires(blp, SCOPE)
@blp.etag
@blp.response(200, VerificationSchema)
def verification(certificate_id: str) -> dict[str, Any]:
    """Is this certificate valid, revoked (with reason and date) or unknown? The same
    answer as the public verification page, so it needs no consent; an unknown id is a
    200 with status `unknown`, not a 404, so a client can tell it from a wrong URL."""
    result = certificates.verify(certificate_id)
    cert = result.certificate
    return {
        "id": certificate_id,
        "status": result.status,
        "level": cert.level if cert else None,
        "revoked_at": cert.revoked_at if cert else None,
        "revoked_reason": cert.revoked_reason if cert else None,
    }


@blp.route("/keys")
@requires(blp, SCOPE)
@blp.etag
@blp.response(200, JwksSchema)
def signing_keys() -> dict[str, Any]:
    """The Ed25519 public keys certificates are signed with (JWKS, as
    `/.well-known/jwks.json` publishes them)."""
    return credentials.jwks()
