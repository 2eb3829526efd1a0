"""The course map, lesson pages and example audio (for every signed-in user)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts.access import roles_required
from app.content.kanji import above_level, kanji_facts
from app.content.render import render_lesson
from app.learning import review, services
from app.learning.clock import now
from app.models import Role

bp = Blueprint("learn", __name__, url_prefix="/learn")


def furigana_rule(mode: str, level: str) -> Callable[[str], bool] | None:
    """The reader's furigana setting as a rule per word (None shows every reading)."""
    if mode == "never":
        return lambda word: False
    if mode == "above-level":
        return lambda word: above_level(word, level)
    return None


@bp.get("/")
@login_required
def course() -> str:
    levels = {level: services.course_map(level) for level in services.LEVELS}
    return render_template("learning/course.html", levels=levels)


@bp.get("/<lesson_id>")
@login_required
def lesson(lesson_id: str) -> str:
    found = services.live_lesson(lesson_id) or abort(404)
    body = render_lesson(
        found.body,
        show_furigana=furigana_rule(current_user.furigana, found.level),
        audio_url=lambda n: url_for("learn.example_audio", lesson_id=found.id, number=n),
        play_label=_("Play"),
    )
    prerequisites = [
        p for p in (services.live_lesson(i) for i in found.meta.get("prerequisites", [])) if p
    ]
    return render_template(
        "learning/lesson.html",
        lesson=found,
        body=body,
        words=services.vocabulary_panel(found.meta.get("vocabulary", [])),
        kanji=[k for k in (kanji_facts(c) for c in found.meta.get("kanji", [])) if k],
        prerequisites=prerequisites,
        can_practise=services.has_practice(found.id),
    )


def _audio_cache() -> Path:
    configured = current_app.config.get("AUDIO_CACHE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "audio"


@bp.get("/review")
@roles_required(Role.TRAINEE)
def review_page() -> str:
    due = review.due_count(current_user._get_current_object(), now())
    return render_template(
        "learning/practice.html",
        title=_("Review"),
        start_url=url_for("practice.start_review"),
        due=due,
    )


@bp.get("/<lesson_id>/practice")
@roles_required(Role.TRAINEE)
def practise(lesson_id: str) -> str:
    found = services.live_lesson(lesson_id) or abort(404)
    if not services.has_practice(found.id):
        abort(404)
    return render_template(
        "learning/practice.html",
        lesson=found,
        title=_("Practice"),
        start_url=url_for("practice.start", lesson_id=found.id),
    )


@bp.get("/<lesson_id>/examples/<int:number>.mp3")
@login_required
def example_audio(lesson_id: str, number: int) -> Response:
    found = services.live_lesson(lesson_id) or abort(404)
    path = services.example_audio(found, number, _audio_cache()) or abort(404)
    return send_file(path, mimetype="audio/mpeg", max_age=86400)


@bp.get("/items/<item_id>/listening.mp3")
@login_required
def listening_audio(item_id: str) -> Response:
    path = services.listening_audio(item_id, _audio_cache()) or abort(404)
    return send_file(path, mimetype="audio/mpeg", max_age=86400)
