"""Practice over JSON: start a session, post answers (graded at once), end, dispute.

The page (coming with the practice UI) posts each answer with a key of its own, so a
double click or a retry after a timeout stores the answer once.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, url_for
from flask_babel import gettext
from flask_login import current_user

from app.accounts.access import roles_required
from app.errors import json_error, json_object
from app.extensions import db
from app.learning import answering, practice, review
from app.learning.clock import now
from app.models import Role

bp = Blueprint("practice", __name__, url_prefix="/learn/practice")

MAX_BODY = 64 * 1024


def _body() -> dict[str, Any]:
    return json_object(practice.PracticeError, MAX_BODY)


def _user():  # type: ignore[no-untyped-def]
    return current_user._get_current_object()


@bp.errorhandler(practice.PracticeError)
def practice_error(error: practice.PracticeError) -> Response:
    db.session.rollback()
    return json_error(error.status, error.message)


@bp.post("/lessons/<lesson_id>")
@roles_required(Role.TRAINEE)
def start(lesson_id: str) -> tuple[Response, int]:
    session = practice.start_lesson_session(_user(), lesson_id)
    db.session.commit()
    return jsonify(session_id=session.id, items=_public_items(session.item_ids)), 201


def _public_items(item_ids: list[str]) -> list[dict[str, Any]]:
    furigana = _user().furigana
    items = [practice.public_item(item_id, furigana) for item_id in item_ids]
    for item in items:
        if item["type"] == "listening":
            item["audio_url"] = url_for("learn.listening_audio", item_id=item["id"])
    return items


@bp.post("/sets/<level>/<kind>")
@roles_required(Role.TRAINEE)
def start_set(level: str, kind: str) -> tuple[Response, int]:
    session = practice.start_set_session(_user(), level, kind)
    db.session.commit()
    return jsonify(session_id=session.id, items=_public_items(session.item_ids)), 201


@bp.post("/review")
@roles_required(Role.TRAINEE)
def start_review() -> tuple[Response, int]:
    session = review.start_review_session(_user(), now())
    if session is None:
        raise practice.PracticeError("Nothing is due for review now.", 404)
    db.session.commit()
    return jsonify(session_id=session.id, items=_public_items(session.item_ids)), 201


@bp.post("/<int:session_id>/answers")
@roles_required(Role.TRAINEE)
def answer(session_id: int) -> tuple[Response, int]:
    data = _body()
    item_id = data.get("item_id")
    if not isinstance(item_id, str):
        raise practice.PracticeError("Say which item this answers (item_id).", 422)
    ms = data.get("response_ms")
    graded = answering.answer(
        _user(),
        session_id,
        item_id,
        data.get("answer"),
        client_key=str(data.get("key") or ""),
        response_ms=ms if isinstance(ms, int) else None,
        now=now(),
    )
    reply = _verdict(graded)  # built before the commit, which would expire what it reads
    db.session.commit()  # stored before the page can show it as graded
    return jsonify(reply), 200 if graded.repeated else 201


def _verdict(graded: answering.Graded) -> dict[str, Any]:
    response = graded.response
    shown = practice.with_furigana(
        {"explanation": graded.explanation, "expected": graded.expected},
        _user().furigana,
        graded.level,
    )
    return {
        "response_id": response.id,
        "correct": response.correct,
        "score": response.score,
        "retry": response.retry,
        "feedback": practice.feedback_in(response.feedback, gettext),
        "repeated": graded.repeated,
        **shown,
    }


@bp.post("/<int:session_id>/end")
@roles_required(Role.TRAINEE)
def end(session_id: int) -> Response:
    summary = practice.end_session(_user(), session_id, now())
    db.session.commit()
    return jsonify(summary)


@bp.post("/answers/<int:response_id>/dispute")
@roles_required(Role.TRAINEE)
def dispute(response_id: int) -> tuple[Response, int]:
    note = _body().get("note", "")
    made = practice.dispute(_user(), response_id, note if isinstance(note, str) else "")
    db.session.commit()
    return jsonify(dispute_id=made.id, status=made.status), 201
