"""The trainee's mock exam: choose a level and start, sit it section by section (a page
that talks JSON to the endpoints below), and read the result.

Every endpoint works on the server's clock (``app.learning.clock.now``); the page shows
the time the server says is left and re-syncs with every response.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask import Response as FlaskResponse
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts.access import roles_required
from app.errors import json_error, json_object, render_error
from app.exam import attempts, windows
from app.exam.blueprint import LEVELS, MOCK
from app.exam.certification_links import certificate_links
from app.extensions import db
from app.labels import SECTION_NAMES
from app.learning.clock import now
from app.models import Role

bp = Blueprint("exam", __name__, url_prefix="/exam")

MAX_BODY = 64 * 1024

PART_NAMES = {
    "kanji-reading": _l("Kanji reading"),
    "orthography": _l("Writing words"),
    "contextual-vocabulary": _l("Words in context"),
    "paraphrase": _l("Same meaning"),
    "usage": _l("Word usage"),
    "grammar-form": _l("Grammar form"),
    "sentence-composition": _l("Sentence building"),
    "text-grammar": _l("Grammar in a text"),
    "short-text": _l("Short texts"),
    "mid-text": _l("Longer texts"),
    "information-retrieval": _l("Finding information"),
    "task": _l("Task-based listening"),
    "point": _l("Listening for the point"),
    "utterance": _l("What do you say?"),
    "quick-response": _l("Quick response"),
}
GROUP_NAMES = {
    "knowledge-reading": _l("Language knowledge and reading"),
    "listening": _l("Listening"),
}


def _user():  # type: ignore[no-untyped-def]
    return current_user._get_current_object()


def _wants_json() -> bool:
    return request.method != "GET" or request.path.endswith("/state")


@bp.errorhandler(attempts.ExamError)
def exam_error(error: attempts.ExamError) -> Any:
    db.session.rollback()
    if _wants_json():
        return json_error(error.status, error.message)
    return render_error(error.status, error.message)


@bp.before_request
def exam_room_only() -> Any:
    """Requests about an attempt sat in a window limited to the exam room's networks must
    come from there (``windows.check_room``); the refusal is kept in the audit log."""
    attempt_id = (request.view_args or {}).get("attempt_id")
    if attempt_id is None or not current_user.is_authenticated:
        return None  # not an attempt's request, or the view's own sign-in check answers
    try:
        windows.check_room(_user(), attempt_id, request.remote_addr, now())
    except windows.AccessRefusedError as refused:
        db.session.commit()  # the audit record
        if _wants_json():
            return json_error(refused.status, str(refused.message))
        return render_error(refused.status, str(refused.message))
    return None


@bp.get("/mock")
@roles_required(Role.TRAINEE)
def mock() -> str:
    user = _user()
    return render_template(
        "exam/mock.html",
        blueprints=[MOCK[level].to_dict() for level in LEVELS],
        active=attempts.active_attempt(user.id),
        past=attempts.past_attempts(user.id, "mock"),
        section_names=SECTION_NAMES,
        group_names=GROUP_NAMES,
    )


@bp.post("/mock")
@roles_required(Role.TRAINEE)
def start_mock() -> Response:
    level = request.form.get("level", "")
    if level not in LEVELS:
        abort(400)
    try:
        attempt, resumed = attempts.start(_user(), level, "mock", now=now())
    except attempts.ExamError:
        db.session.rollback()
        flash(
            _("There are not enough practice items for a mock exam at this level yet."), "warning"
        )
        return redirect(url_for("exam.mock"))
    db.session.commit()
    if resumed:
        flash(_("You already have an exam in progress: here it is."), "info")
    return redirect(url_for("exam.sit", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@roles_required(Role.TRAINEE)
def sit(attempt_id: int) -> str | Response:
    attempt = attempts.attempt_for(_user(), attempt_id, lock=True)
    attempts.catch_up(attempt, now())
    db.session.commit()
    if attempt.status != "active":
        return redirect(url_for("exam.result", attempt_id=attempt.id))
    return render_template(
        "exam/sit.html",
        attempt=attempt,
        section_names={key: str(name) for key, name in SECTION_NAMES.items()},  # for JSON
        part_names={key: str(name) for key, name in PART_NAMES.items()},
    )


def _state(attempt_id: int) -> FlaskResponse:
    state = attempts.section_state(_user(), attempt_id, now())
    db.session.commit()
    if state["section"]:
        for part in state["section"]["parts"]:
            for item in part["items"]:
                if item["type"] == "listening":
                    item["audio_url"] = url_for("learn.listening_audio", item_id=item["id"])
    else:
        state["result_url"] = url_for("exam.result", attempt_id=attempt_id)
    return jsonify(state)


@bp.get("/attempts/<int:attempt_id>/state")
@roles_required(Role.TRAINEE)
def state(attempt_id: int) -> FlaskResponse:
    return _state(attempt_id)


def _body() -> dict[str, Any]:
    return json_object(attempts.ExamError, MAX_BODY)


@bp.post("/attempts/<int:attempt_id>/answers")
@roles_required(Role.TRAINEE)
def answer(attempt_id: int) -> FlaskResponse:
    data = _body()
    item_id = data.get("item_id")
    if not isinstance(item_id, str) or "answer" not in data:
        raise attempts.ExamError("Say which item this answers (item_id) and the answer.", 422)
    moment = now()
    saved = attempts.save_answer(_user(), attempt_id, item_id, data["answer"], moment)
    db.session.commit()  # stored before the page shows it as saved
    attempt = saved.attempt
    return jsonify(
        saved=True,
        item_id=saved.item_id,
        section_index=attempt.section_index,
        remaining_seconds=attempts.remaining(attempt, moment),
    )


@bp.post("/attempts/<int:attempt_id>/sections/<int:index>/submit")
@roles_required(Role.TRAINEE)
def submit(attempt_id: int, index: int) -> FlaskResponse:
    attempts.submit_section(_user(), attempt_id, index, now())
    db.session.commit()
    return _state(attempt_id)


@bp.get("/attempts/<int:attempt_id>/result")
@roles_required(Role.TRAINEE)
def result(attempt_id: int) -> str | Response:
    attempt = attempts.attempt_for(_user(), attempt_id, lock=True)
    attempts.catch_up(attempt, now())  # an attempt whose time ran out is scored now
    db.session.commit()
    if attempt.status == "active":
        return redirect(url_for("exam.sit", attempt_id=attempt.id))
    if attempt.scores is None:  # invalidated before it was scored
        reason = attempt.invalidated_reason
        flash(_("This attempt was invalidated: %(reason)s", reason=reason), "warning")
        return redirect(url_for("certify.index"))
    return render_template(
        "exam/result.html",
        attempt=attempt,
        section_names=SECTION_NAMES,
        group_names=GROUP_NAMES,
        certificate_links=certificate_links(attempt),
    )
