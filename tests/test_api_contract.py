"""Every operation in the OpenAPI document is called and its answer checked against the
document with openapi-core; the document itself is valid OpenAPI 3.1."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_spec_validator import validate
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from app.models import Role, User
from tests.api_support import bearer, issue_key, share

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture
def checker(spec: dict[str, Any]) -> Callable[..., Any]:
    openapi = OpenAPI.from_dict(spec)

    def check(client: FlaskClient, method: str, path: str, **kwargs: Any) -> Any:
        response = client.open(path, method=method, **kwargs)
        # The app consumed the request's body: validate against a fresh copy of it.
        request = Request(EnvironBuilder(path=path, method=method, **kwargs).get_environ())
        openapi.validate_response(
            WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response)
        )
        return response

    return check


@pytest.fixture
def candidate(app: Flask, make_user: Callable[..., User], make_cohort: Callable[..., Any]) -> User:
    user = make_user(Role.TRAINEE, name="Ayesha Khan", external_id="RS-1", cnic="3520212345671")
    make_cohort(trainees=(user,))
    share(app, user, statuses={"N5": "passed", "N4": "in-training"})
    return user


def test_the_document_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.1.0"
    validate(spec)
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    error = spec["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "request_id"}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            assert operation.get("security"), f"{method} {path} has no security"
            assert "401" in operation["responses"], f"{method} {path}"
            assert "default" in operation["responses"], f"{method} {path}"


def test_every_operation_answers_as_documented(
    app: Flask,
    client: FlaskClient,
    spec: dict[str, Any],
    checker: Callable[..., Any],
    candidate: User,
) -> None:
    auth = bearer(issue_key(app))
    called = set()

    def call(method: str, template: str, path: str, status: int, **kwargs: Any) -> Any:
        response = checker(client, method, path, headers=auth, **kwargs)
        assert response.status_code == status, response.get_data(as_text=True)
        called.add((method.lower(), template))
        return response

    one = call("GET", "/api/v1/candidates/{hashi_id}", f"/api/v1/candidates/{candidate.id}", 200)
    assert one.get_json()["status"]["N5"] == "passed"
    assert one.get_json()["cohorts"]
    call("GET", "/api/v1/candidates/{hashi_id}", "/api/v1/candidates/999999", 404)
    ext = "/api/v1/candidates/by-external-id/{external_id}"
    assert call("GET", ext, "/api/v1/candidates/by-external-id/RS-1", 200).get_json()["id"] == (
        candidate.id
    )
    cnic = "/api/v1/candidates/by-cnic/{cnic}"
    assert call("GET", cnic, "/api/v1/candidates/by-cnic/35202-1234567-1", 200)
    call("GET", cnic, "/api/v1/candidates/by-cnic/3520212345671", 200)
    bad = call("GET", cnic, "/api/v1/candidates/by-cnic/12345", 422)
    assert bad.get_json()["code"] == "invalid_cnic"
    page = call("GET", "/api/v1/candidates", "/api/v1/candidates?status=passed&level=N5", 200)
    assert [c["id"] for c in page.get_json()["candidates"]] == [candidate.id]
    assert page.get_json()["next_cursor"] is None
    feed = call("GET", "/api/v1/changes", "/api/v1/changes?limit=1", 200).get_json()
    assert len(feed["changes"]) == 1
    assert feed["has_more"]
    call("GET", "/api/v1/certificates/{certificate_id}", "/api/v1/certificates/nope", 404)
    verification = call(
        "GET",
        "/api/v1/certificates/{certificate_id}/verification",
        "/api/v1/certificates/nope/verification",
        200,
    ).get_json()
    assert verification["status"] == "unknown"
    call("GET", "/api/v1/keys", "/api/v1/keys", 200)
    made = call(
        "POST",
        "/api/v1/webhooks",
        "/api/v1/webhooks",
        201,
        json={"url": "https://example.org/hook", "events": ["certification.passed"]},
    ).get_json()
    assert made["secret"]
    listed = call("GET", "/api/v1/webhooks", "/api/v1/webhooks", 200).get_json()
    assert [w["id"] for w in listed["webhooks"]] == [made["id"]]
    assert "secret" not in listed["webhooks"][0]
    ping = "/api/v1/webhooks/{webhook_id}/ping"
    call("POST", ping, f"/api/v1/webhooks/{made['id']}/ping", 202)
    gone = "/api/v1/webhooks/{webhook_id}"
    call("DELETE", gone, f"/api/v1/webhooks/{made['id']}", 204)
    call("DELETE", gone, f"/api/v1/webhooks/{made['id']}", 404)
    documented = {(m, p) for p, item in spec["paths"].items() for m in item if m in METHODS}
    assert documented == called
