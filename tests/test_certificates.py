"""Certificates: issuing and signing, tampering, key rotation, revocation, the public
pages, the Open Badges credential and status list verified offline, the PDF, access."""

from __future__ import annotations

import json
import os
import re
import stat
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask import Flask
from sqlalchemy import func, select, update

from app.certification import audit, certificates, credentials, keys
from app.certification.certificates import CertificateError
from app.extensions import db
from app.models import AuditEntry, Certificate, Consent, ExamAttempt, Role, SigningKey, User
from app.models.exams import ACTIVE, FINISHED
from tests.conftest import csrf_token, sign_in
from tests.test_mock_exam import curriculum, real_bank  # noqa: F401  (fixtures)

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

SCORES: dict[str, Any] = {
    "sections": {
        "vocabulary": {"asked": 21, "answered": 21, "right": 17},
        "grammar-reading": {"asked": 22, "answered": 21, "right": 16},
        "listening": {"asked": 24, "answered": 24, "right": 19},
    },
    "groups": {
        "knowledge-reading": {
            "theta": 1.2, "sd": 0.3, "scaled": 84, "maximum": 120, "minimum": 38
        },
        "listening": {"theta": 1.1, "sd": 0.4, "scaled": 41, "maximum": 60, "minimum": 19},
    },
    "total": 125,
    "pass_mark": 80,
}  # fmt: skip


@pytest.fixture(autouse=True)
def key_dir(app: Flask, tmp_path: Path) -> Path:
    """Each test signs with keys of its own, in a directory it can look into."""
    app.config["SIGNING_KEY_DIR"] = str(tmp_path / "keys")
    return tmp_path / "keys"


def finished_attempt(
    app: Flask, user: User, *, passed: bool = True, kind: str = "certification", **fields: Any
) -> int:
    with app.app_context():
        attempt = ExamAttempt(
            user_id=user.id, level=fields.pop("level", "N5"), kind=kind,
            status=fields.pop("status", FINISHED), seed=1, form=[], section_log=[],
            started_at=T0, finished_at=T0 + timedelta(minutes=95), passed=passed,
            scores=SCORES, **fields,
        )  # fmt: skip
        db.session.add(attempt)
        db.session.commit()
        return attempt.id


def issue_for(app: Flask, user: User, **fields: Any) -> str:
    attempt_id = finished_attempt(app, user, **fields)
    with app.app_context():
        cert = certificates.issue(
            db.session.get(ExamAttempt, attempt_id), now=T0 + timedelta(hours=2)
        )
        db.session.commit()
        return cert.public_id


@pytest.fixture
def candidate(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.TRAINEE, name="Ayesha Khan 綾", external_id="RS-0042")


@pytest.fixture
def issued(app: Flask, candidate: User) -> str:
    return issue_for(app, candidate)


# ---- issuing ----------------------------------------------------------------------------


def test_canonical_json_sorts_keys_drops_spaces_and_keeps_japanese() -> None:
    text = certificates.canonical_json({"b": [1, {"z": 1, "a": "日本語"}], "a": None})
    assert text == '{"a":null,"b":[1,{"a":"日本語","z":1}]}'


