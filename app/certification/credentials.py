"""The Open Badges 3.0 credential of a certificate, the revocation status list, and the
published keys, all as JOSE: anyone holding the JWKS can verify them offline.

The credential is an ``OpenBadgeCredential`` in the W3C Verifiable Credentials Data
Model 2.0, secured as a JWT (VC-JOSE-COSE): the JWT claims are the credential itself plus
the registered claims ``iss``, ``jti``, ``sub``, ``iat`` and ``nbf``; the header carries
``alg: EdDSA``, the key's ``kid`` and ``typ: vc+jwt``. Its ``credentialStatus`` is a
``BitstringStatusListEntry`` pointing at the status list credential, whose
``encodedList`` is the GZIP-compressed bitstring (at least 131,072 bits, bit 0 the most
significant bit of the first byte) in multibase base64url (``u`` and no padding), with
a certificate's bit set once it is revoked. The list is built at request time from the
certificates table, so a revocation shows the moment it is committed.

``base_url`` is the app's public root (e.g. ``https://hashi.example``), passed in by the
route: services never see the request.
"""

from __future__ import annotations

import gzip
from datetime import datetime
from typing import Any

import jwt
from sqlalchemy import select

from app.certification import certificates, keys
from app.extensions import db
from app.models import Certificate

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
STATUS_LIST_ID = 1
JWT_TYPE = "vc+jwt"


def verify_url(base_url: str, public_id: str) -> str:
    return f"{base_url}/verify/{public_id}"


def status_list_url(base_url: str) -> str:
    return f"{base_url}/credentials/status/{STATUS_LIST_ID}"


def issuer_profile(base_url: str) -> dict[str, Any]:
    return {
        "id": f"{base_url}/",
        "type": ["Profile"],
        "name": certificates.issuer_name(),
        "url": f"{base_url}/",
    }


def open_badge(cert: Certificate, *, base_url: str) -> dict[str, Any]:
    """The certificate as an OpenBadgeCredential (unsigned)."""
    level = cert.level
    achievement_id = f"{base_url}/achievements/jlpt-{level.lower()}"
    identifiers = [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": cert.candidate_name,
        }
    ]
    if cert.candidate_external_id:
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "ext:recruitmentId",
                "hashed": False,
                "identityHash": cert.candidate_external_id,
            }
        )
    results = [
        ("total", "Total score", str(cert.total)),
        *((f"group-{g}", f"Scaled score: {g}", str(v)) for g, v in sorted(cert.scaled.items())),
    ]
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": verify_url(base_url, cert.public_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Japanese at JLPT {level} level",
        "issuer": issuer_profile(base_url),
        "validFrom": certificates.timestamp(cert.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": f"Japanese at JLPT {level} level",
                "description": (
                    f"Passed Hashi's JLPT-style {level} certification exam: language "
                    "knowledge, grammar and reading, and listening, scored on the JLPT scales "
                    "with the JLPT pass rule."
                ),
                "criteria": {
                    "narrative": (
                        f"A scaled total at or above the JLPT {level} pass mark, with each "
                        "section group at or above its minimum."
                    )
                },
                "inLanguage": "ja",
                "resultDescription": [
                    {
                        "id": f"{achievement_id}#{key}",
                        "type": ["ResultDescription"],
                        "name": name,
                        "resultType": "ScaledScore",
                    }
                    for key, name, _value in results
                ],
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": f"{achievement_id}#{key}",
                    "value": value,
                }
                for key, _name, value in results
            ],
        },
        "credentialStatus": {
            "id": f"{status_list_url(base_url)}#{cert.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(cert.status_index),
            "statusListCredential": status_list_url(base_url),
        },
    }


def _sign(claims: dict[str, Any], *, subject: str, now: datetime) -> str:
    signer = keys.current_signer(now=now)
    issuer = claims["issuer"]["id"] if isinstance(claims["issuer"], dict) else claims["issuer"]
    registered = {
        "iss": issuer,
        "jti": claims["id"],
        "sub": subject,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
    }
    return jwt.encode(
        {**claims, **registered},
        signer.private_key,
        algorithm="EdDSA",
        headers={"kid": signer.kid, "typ": JWT_TYPE},
    )


def credential_jwt(cert: Certificate, *, base_url: str, now: datetime) -> str:
    """The signed OpenBadgeCredential. It is signed when asked for, with the current key;
    its facts come from a certificate that must still be intact."""
    if not certificates.is_intact(cert):
        raise certificates.CertificateError("This certificate failed its own check.", 409)
    badge = open_badge(cert, base_url=base_url)
    return _sign(badge, subject=badge["id"], now=now)


def revoked_indexes() -> list[int]:
    return list(
        db.session.scalars(
            select(Certificate.status_index).where(Certificate.revoked_at.is_not(None))
        )
    )


def encode_bitstring(set_bits: list[int], *, size: int = certificates.STATUS_LIST_BITS) -> str:
    """GZIP, then multibase base64url: the Bitstring Status List's ``encodedList``."""
    bits = bytearray(size // 8)
    for index in set_bits:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + keys.b64url(gzip.compress(bytes(bits), mtime=0))


def decode_bitstring(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url")
    return gzip.decompress(keys.b64url_decode(encoded[1:]))


def bit_is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def status_list_jwt(*, base_url: str, now: datetime) -> str:
    url = status_list_url(base_url)
    credential = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_profile(base_url),
        "validFrom": certificates.timestamp(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(revoked_indexes()),
        },
    }
    return _sign(credential, subject=f"{url}#list", now=now)


def jwks() -> dict[str, list[dict[str, str]]]:
    return {"keys": [keys.jwk(row) for row in keys.published_keys()]}
