"""Health endpoints that a load balancer and an orchestrator call."""

from __future__ import annotations

from app import create_app


def test_healthz_answers_without_touching_dependencies(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_checks_database_and_language_engine(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ready",
        "checks": {"database": "ok", "language_engine": "ok"},
    }


def test_readyz_says_503_when_the_database_is_unreachable(tmp_path) -> None:
    missing = tmp_path / "no-such-dir" / "hashi.sqlite3"
    app = create_app({"HASHI_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "unavailable"
    assert response.json["checks"]["language_engine"] == "ok"