def test_a_pass_issues_a_signed_certificate_with_the_facts(
    app: Flask, candidate: User, issued: str
) -> None:
    with app.app_context():
        cert = certificates.by_public_id(issued)
        assert cert is not None
        assert len(issued) >= 22
        assert re.fullmatch(r"[A-Za-z0-9_-]+", issued)
        payload = json.loads(cert.payload)
        assert cert.payload == certificates.canonical_json(payload)
        assert payload == {
            "version": 1,
            "id": issued,
            "level": "N5",
            "candidate": {"name": "Ayesha Khan 綾", "external_id": "RS-0042"},
            "scores": {
                "scaled": {"knowledge-reading": 84, "listening": 41},
                "total": 125,
                "raw": SCORES["sections"],
            },
            "exam_date": "2026-11-20",
            "issued_at": "2026-11-20T11:00:00Z",
            "issuer": "Hashi Japanese Certification",
            "kid": cert.kid,
            "status_index": cert.status_index,
        }
        assert certificates.verify(issued).status == certificates.VALID
        # Offline, with nothing but the published raw key and the cryptography package:
        row = db.session.scalar(select(SigningKey).where(SigningKey.kid == cert.kid))
        public = Ed25519PublicKey.from_public_bytes(keys.b64url_decode(row.public_key))
        public.verify(keys.b64url_decode(cert.signature), cert.payload.encode("utf-8"))
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.subject == f"certificate:{issued}")
        )
        assert entry.action == audit.CERTIFICATE_ISSUED
        assert entry.details["user_id"] == candidate.id


def test_issuing_twice_for_one_attempt_gives_the_same_certificate(
    app: Flask, candidate: User
) -> None:
    attempt_id = finished_attempt(app, candidate)
    with app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        first = certificates.issue(attempt, now=T0)
        second = certificates.issue(attempt, now=T0 + timedelta(hours=1))
        db.session.commit()
        assert first.public_id == second.public_id
        assert db.session.scalar(select(func.count(Certificate.id))) == 1
        assert db.session.scalar(select(func.count(AuditEntry.id))) == 1


@pytest.mark.parametrize(
    "fields",
    [{"passed": False}, {"kind": "mock"}, {"status": ACTIVE, "passed": None}],
    ids=["failed", "mock", "unfinished"],
)
def test_no_certificate_for_a_fail_a_mock_or_an_unfinished_attempt(
    app: Flask, candidate: User, fields: dict[str, Any]
) -> None:
    attempt_id = finished_attempt(app, candidate, **fields)
    with app.app_context():
        with pytest.raises(CertificateError) as refused:
            certificates.issue(db.session.get(ExamAttempt, attempt_id), now=T0)
        assert refused.value.status == 409
        assert db.session.scalar(select(func.count(Certificate.id))) == 0


# ---- tampering --------------------------------------------------------------------------

TAMPERED_COLUMNS = {
    "candidate_name": "Someone Else",
    "candidate_external_id": "RS-9999",
    "level": "N4",
    "scaled": {"knowledge-reading": 120, "listening": 41},
    "total": 180,
    "raw": {"vocabulary": {"asked": 21, "answered": 21, "right": 21}},
    "exam_date": datetime(2026, 11, 21).date(),
    "issued_at": T0 + timedelta(days=1),
    "issuer": "Forged Institute",
    "status_index": 7,
    "kid": "another-key",
    "signature": "A" * 86,
}


@pytest.mark.parametrize("column", sorted(TAMPERED_COLUMNS))
def test_changing_any_column_of_the_row_makes_it_invalid(
    app: Flask, issued: str, column: str
) -> None:
    with app.app_context():
        db.session.execute(
            update(Certificate)
            .where(Certificate.public_id == issued)
            .values({column: TAMPERED_COLUMNS[column]})
        )
        db.session.commit()
        result = certificates.verify(issued)
        assert result.status == certificates.INVALID
        assert not result.is_valid


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in _leaves(value, (*path, key))]
    return [path]


