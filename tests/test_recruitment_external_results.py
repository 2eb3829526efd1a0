"""Outside results over HTTP: recording with a scan (types sniffed, size limited, fakes
refused), every field's bad input, the scan shown only to its owner and the admins who
may review it, verification and rejection with audit entries, deletion before review,
and the API view saying which state a result is in."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import AuditEntry, ExternalResult, Role, User
from app.recruitment import consent, external_results, views
from tests.conftest import csrf_token, sign_in


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 10)).save(out, "JPEG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def scans_dir(app: Flask, tmp_path: Path) -> Path:
    app.config["EXTERNAL_RESULTS_DIR"] = str(tmp_path / "scans")
    return tmp_path / "scans"


def upload(client, scan: bytes | None = None, name: str = "scan.png", **fields: Any):  # type: ignore[no-untyped-def]
    data: dict[str, Any] = {
        "exam": "JLPT", "level": "N4", "score": "", "taken_on": "2025-12-07",
        "certificate_number": "N4-1234567", "csrf_token": csrf_token(client, "/account/results"),
    }  # fmt: skip
    data.update(fields)
    if scan is not None:
        data["scan"] = FileStorage(io.BytesIO(scan), filename=name)
    # Encoded in memory: the test client spools large bodies to a file it never closes.
    boundary, body = encode_multipart(data)
    return client.post(
        "/account/results", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def results(app: Flask) -> list[ExternalResult]:
    with app.app_context():
        rows = db.session.scalars(select(ExternalResult).order_by(ExternalResult.id)).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def test_a_trainee_records_results_of_each_kind(app, client, login_as, scans_dir) -> None:
    user = login_as(Role.TRAINEE)
    assert upload(client, png()).status_code == 302
    assert upload(client, jpeg(), "photo.JPG", certificate_number="AB 12/3").status_code == 302
    response = upload(
        client, PDF, "jft.pdf", exam="JFT-Basic", level="", score="210", taken_on="2026-09-01"
    )
    assert response.status_code == 302
    assert upload(client, PDF, "x.pdf", exam="JFT-Basic", level="", score="180",
                  taken_on="2026-09-01").status_code == 302  # fmt: skip
    assert upload(client, PDF, "x.pdf", exam="JFT-Basic", level="", score="180",
                  taken_on="2025-09-01").status_code == 302  # fmt: skip
    rows = results(app)
    assert [(r.exam, r.level, r.score, r.band, r.scan_type) for r in rows] == [
        ("JLPT", "N4", None, None, "image/png"),
        ("JLPT", "N4", None, None, "image/jpeg"),
        ("JFT-Basic", None, 210, "A2", "application/pdf"),
        ("JFT-Basic", None, 180, "A2.1", "application/pdf"),  # the bands from August 2026
        ("JFT-Basic", None, 180, None, "application/pdf"),  # before: below A2 is no level
    ]
    assert all(r.state == "self-reported" and r.user_id == user.id for r in rows)
    stored = sorted(p.name for p in scans_dir.iterdir())
    assert len(stored) == 5
    assert "scan.png" not in stored
    assert (scans_dir / rows[0].scan_name).read_bytes() == png()
    page = client.get("/account/results").text
    assert "N4-1234567" in page
    assert "Self-reported" in page


@pytest.mark.parametrize(
    ("scan", "name", "message"),
    [
        (b"hello, I am text", "scan.png", "Upload a PDF, JPEG or PNG file."),
        (b"\x00\x01binary junk" * 50, "scan.pdf", "Upload a PDF, JPEG or PNG file."),
        (b"%PDF-1.4\n" + b"x" * 5000, "scan.pdf", "This PDF file is damaged or incomplete."),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "scan.png", "This image is damaged."),
        (png()[:60], "scan.png", "This image is damaged."),
        (b"GIF89a" + b"\x00" * 50, "scan.gif", "Upload a PDF, JPEG or PNG file."),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "scan.svg", "Upload a PDF, JPEG or PNG"),
        (PDF + b"x" * (5 * 1024 * 1024), "big.pdf", "The scan must be at most 5 MB."),
        (None, "", "Attach a scan of the certificate."),
    ],
)
def test_bad_scans_are_refused(app, client, login_as, scans_dir, scan, name, message) -> None:
    login_as(Role.TRAINEE)
    response = upload(client, scan, name)
    assert response.status_code == 422
    assert message in response.text
    assert results(app) == []
    assert not scans_dir.exists() or not any(scans_dir.iterdir())


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"exam": "TOEFL"}, "Not a valid choice"),
        ({"level": "N9"}, "Not a valid choice"),
        ({"level": ""}, "Choose the level, N5 to N1."),
        ({"score": "200"}, "A JLPT total is from 0 to 180."),
        ({"score": "abc"}, "Not a valid integer value"),
        ({"exam": "JFT-Basic", "level": "", "score": ""}, "Enter the JFT-Basic score, 10 to 250."),
        ({"exam": "JFT-Basic", "level": "", "score": "251"}, "Enter the JFT-Basic score"),
        (
            {"exam": "JFT-Basic", "level": "", "taken_on": "2018-01-01", "score": "220"},
            "Check the date of the test.",
        ),
        ({"taken_on": "2999-01-01"}, "The date cannot be in the future."),
        ({"taken_on": "yesterday"}, "Not a valid date value"),
        ({"certificate_number": ""}, "This field is required."),
        ({"certificate_number": "<script>"}, "Enter the certificate number"),
        ({"certificate_number": "x" * 41}, "Use at most 40 characters."),
    ],
)
def test_bad_fields_are_refused(app, client, login_as, fields, message) -> None:
    login_as(Role.TRAINEE)
    response = upload(client, png(), **fields)
    assert response.status_code == 422
    assert message in response.text
    assert results(app) == []


def test_no_csrf_token_and_staff_are_refused(app, client, login_as) -> None:
    login_as(Role.TRAINEE)
    response = client.post(
        "/account/results",
        data={"exam": "JLPT", "scan": (io.BytesIO(png()), "a.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code in (400, 422)
    assert results(app) == []


def recorded(app: Flask, client, login_as, **user_fields: Any) -> tuple[User, ExternalResult]:  # type: ignore[no-untyped-def]
    user = login_as(Role.TRAINEE, **user_fields)
    assert upload(client, png()).status_code == 302
    return user, results(app)[-1]


def switch(client, user: User) -> None:  # type: ignore[no-untyped-def]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    assert sign_in(client, user.email).status_code == 302


def test_the_scan_is_shown_only_to_its_owner_and_reviewing_admins(
    app, client, login_as, make_user, make_centre
) -> None:
    _owner, result = recorded(app, client, login_as)
    url = f"/results/{result.id}/scan"
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == png()
    assert response.mimetype == "image/png"
    assert "no-store" in response.headers["Cache-Control"]
    other_centre = make_centre("Karachi Centre")
    for person, seen in (
        (make_user(Role.TRAINEE), 404),
        (make_user(Role.INSTRUCTOR), 404),
        (make_user(Role.CENTRE_ADMIN, centre_=other_centre), 404),
        (make_user(Role.CENTRE_ADMIN), 200),
        (make_user(Role.PROGRAMME_ADMIN), 200),
    ):
        switch(client, person)
        assert client.get(url).status_code == seen, person.role
    assert client.get("/results/99999/scan").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    assert client.get(url).status_code == 302  # to sign in


def test_an_admin_verifies_and_the_api_view_says_so(app, client, login_as, make_user) -> None:
    owner, result = recorded(app, client, login_as)
    with app.app_context():
        consent.give(db.session.get(User, owner.id), text="t", now=result.created_at)
        db.session.commit()
    admin = make_user(Role.CENTRE_ADMIN)
    switch(client, admin)
    queue = client.get("/admin/external-results").text
    assert f"/admin/external-results/{result.id}" in queue
    page = client.get(f"/admin/external-results/{result.id}").text
    assert "N4-1234567" in page
    token = csrf_token(client, f"/admin/external-results/{result.id}")
    response = client.post(
        f"/admin/external-results/{result.id}/verify", data={"csrf_token": token}
    )
    assert response.status_code == 302
    assert results(app)[-1].state == "verified"
    assert results(app)[-1].reviewed_by_id == admin.id
    again = client.post(f"/admin/external-results/{result.id}/verify", data={"csrf_token": token})
    assert again.status_code == 409
    with app.app_context():
        view = views.find(hashi_id=owner.id).data()
        assert view["external_results"][0]["verification"] == "verified"
        assert view["external_results"][0]["certificate_number"] == "N4-1234567"
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions[-1] == "external-result.verified"
        assert "external-result.recorded" in actions
    switch(client, owner)  # a checked result can no longer be deleted
    token = csrf_token(client, "/account/results")
    deleted = client.post(f"/account/results/{result.id}/delete", data={"csrf_token": token})
    assert deleted.status_code == 409


def test_an_admin_rejects_with_a_reason(app, client, login_as, make_user) -> None:
    owner, result = recorded(app, client, login_as)
    switch(client, make_user(Role.PROGRAMME_ADMIN))
    url = f"/admin/external-results/{result.id}/reject"
    token = csrf_token(client, f"/admin/external-results/{result.id}")
    response = client.post(url, data={"csrf_token": token, "reason": "   "})
    assert response.status_code == 422
    assert "Say why this result is rejected." in response.text
    response = client.post(url, data={"csrf_token": token, "reason": "x" * 501})
    assert response.status_code == 422
    response = client.post(url, data={"csrf_token": token, "reason": "Number not on the scan"})
    assert response.status_code == 302
    row = results(app)[-1]
    assert row.state == "rejected"
    assert row.rejection_reason == "Number not on the scan"
    assert "Number not on the scan" in client.get("/admin/external-results?state=rejected").text
    assert client.get("/admin/external-results?state=bogus").status_code == 200
    switch(client, owner)
    assert "Number not on the scan" in client.get("/account/results").text


def test_reviewing_is_for_admins_of_the_centre(
    app, client, login_as, make_user, make_centre
) -> None:
    _owner, result = recorded(app, client, login_as)
    switch(client, make_user(Role.INSTRUCTOR))
    assert client.get("/admin/external-results").status_code == 403
    switch(client, make_user(Role.CENTRE_ADMIN, centre_=make_centre("Elsewhere")))
    assert f"/admin/external-results/{result.id}" not in client.get("/admin/external-results").text
    assert client.get(f"/admin/external-results/{result.id}").status_code == 404
    token = csrf_token(client, "/account")
    verify = client.post(f"/admin/external-results/{result.id}/verify", data={"csrf_token": token})
    assert verify.status_code == 404
    assert client.post(f"/admin/external-results/{result.id}/verify", data={}).status_code == 400
    assert results(app)[-1].state == "self-reported"


def test_the_owner_deletes_before_review_and_no_one_else_can(
    app, client, login_as, make_user, scans_dir
) -> None:
    owner, result = recorded(app, client, login_as)
    switch(client, make_user(Role.TRAINEE))
    token = csrf_token(client, "/account/results")
    response = client.post(f"/account/results/{result.id}/delete", data={"csrf_token": token})
    assert response.status_code == 404
    switch(client, owner)
    token = csrf_token(client, "/account/results")
    response = client.post(f"/account/results/{result.id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    assert results(app) == []
    assert not (scans_dir / result.scan_name).exists()


def test_jft_bands_follow_the_japan_foundation() -> None:
    band = external_results.jft_band
    assert band(250, date(2025, 1, 1)) == "A2"
    assert band(200, date(2025, 1, 1)) == "A2"
    assert band(199, date(2025, 1, 1)) is None
    assert band(199, date(2026, 8, 1)) == "A2.1"
    assert band(175, date(2026, 8, 1)) == "A2.1"
    assert band(174, date(2026, 8, 1)) == "A1"
    assert band(145, date(2026, 8, 1)) == "A1"
    assert band(144, date(2026, 8, 1)) is None


def test_an_image_with_too_many_pixels_is_refused(app, client, login_as) -> None:
    login_as(Role.TRAINEE)
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # 48 million pixels in a few kilobytes
    assert len(out.getvalue()) < 100_000
    response = upload(client, out.getvalue(), "huge.png")
    assert response.status_code == 422
    assert "This image is too large." in response.text
    assert results(app) == []
