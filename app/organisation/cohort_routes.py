"""Running a cohort: lessons due by a date, the progress dashboard and its CSV, one
trainee's page, moving or removing trainees, and its certification exam windows. Nested
in the ``teach`` blueprint, so every URL is under /teach/cohorts/<id>/ and a cohort
outside the viewer's centre is 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields import SelectChoice

from app.accounts.access import ADMINS, STAFF, roles_required
from app.accounts.forms import show_error
from app.accounts.services import AccountError
from app.errors import render_error
from app.exam import windows
from app.exam.attempts import ExamError
from app.exam.routes import GROUP_NAMES
from app.exam.window_forms import InvalidateForm, WindowForm
from app.extensions import db
from app.learning.clock import local_day, now
from app.learning.services import LEVELS, Unit, course_map
from app.models import Cohort, CohortMembership, ExamWindow, Lesson, User
from app.organisation import dashboard, services
from app.organisation.forms import AssignLessonsForm, ConfirmForm, MoveTraineeForm
from app.organisation.results_csv import results_csv

bp = Blueprint("tools", __name__, url_prefix="/cohorts/<int:cohort_id>")


def _cohort(cohort_id: int) -> Cohort:
    return services.cohort_for(current_user, cohort_id) or abort(404)


def _member(cohort: Cohort, user_id: int) -> CohortMembership:
    return services.membership(cohort, user_id) or abort(404)


def _actor() -> User:
    return current_user._get_current_object()


# ---- lessons assigned with due dates ---------------------------------------------------


def _lesson_choices(unit: Unit) -> list[SelectChoice]:
    return [SelectChoice(lesson.id, lesson.title) for lesson in unit.lessons]


Bound = tuple[str, AssignLessonsForm]  # a submitted unit form: (its prefix, the form)


def _unit_forms(level: str, bound: Bound | None = None) -> list[tuple[Unit, AssignLessonsForm]]:
    """(unit, form) for each unit of the level; one form per unit, each with its own
    prefix so field ids stay unique on the page."""
    forms = []
    for unit in course_map(level):
        prefix = f"{level}-{unit.name}"
        if bound and bound[0] == prefix:
            form = bound[1]
        else:
            form = AssignLessonsForm(formdata=None, prefix=prefix, due_on=local_day(now()))
        form.lessons.choices = _lesson_choices(unit)
        forms.append((unit, form))
    return forms


def _assignment_page(cohort: Cohort, level: str, bound: Bound | None = None) -> str:
    return render_template(
        "organisation/cohort_lessons.html",
        cohort=cohort,
        level=level,
        levels=LEVELS,
        units=_unit_forms(level, bound),
        remove_form=ConfirmForm(),
        today=local_day(now()),
    )


@bp.get("/lessons")
@roles_required(*STAFF)
def lessons(cohort_id: int) -> str:
    level = request.args.get("level", LEVELS[0])
    if level not in LEVELS:
        abort(404)
    return _assignment_page(_cohort(cohort_id), level)


@bp.post("/lessons/<level>/<unit>")
@roles_required(*STAFF)
def assign(cohort_id: int, level: str, unit: str) -> str | Response:
    cohort = _cohort(cohort_id)
    found = (
        next((u for u in course_map(level) if u.name == unit), None) if level in LEVELS else None
    )
    if found is None:
        abort(404)
    form = AssignLessonsForm(prefix=f"{level}-{unit}")
    form.lessons.choices = _lesson_choices(found)
    if form.validate_on_submit():
        chosen = [x.id for x in found.lessons] if form.whole_unit.data else form.lessons.data
        try:
            count = services.assign_lessons(cohort, chosen or [], form.due_on.data)
        except AccountError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(
                ngettext("%(num)d lesson assigned.", "%(num)d lessons assigned.", count), "success"
            )
            return redirect(url_for("teach.tools.lessons", cohort_id=cohort.id, level=level))
    return _assignment_page(cohort, level, (f"{level}-{unit}", form))


@bp.post("/assignments/<lesson_id>/remove")
@roles_required(*STAFF)
def unassign(cohort_id: int, lesson_id: str) -> Response:
    cohort = _cohort(cohort_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not services.unassign_lesson(cohort, lesson_id):
        abort(404)
    level = lesson.level if (lesson := db.session.get(Lesson, lesson_id)) else LEVELS[0]
    db.session.commit()
    flash(_("The lesson is no longer assigned."), "success")
    return redirect(url_for("teach.tools.lessons", cohort_id=cohort.id, level=level))


# ---- progress ------------------------------------------------------------------------


@bp.get("/progress")
@roles_required(*STAFF)
def progress(cohort_id: int) -> str:
    cohort = _cohort(cohort_id)
    sort = request.args.get("sort", "behind")
    return render_template(
        "organisation/cohort_progress.html",
        cohort=cohort,
        progress=dashboard.cohort_progress(cohort, now(), sort),
        sort=sort if sort in dashboard.SORTS else "behind",
    )


@bp.get("/results.csv")
@roles_required(*STAFF)
def results(cohort_id: int) -> Response:
    cohort = _cohort(cohort_id)
    body = results_csv(dashboard.cohort_progress(cohort, now()))
    name = f"cohort-{cohort.id}-results-{local_day(now()).isoformat()}.csv"
    return Response(
        body.encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/trainees/<int:user_id>")
@roles_required(*STAFF)
def trainee(cohort_id: int, user_id: int) -> str:
    cohort = _cohort(cohort_id)
    place = _member(cohort, user_id)
    return render_template(
        "organisation/trainee.html",
        cohort=cohort,
        trainee=place.user,
        report=dashboard.trainee_report(cohort, place.user, now()),
    )


# ---- moving and removing trainees --------------------------------------------------------


@bp.route("/trainees/<int:user_id>/move", methods=["GET", "POST"])
@roles_required(*STAFF)
def move(cohort_id: int, user_id: int) -> str | Response:
    cohort = _cohort(cohort_id)
    place = _member(cohort, user_id)
    targets = services.move_targets(_actor(), cohort)
    form = MoveTraineeForm()
    form.target.choices = [SelectChoice(c.id, f"{c.name} ({c.centre.name})") for c in targets]
    if form.validate_on_submit():
        target = db.session.get(Cohort, form.target.data) or abort(404)
        name = place.user.name
        try:
            services.move_trainee(_actor(), place, target)
        except AccountError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s moved to %(cohort)s.", name=name, cohort=target.name), "success")
            return redirect(url_for("teach.cohort", cohort_id=cohort_id))
    return render_template(
        "organisation/trainee_move.html", cohort=cohort, trainee=place.user, form=form
    )


@bp.route("/trainees/<int:user_id>/remove", methods=["GET", "POST"])
@roles_required(*STAFF)
def remove(cohort_id: int, user_id: int) -> str | Response:
    cohort = _cohort(cohort_id)
    place = _member(cohort, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = place.user.name
        services.remove_trainee(_actor(), place)
        db.session.commit()
        flash(_("%(name)s is no longer in this cohort.", name=name), "success")
        return redirect(url_for("teach.cohort", cohort_id=cohort_id))
    return render_template(
        "organisation/trainee_remove.html", cohort=cohort, trainee=place.user, form=form
    )


# ---- certification exam windows ----------------------------------------------------------


def _window(cohort: Cohort, window_id: int) -> ExamWindow:
    return windows.window_of_cohort(cohort.id, window_id) or abort(404)


def _to_window(window: ExamWindow) -> Response:
    return redirect(
        url_for("teach.tools.exam_window", cohort_id=window.cohort_id, window_id=window.id)
    )


@bp.get("/windows")
@roles_required(*STAFF)
def exam_windows(cohort_id: int) -> str:
    cohort = _cohort(cohort_id)
    return render_template(
        "organisation/cohort_windows.html",
        cohort=cohort,
        windows=windows.windows_of_cohort(cohort.id),
        close_form=ConfirmForm(),
        now=now(),
    )


def _window_form_page(cohort: Cohort, form: WindowForm, window: ExamWindow | None) -> str:
    return render_template(
        "organisation/cohort_window_form.html", cohort=cohort, form=form, window=window
    )


@bp.route("/windows/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_window(cohort_id: int) -> str | Response:
    cohort = _cohort(cohort_id)
    form = WindowForm()
    if request.method == "GET":
        form.level.data = cohort.target_level
    if form.validate_on_submit():
        try:
            window = windows.create_window(_actor(), cohort.id, form.settings())
        except windows.WindowError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Exam window saved."), "success")
            return _to_window(window)
    return _window_form_page(cohort, form, None)


@bp.route("/windows/<int:window_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_window(cohort_id: int, window_id: int) -> str | Response:
    cohort = _cohort(cohort_id)
    window = _window(cohort, window_id)
    form = WindowForm()
    if request.method == "GET":
        form.fill_from(window)
    if form.validate_on_submit():
        try:
            windows.update_window(window, form.settings(), new_code=bool(form.new_code.data))
        except windows.WindowError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Exam window saved."), "success")
            return _to_window(window)
    return _window_form_page(cohort, form, window)


@bp.post("/windows/<int:window_id>/close")
@roles_required(*STAFF)
def close_window(cohort_id: int, window_id: int) -> Response:
    cohort = _cohort(cohort_id)
    window = _window(cohort, window_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    windows.close_window(window, now())
    db.session.commit()
    flash(_("The exam window is closed: nobody can start in it any more."), "success")
    return _to_window(window)


def _window_page(
    cohort: Cohort, window: ExamWindow, bound: tuple[int, InvalidateForm] | None = None
) -> str:
    return render_template(
        "organisation/cohort_window.html",
        cohort=cohort,
        window=window,
        candidates=windows.window_candidates(window),
        close_form=ConfirmForm(),
        invalidate_form=InvalidateForm(formdata=None),
        bound=bound,
        can_invalidate=_actor().role in ADMINS,
        group_names=GROUP_NAMES,
        now=now(),
    )


@bp.get("/windows/<int:window_id>")
@roles_required(*STAFF)
def exam_window(cohort_id: int, window_id: int) -> str:
    cohort = _cohort(cohort_id)
    return _window_page(cohort, _window(cohort, window_id))


@bp.post("/windows/<int:window_id>/attempts/<int:attempt_id>/invalidate")
@roles_required(*ADMINS)
def invalidate_attempt(
    cohort_id: int, window_id: int, attempt_id: int
) -> str | Response | tuple[str, int]:
    cohort = _cohort(cohort_id)
    window = _window(cohort, window_id)
    form = InvalidateForm()
    if form.validate_on_submit():
        try:
            windows.invalidate(
                _actor(), window, attempt_id, form.reason.data or "",
                now=now(), ip=request.remote_addr,
            )  # fmt: skip
        except windows.WindowError as error:
            db.session.rollback()
            show_error(form, error)
        except ExamError as error:
            db.session.rollback()
            return render_error(error.status, error.message)
        else:
            db.session.commit()
            flash(_("The attempt is invalidated."), "success")
            return _to_window(window)
    return _window_page(cohort, window, (attempt_id, form)), 422