def _changed(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return "x"
    if isinstance(value, int):
        return value + 1
    return value + "x"


def test_changing_any_field_of_the_payload_fails_the_signature(app: Flask, issued: str) -> None:
    with app.app_context():
        cert = certificates.by_public_id(issued)
        assert certificates.verify_payload(cert.payload, cert.signature, cert.kid)
        leaves = _leaves(json.loads(cert.payload))
        assert len(leaves) >= 15
        for path in leaves:
            data = json.loads(cert.payload)
            holder = data
            for key in path[:-1]:
                holder = holder[key]
            holder[path[-1]] = _changed(holder[path[-1]])
            forged = certificates.canonical_json(data)
            assert not certificates.verify_payload(forged, cert.signature, cert.kid), path
        # Whitespace, a flipped signature character, or an unknown key fail too.
        assert not certificates.verify_payload(cert.payload + " ", cert.signature, cert.kid)
        flipped = ("B" if cert.signature[5] != "B" else "C").join(
            (cert.signature[:5], cert.signature[6:])
        )
        assert not certificates.verify_payload(cert.payload, flipped, cert.kid)
        assert not certificates.verify_payload(cert.payload, cert.signature, "nope")
        assert not certificates.verify_payload("not json", cert.signature, cert.kid)
        assert not certificates.verify_payload(cert.payload, "=====", cert.kid)


# ---- keys -------------------------------------------------------------------------------


def test_the_private_key_stays_in_the_key_directory_with_mode_0600(
    app: Flask, issued: str, key_dir: Path
) -> None:
    with app.app_context():
        cert = certificates.by_public_id(issued)
        pem = key_dir / f"{cert.kid}.pem"
        assert stat.S_IMODE(pem.stat().st_mode) == 0o600
        assert b"PRIVATE KEY" in pem.read_bytes()
        assert (key_dir / "current").read_text().strip() == cert.kid
        row = db.session.scalar(select(SigningKey))
        assert len(keys.b64url_decode(row.public_key)) == 32  # the raw public key only
        assert row.kid == keys.thumbprint(keys.b64url_decode(row.public_key))


def test_workers_starting_together_make_one_key(app: Flask, key_dir: Path) -> None:
    kids: list[str] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        with app.app_context():
            barrier.wait()
            kids.append(keys.local_signer().kid)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(kids)) == 1
    assert len(kids) == 8
    assert [p.name for p in key_dir.glob("*.pem")] == [f"{kids[0]}.pem"]


def test_rotation_keeps_old_certificates_valid(
    app: Flask, runner, client, candidate: User, issued: str, make_user
) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    second = issue_for(app, make_user(Role.TRAINEE))
    with app.app_context():
        old, new = certificates.by_public_id(issued), certificates.by_public_id(second)
        assert old.kid != new.kid
        assert certificates.verify(issued).is_valid
        assert certificates.verify(second).is_valid
        retired = db.session.scalar(select(SigningKey).where(SigningKey.kid == old.kid))
        assert retired.retired_at is not None
        assert (
            db.session.scalar(
                select(AuditEntry.action).where(AuditEntry.subject == f"signing-key:{new.kid}")
            )
            == audit.KEY_ROTATED
        )
    published = {k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]}
    assert published == {old.kid, new.kid}
    listing = runner.invoke(args=["keys", "list"]).output
    assert f"{new.kid}" in listing
    assert "(current here)" in listing
    assert "retired" in listing


# ---- revocation -------------------------------------------------------------------------


def test_revocation_needs_a_reason_and_is_logged(app: Flask, issued: str, make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.PROGRAMME_ADMIN)
    with app.app_context():
        for reason, status in (("", 422), ("   ", 422), ("x" * 501, 422)):
            with pytest.raises(CertificateError) as refused:
                certificates.revoke(issued, reason=reason, by_user_id=admin.id, now=T0)
            assert refused.value.status == status
        with pytest.raises(CertificateError) as unknown:
            certificates.revoke("A" * 22, reason="x", by_user_id=admin.id, now=T0)
        assert unknown.value.status == 404
        certificates.revoke(
            issued, reason="Identity fraud at the sitting", by_user_id=admin.id, now=T0
        )
        db.session.commit()
        with pytest.raises(CertificateError) as again:
            certificates.revoke(issued, reason="again", by_user_id=admin.id, now=T0)
        assert again.value.status == 409
        result = certificates.verify(issued)
        assert result.status == certificates.REVOKED
        assert result.certificate.revoked_reason == "Identity fraud at the sitting"
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == audit.CERTIFICATE_REVOKED)
        )
        assert (entry.actor_id, entry.reason) == (admin.id, "Identity fraud at the sitting")


