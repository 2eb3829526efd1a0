"""Friendly error pages for people, one JSON error shape for programs, strict headers."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from flask import Flask

from app.observability import RequestIdFilter, json_formatter


@pytest.fixture
def app_with_a_broken_route(app: Flask, other_app) -> Flask:
    app = other_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    @app.get("/api/v1/boom")
    def boom() -> str:
        raise RuntimeError("kaput")

    return app


def test_unknown_page_is_a_friendly_404(client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "We could not find that page." in page
    assert 'href="/"' in page  # a way back, not a dead end


def test_api_errors_are_json_with_the_request_id(client) -> None:
    response = client.get("/api/v1/nothing-here", headers={"X-Request-ID": "recruiter-req-000123"})
    assert response.status_code == 404
    assert response.json == {
        "code": "not_found",
        "message": "We could not find that page.",
        "request_id": "recruiter-req-000123",
    }
    assert response.headers["X-Request-ID"] == "recruiter-req-000123"


def test_a_crash_shows_a_friendly_500_and_json_under_api(app_with_a_broken_route) -> None:
    client = app_with_a_broken_route.test_client()
    page = client.get("/boom")
    assert page.status_code == 500
    assert "Something went wrong on our side." in page.get_data(as_text=True)
    api = client.get("/api/v1/boom")
    assert api.status_code == 500
    assert api.json["code"] == "internal_error"
    assert api.json["request_id"] == api.headers["X-Request-ID"]
    assert "kaput" not in api.get_data(as_text=True)  # no internals leak


def test_wrong_method_is_405_not_500(client) -> None:
    assert client.get("/logout").status_code == 405


def test_security_headers_and_a_csp_without_inline_script(client) -> None:
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    page = response.get_data(as_text=True)
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None  # no inline <script>
    assert " style=" not in page  # no inline styles either (style-src 'self')


def test_every_asset_is_served_by_the_app_itself(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:css|js|svg))"', page)
    assert assets, "the page loads no assets?"
    for asset in assets:
        assert asset.startswith("/"), asset
        with client.get(asset) as response:  # closes the file the app streamed
            assert response.status_code == 200, asset


def test_request_ids_are_generated_and_unsafe_ones_replaced(client) -> None:
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"})
    assert replaced.headers["X-Request-ID"] != "bad id <script>"


def test_log_lines_are_json_with_the_request_id(client) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestIdFilter())
    request_log = logging.getLogger("hashi.request")
    request_log.addHandler(handler)
    try:
        response = client.get("/healthz")
    finally:
        request_log.removeHandler(handler)
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["level"] == "INFO"
    assert line["path"] == "/healthz"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
