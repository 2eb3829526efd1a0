"""The signature receivers check: a good one passes; a changed body, another secret, a
missing or malformed header, or a timestamp outside the replay window fails."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from app.webhooks import signing

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
SECRET = "ab" * 32
BODY = signing.body_bytes({"type": "certification.passed", "data": {"name": "綾", "id": 1}})


def test_the_header_is_hmac_sha256_over_timestamp_dot_body() -> None:
    header = signing.signature_header(SECRET, BODY, now=NOW)
    timestamp = int(NOW.timestamp())
    expected = hmac.new(
        SECRET.encode(), f"{timestamp}.".encode() + BODY, hashlib.sha256
    ).hexdigest()
    assert header == f"t={timestamp},v1={expected}"
    assert signing.verify(SECRET, header, BODY, now=NOW) == timestamp


def test_the_body_is_compact_sorted_utf8_json() -> None:
    assert '{"data":{"id":1,"name":"綾"},"type":"certification.passed"}'.encode() == BODY


def test_the_headers_name_event_delivery_and_type() -> None:
    headers = signing.headers(SECRET, BODY, event="certification.passed", delivery_id=42, now=NOW)
    assert headers["Content-Type"] == "application/json"
    assert headers["Hashi-Event"] == "certification.passed"
    assert headers["Hashi-Delivery"] == "42"
    assert headers["Hashi-Signature"].startswith(f"t={int(NOW.timestamp())},v1=")


def test_a_changed_body_or_another_secret_fails() -> None:
    header = signing.signature_header(SECRET, BODY, now=NOW)
    with pytest.raises(signing.SignatureError, match="does not match"):
        signing.verify(SECRET, header, BODY.replace(b'"id":1', b'"id":2'), now=NOW)
    with pytest.raises(signing.SignatureError, match="does not match"):
        signing.verify("cd" * 32, header, BODY, now=NOW)


def test_a_moved_timestamp_breaks_the_signature() -> None:
    header = signing.signature_header(SECRET, BODY, now=NOW - timedelta(hours=1))
    old_t = header.split(",")[0]
    forged = header.replace(old_t, f"t={int(NOW.timestamp())}")
    with pytest.raises(signing.SignatureError, match="does not match"):
        signing.verify(SECRET, forged, BODY, now=NOW)


@pytest.mark.parametrize("age", [timedelta(minutes=5, seconds=1), -timedelta(minutes=6)])
def test_outside_the_replay_window_fails(age: timedelta) -> None:
    header = signing.signature_header(SECRET, BODY, now=NOW - age)
    with pytest.raises(signing.SignatureError, match="outside the tolerance"):
        signing.verify(SECRET, header, BODY, now=NOW)
    assert signing.verify(SECRET, header, BODY, now=NOW, tolerance=3600)


def test_inside_the_window_passes() -> None:
    header = signing.signature_header(SECRET, BODY, now=NOW - timedelta(minutes=4))
    assert signing.verify(SECRET, header, BODY, now=NOW)


@pytest.mark.parametrize(
    "header", [None, "", "garbage", "t=abc,v1=00", "v1=00", "t=1764147600", "t=,v1="]
)
def test_missing_or_malformed_headers_fail(header: str | None) -> None:
    with pytest.raises(signing.SignatureError):
        signing.verify(SECRET, header, BODY, now=NOW)


def test_any_one_of_several_signatures_may_match() -> None:
    good = signing.signature_header(SECRET, BODY, now=NOW)
    timestamp, v1 = good.split(",")
    assert signing.verify(SECRET, f"{timestamp},v1={'0' * 64},{v1}", BODY, now=NOW)
