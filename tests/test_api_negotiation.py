"""What the API answers in and when it answers nothing new: an Accept that excludes JSON
gets a 406 in the usual error shape (the HTML reference page is left alone), every
operation documents that 406, a 304 carries the ETag the 200 had (RFC 9110 15.4.5), and
the CNIC path parameter is documented with its pattern."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.lib.cnic import DOCUMENTED_PATTERN
from app.models import Role, User
from tests.api_support import bearer, issue_key, share
from tests.test_certificates import issue_for

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def key(app: Flask) -> str:
    return issue_key(app)


def assert_not_acceptable(response: Any) -> None:
    assert response.status_code == 406, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["code"] == "not_acceptable"
    assert "application/json" in body["message"]
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert {"Authorization", "Accept"} <= {v.strip() for v in response.headers["Vary"].split(",")}


@pytest.mark.parametrize(
    "accept",
    [
        "text/html",
        "application/xml",
        "text/html, application/xhtml+xml, application/xml;q=0.9",
        "text/*",
        "application/json;q=0",
        "*/*, application/json;q=0",
        "application/*;q=0, */*",
        "*/*;q=0",
    ],
)
def test_an_accept_without_json_is_refused_with_406(
    client: FlaskClient, key: str, accept: str
) -> None:
    headers = {**bearer(key), "Accept": accept}
    assert_not_acceptable(client.get("/api/v1/keys", headers=headers))
    assert_not_acceptable(client.get("/api/v1/changes", headers=headers))
    created = client.post(
        "/api/v1/webhooks",
        headers=headers,
        json={"url": "https://example.org/hook", "events": ["certification.passed"]},
    )
    assert_not_acceptable(created)
    listed = client.get("/api/v1/webhooks", headers=bearer(key)).get_json()
    assert listed["webhooks"] == []  # refused before anything was done


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "",
        "*/*",
        "application/*",
        "application/json",
        "APPLICATION/JSON",
        "application/json; charset=utf-8",
        "application/json;q=0.5, text/html",
        "text/html, */*;q=0.1",
    ],
)
def test_json_or_anything_is_accepted(client: FlaskClient, key: str, accept: str | None) -> None:
    headers = bearer(key) if accept is None else {**bearer(key), "Accept": accept}
    response = client.get("/api/v1/keys", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"


def test_the_reference_page_and_the_document_are_not_negotiated(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    document = client.get("/api/v1/openapi.json", headers={"Accept": "text/html"})
    assert document.status_code == 200


def test_every_operation_documents_406_and_the_cnic_pattern(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                assert operation["responses"]["406"] == {
                    "$ref": "#/components/responses/NOT_ACCEPTABLE"
                }, f"{method} {path}"
    [cnic] = spec["paths"]["/api/v1/candidates/by-cnic/{cnic}"]["parameters"]
    assert cnic["name"] == "cnic"
    assert cnic["schema"]["pattern"] == DOCUMENTED_PATTERN
    assert re.fullmatch(cnic["schema"]["pattern"].strip("^$"), cnic["example"])
    not_modified = spec["components"]["responses"]["NOT_MODIFIED"]
    assert not_modified["headers"]["ETag"] == {"$ref": "#/components/headers/ETAG"}


@pytest.fixture
def readable(app: Flask, key: str, make_user: Callable[..., User]) -> dict[str, str]:
    """One path of each kind with an ETag (other than the candidates), each answering 200."""
    user = make_user(Role.TRAINEE, external_id="RS-304")
    share(app, user, statuses={"N5": "passed"})
    certificate = issue_for(app, user)
    client = app.test_client()
    made = client.post(
        "/api/v1/webhooks",
        headers=bearer(key),
        json={"url": "https://example.org/hook", "events": ["certification.passed"]},
    )
    assert made.status_code == 201
    return {
        "changes": "/api/v1/changes?limit=5",
        "certificate": f"/api/v1/certificates/{certificate}",
        "verification": f"/api/v1/certificates/{certificate}/verification",
        "keys": "/api/v1/keys",
        "webhooks": "/api/v1/webhooks",
    }


@pytest.mark.parametrize("kind", ["changes", "certificate", "verification", "keys", "webhooks"])
def test_a_304_carries_the_same_etag(
    client: FlaskClient, key: str, readable: dict[str, str], kind: str
) -> None:
    path = readable[kind]
    first = client.get(path, headers=bearer(key))
    assert first.status_code == 200, first.get_data(as_text=True)
    etag = first.headers["ETag"]
    again = client.get(path, headers={**bearer(key), "If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    assert again.get_data() == b""
    assert again.headers["Cache-Control"] == "private, no-cache"
    among = client.get(path, headers={**bearer(key), "If-None-Match": f'"stale", {etag}'})
    assert (among.status_code, among.headers["ETag"]) == (304, etag)
    weak = client.get(path, headers={**bearer(key), "If-None-Match": f"W/{etag}"})
    assert (weak.status_code, weak.headers["ETag"]) == (304, etag)  # compared weakly
    stale = client.get(path, headers={**bearer(key), "If-None-Match": '"stale"'})
    assert (stale.status_code, stale.headers["ETag"]) == (200, etag)