# ---- public pages -----------------------------------------------------------------------


def test_the_verify_page_says_valid_with_the_facts_and_a_qr_code(client, issued: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/verify/{issued}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Valid" in page
    assert "Ayesha Khan 綾" in page
    assert "125 / 180" in page
    assert '<svg role="img"' in page
    assert "QR code of this verification page" in page
    assert "Revoked" not in page


@pytest.mark.parametrize(
    "public_id",
    [
        "A" * 22,
        "short",
        "x" * 200,
        "%3Cscript%3E",
        "ab cd efgh ijkl mnop",
        "日本語日本語日本語日本語日本語日本語",
    ],
)
def test_unknown_or_garbage_ids_are_unknown_with_404(client, issued: str, public_id: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/verify/{public_id}")
    assert response.status_code == 404
    assert "Unknown certificate" in response.get_data(as_text=True)
    assert client.get(f"/verify/{issued[:-1]}").status_code == 404


def test_revoking_in_the_admin_pages_shows_on_the_verify_page_and_in_the_status_list(
    app: Flask, client, issued: str, login_as
) -> None:  # type: ignore[no-untyped-def]
    jwks = jwt.PyJWKSet.from_dict(client.get("/.well-known/jwks.json").get_json())

    def status_bit() -> bool:
        token = client.get("/credentials/status/1").get_data(as_text=True)
        key = jwks[jwt.get_unverified_header(token)["kid"]]
        claims = jwt.decode(token, key.key, algorithms=["EdDSA"])
        subject = claims["credentialSubject"]
        assert subject["type"] == "BitstringStatusList"
        assert subject["statusPurpose"] == "revocation"
        bits = credentials.decode_bitstring(subject["encodedList"])
        assert len(bits) * 8 >= 131072
        with app.app_context():
            index = certificates.by_public_id(issued).status_index
        return credentials.bit_is_set(bits, index)

    assert status_bit() is False
    login_as(Role.PROGRAMME_ADMIN)
    path = f"/admin/certificates/{issued}/revoke"
    token = csrf_token(client, path)
    empty = client.post(path, data={"csrf_token": token, "reason": "  ", "confirm": "y"})
    assert empty.status_code == 422
    assert "Give the reason" in empty.get_data(as_text=True)
    unconfirmed = client.post(path, data={"csrf_token": token, "reason": "Fraud"})
    assert unconfirmed.status_code == 422
    assert client.post(path, data={"reason": "Fraud", "confirm": "y"}).status_code == 400  # no CSRF
    with app.app_context():
        assert certificates.verify(issued).is_valid
    done = client.post(
        path, data={"csrf_token": token, "reason": "Cheating found on review", "confirm": "y"}
    )
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/verify/{issued}")
    page = client.get(f"/verify/{issued}").get_data(as_text=True)
    assert "Revoked" in page
    assert "Cheating found on review" in page
    assert status_bit() is True
    again = client.post(path, data={"csrf_token": token, "reason": "x", "confirm": "y"})
    assert again.status_code == 302  # already revoked: said so, nothing changed


def test_the_open_badge_verifies_offline_with_the_jwks_and_tampering_fails(
    client, issued: str
) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/certificates/{issued}/credential.jwt")
    assert response.status_code == 200
    assert response.mimetype == "application/vc+jwt"
    token = response.get_data(as_text=True)
    jwks = jwt.PyJWKSet.from_dict(client.get("/.well-known/jwks.json").get_json())
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA"
    assert header["typ"] == "vc+jwt"
    key = jwks[header["kid"]]
    assert key.key_type == "OKP"
    vc = jwt.decode(token, key.key, algorithms=["EdDSA"])
    assert vc["@context"] == [credentials.VC_CONTEXT, credentials.OB_CONTEXT]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["id"].endswith(f"/verify/{issued}")
    assert vc["jti"] == vc["id"]
    assert vc["issuer"]["type"] == ["Profile"]
    assert vc["iss"] == vc["issuer"]["id"]
    subject = vc["credentialSubject"]
    assert subject["achievement"]["type"] == ["Achievement"]
    assert {i["identityHash"] for i in subject["identifier"]} == {"Ayesha Khan 綾", "RS-0042"}
    assert {r["value"] for r in subject["result"]} == {"125", "84", "41"}
    status = vc["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusListCredential"].endswith("/credentials/status/1")

    head, body, signature = token.split(".")
    claims = json.loads(keys.b64url_decode(body))
    claims["result"] = "forged"
    claims["credentialSubject"]["result"][0]["value"] = "180"
    forged_body = keys.b64url(certificates.canonical_json(claims).encode())
    raw = bytearray(keys.b64url_decode(signature))
    raw[0] ^= 0x01  # one bit of the signature itself (not base64's spare bits at the end)
    flipped = keys.b64url(bytes(raw))
    for forged in (f"{head}.{forged_body}.{signature}", f"{head}.{body}.{flipped}"):
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(forged, key.key, algorithms=["EdDSA"])
    assert client.get("/certificates/AAAAAAAAAAAAAAAAAAAAAA/credential.jwt").status_code == 404


def test_only_status_list_1_exists(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/credentials/status/2").status_code == 404
    assert client.get("/credentials/status/abc").status_code == 404
    assert client.post("/credentials/status/1").status_code == 405
    assert client.post("/verify/AAAAAAAAAAAAAAAAAAAAAA").status_code == 405


# ---- printable page, PDF and who may see them ---------------------------------------------


def test_the_pdf_embeds_a_japanese_truetype_font(client, candidate: User, issued: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, candidate.email)
    response = client.get(f"/certificates/{issued}/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    data = response.get_data()
    assert data.startswith(b"%PDF-")
    assert b"/FontFile2" in data  # an embedded TrueType font program
    assert re.search(rb"/BaseFont /[A-Z]{6}\+IPAexGothic", data)  # subset of IPAex Gothic


def test_the_pdf_says_clearly_when_its_font_is_missing(
    app: Flask, client, candidate: User, issued: str
) -> None:  # type: ignore[no-untyped-def]
    app.config["CERTIFICATE_FONT"] = "/nonexistent/ipaexg.ttf"
    sign_in(client, candidate.email)
    response = client.get(f"/certificates/{issued}/certificate.pdf")
    assert response.status_code == 503
    assert "fonts-ipaexfont-gothic" in response.get_data(as_text=True)


def test_the_printable_page_has_print_styles_and_links(
    client, candidate: User, issued: str
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, candidate.email)
    page = client.get(f"/certificates/{issued}").get_data(as_text=True)
    assert "css/certificate.css" in page
    assert "日本語能力 N5 相当" in page
    assert f"/certificates/{issued}/certificate.pdf" in page
    assert f"/certificates/{issued}/credential.jwt" in page
    assert issued in client.get("/certificates").get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("another trainee", 403),
        ("instructor elsewhere", 403),
        ("candidate", 200),
        ("instructor here", 200),
        ("centre admin here", 200),
        ("programme admin", 200),
    ],
)
def test_who_may_see_the_printable_page_and_pdf(
    client, make_user, make_centre, candidate: User, issued: str, who: str, status: int
) -> None:  # type: ignore[no-untyped-def]
    elsewhere = make_centre("Karachi Centre")
    viewer = {
        "another trainee": lambda: make_user(Role.TRAINEE),
        "instructor elsewhere": lambda: make_user(Role.INSTRUCTOR, centre_=elsewhere),
        "candidate": lambda: candidate,
        "instructor here": lambda: make_user(Role.INSTRUCTOR),
        "centre admin here": lambda: make_user(Role.CENTRE_ADMIN),
        "programme admin": lambda: make_user(Role.PROGRAMME_ADMIN),
    }.get(who)
    if viewer:
        sign_in(client, viewer().email)
    for path in (f"/certificates/{issued}", f"/certificates/{issued}/certificate.pdf"):
        assert client.get(path).status_code == status, path
    if who == "candidate":
        assert client.get("/certificates/AAAAAAAAAAAAAAAAAAAAAA").status_code == 404


@pytest.mark.parametrize(
    ("role", "list_status", "audit_status"),
    [
        (Role.TRAINEE, 403, 403),
        (Role.INSTRUCTOR, 403, 403),
        (Role.CENTRE_ADMIN, 200, 403),
        (Role.PROGRAMME_ADMIN, 200, 200),
    ],
)
def test_who_may_use_the_admin_pages(
    client, login_as, issued: str, role: Role, list_status: int, audit_status: int
) -> None:  # type: ignore[no-untyped-def]
    login_as(role)
    assert client.get("/admin/certificates").status_code == list_status
    assert client.get(f"/admin/certificates/{issued}/revoke").status_code == list_status
    assert client.get("/admin/audit").status_code == audit_status


def test_admins_search_certificates_and_centre_admins_see_only_their_centre(
    app: Flask, client, login_as, make_user, make_centre, issued: str
) -> None:  # type: ignore[no-untyped-def]
    elsewhere = make_centre("Karachi Centre")
    other = issue_for(app, make_user(Role.TRAINEE, centre_=elsewhere, name="Bilal Shah"))
    login_as(Role.CENTRE_ADMIN)
    page = client.get("/admin/certificates").get_data(as_text=True)
    assert "Ayesha Khan 綾" in page
    assert "Bilal Shah" not in page
    assert client.get(f"/admin/certificates/{other}/revoke").status_code == 404
    assert "Ayesha" in client.get("/admin/certificates?q=RS-0042").get_data(as_text=True)
    assert "Ayesha" in client.get(f"/admin/certificates?q={issued}").get_data(as_text=True)
    nothing = client.get("/admin/certificates?q=%25_nobody").get_data(as_text=True)
    assert "No certificate matches." in nothing
    assert client.get("/admin/certificates?q=" + "x" * 5000).status_code == 200


# ---- demo -------------------------------------------------------------------------------


@pytest.mark.usefixtures("curriculum")
def test_the_demo_trainee_holds_a_valid_n5_certificate_and_consents_to_sharing(
    app: Flask, runner
) -> None:  # type: ignore[no-untyped-def]
    for _run in range(2):
        result = runner.invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        trainee = db.session.scalar(select(User).where(User.email == "trainee@example.org"))
        held = certificates.of_user(trainee.id)
        assert len(held) == 1
        assert held[0].level == "N5"
        assert certificates.verify(held[0].public_id).is_valid
        attempt = db.session.get(ExamAttempt, held[0].attempt_id)
        assert attempt.kind == "certification"
        assert attempt.passed
        assert sum(s["asked"] for s in attempt.scores["sections"].values()) >= 20
        assert 80 <= held[0].total <= 180
        consents = db.session.scalars(select(Consent).where(Consent.user_id == trainee.id)).all()
        assert [c.purpose for c in consents] == ["share-with-recruiter"]
        assert "recruitment system" in consents[0].text


def test_the_default_key_directory_is_ignored_by_git(app: Flask) -> None:
    """The default key directory is inside instance/, which git ignores."""
    app.config["SIGNING_KEY_DIR"] = None
    with app.app_context():
        default = keys.key_dir()
    assert default == Path(app.instance_path) / "keys"
    root = Path(__file__).resolve().parent.parent
    assert "instance/" in (root / ".gitignore").read_text().split()
    assert os.path.commonpath([default, root]) == str(root)
