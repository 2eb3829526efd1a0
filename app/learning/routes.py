"""The course map, lesson pages and example audio (for every signed-in user)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts.access import roles_required
from app.audio_cache import audio_cache_dir
from app.content.kanji import kanji_facts
from app.content.render import ruby
from app.learning import practice, progress, readiness, report, review, services
from app.learning.clock import now
from app.models import Role

bp = Blueprint("learn", __name__, url_prefix="/learn")


@bp.get("/")
@login_required
def course() -> str:
    levels = {level: services.course_map(level) for level in services.LEVELS}
    states = {}
    if not current_user.role.is_staff:  # staff see the course unlocked
        lessons = [lesson for units in levels.values() for unit in units for lesson in unit.lessons]
        states = progress.lesson_states(current_user._get_current_object(), lessons)
    sets = {
        level: [kind for kind in practice.SET_TYPES if practice.set_items(level, kind)]
        for level in services.LEVELS
    }
    return render_template("learning/course.html", levels=levels, states=states, sets=sets)


@bp.get("/<lesson_id>")
@login_required
def lesson(lesson_id: str) -> str:
    found = services.live_lesson(lesson_id) or abort(404)
    audio = url_for("learn.example_audio", lesson_id=found.id, number=0)
    body = services.lesson_html(
        found.body,
        found.level,
        current_user.furigana,
        _("Play"),
        audio.replace("/0.mp3", "/{n}.mp3"),
    )
    prerequisites = [
        p for p in (services.live_lesson(i) for i in found.meta.get("prerequisites", [])) if p
    ]
    state = None
    if not current_user.role.is_staff:
        state = progress.lesson_states(current_user._get_current_object(), [found])[found.id]
    return render_template(
        "learning/lesson.html",
        lesson=found,
        body=body,
        words=services.vocabulary_panel(found.meta.get("vocabulary", [])),
        kanji=[k for k in (kanji_facts(c) for c in found.meta.get("kanji", [])) if k],
        prerequisites=prerequisites,
        state=state,
        can_practise=services.has_practice(found.id),
    )


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


@bp.get("/progress")
@roles_required(Role.TRAINEE)
def progress_page() -> str:
    user, moment = current_user._get_current_object(), now()
    standing = progress.standing(user, moment)
    answers = report.answers_of(user)  # one query for every figure below
    sections = report.section_stats(user, answers)
    weak = report.weakest_points(user, answers=answers)
    return render_template(
        "learning/progress.html",
        standing=standing,
        readiness=readiness.for_user(user, standing.levels, sections),
        sections=sections,
        weeks=report.weekly_accuracy(user, moment, answers=answers),
        weak=weak,
        weak_lessons=report.lessons_teaching([p.skill for p in weak]),
        forecast=review.forecast(user, moment),
    )


@bp.get("/sessions/<int:session_id>")
@roles_required(Role.TRAINEE)
def past_session(session_id: int) -> str:
    """A past practice session: each question as it was answered, the answer, the key."""
    user = current_user._get_current_object()
    try:
        answers = practice.session_review(user, session_id)
    except practice.PracticeError:
        abort(404)
    session = practice.session_for(user, session_id)
    lesson = services.live_lesson(session.lesson_id) if session.lesson_id else None
    return render_template(
        "learning/session.html",
        session=session,
        lesson=lesson,
        answers=answers,
        feedback=lambda r: practice.feedback_in(r.feedback, _),
        ruby=ruby,
    )


@bp.get("/sets/<level>/<kind>")
@roles_required(Role.TRAINEE)
def practise_set(level: str, kind: str) -> str:
    if level not in services.LEVELS or not practice.set_items(level, kind):
        abort(404)
    titles = {"listening": _("Listening practice"), "reading": _("Reading practice")}
    return render_template(
        "learning/practice.html",
        title=f"JLPT {level} · {titles[kind]}",
        start_url=url_for("practice.start_set", level=level, kind=kind),
    )


@bp.get("/<lesson_id>/practice")
@roles_required(Role.TRAINEE)
def practise(lesson_id: str) -> str | Response:
    found = services.live_lesson(lesson_id) or abort(404)
    if not services.has_practice(found.id):
        abort(404)
    if progress.lesson_states(current_user._get_current_object(), [found])[found.id].locked:
        return redirect(url_for("learn.lesson", lesson_id=found.id))  # it says what opens it
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
    path = services.example_audio(found, number, audio_cache_dir()) or abort(404)
    return send_file(path, mimetype="audio/mpeg", max_age=86400)


@bp.get("/items/<item_id>/listening.mp3")
@login_required
def listening_audio(item_id: str) -> Response:
    path = services.listening_audio(item_id, audio_cache_dir()) or abort(404)
    return send_file(path, mimetype="audio/mpeg", max_age=86400)
