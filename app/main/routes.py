"""Landing page, home per role, and the health endpoints load balancers call."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text
from werkzeug.wrappers import Response

from app.content.stats import content_counts
from app.extensions import db
from app.japanese import tokenizer
from app.learning import progress, readiness, review
from app.learning.clock import now

bp = Blueprint("main", __name__)
log = logging.getLogger(__name__)


@bp.get("/")
def index() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return render_template("main/index.html")


@bp.get("/home")
def home() -> str | Response:
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    if current_user.role.is_staff:
        return redirect(url_for("teach.cohorts"))
    user, moment = current_user._get_current_object(), now()
    standing = progress.standing(user, moment)
    return render_template(
        "main/trainee_home.html",
        reviews_due=review.due_count(user, moment),
        standing=standing,
        readiness=readiness.for_user(user, standing.levels),
    )


@bp.get("/about")
def about() -> str:
    return render_template("main/about.html", counts=content_counts())


@bp.get("/healthz")
def healthz() -> Response:
    """The process answers; says nothing about its dependencies."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Ready for traffic: the database answers and the language engine works."""
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:
        log.exception("readiness: database unreachable")
        db.session.rollback()
        checks["database"] = "unavailable"
    try:
        checks["language_engine"] = "ok" if tokenizer.self_check() else "wrong output"
    except Exception:
        log.exception("readiness: language engine failed")
        checks["language_engine"] = "unavailable"
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503
