"""Centre and cohort operations; they flush, the caller commits."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.policy import roles_assignable_by, visible_cohorts
from app.accounts.services import AccountError, create_user
from app.extensions import db
from app.learning.services import live_lesson
from app.lib.tokens import new_join_code
from app.models import Centre, Cohort, CohortLesson, CohortMembership, Role, User
from app.models._columns import utcnow

log = logging.getLogger(__name__)

LEVELS = ("N5", "N4")


def create_centre(name: str, city: str = "") -> Centre:
    name = " ".join(name.split())
    if not name:
        raise AccountError(_l("Enter a name."), "name")
    if db.session.scalar(select(Centre.id).where(Centre.name == name)) is not None:
        raise AccountError(_l("A centre with this name already exists."), "name")
    centre = Centre(name=name, city=" ".join(city.split()))
    db.session.add(centre)
    db.session.flush()
    return centre


def centres_for(actor: User) -> Sequence[Centre]:
    """Centres an actor may place people and cohorts in."""
    query = select(Centre).order_by(Centre.name)
    if actor.role is not Role.PROGRAMME_ADMIN:
        query = query.where(Centre.id == actor.centre_id)
    return db.session.scalars(query).all()


def cohort_for(actor: User, cohort_id: int) -> Cohort | None:
    """The cohort if the actor may see it; None hides other centres' cohorts entirely."""
    return db.session.scalar(visible_cohorts(actor).where(Cohort.id == cohort_id))


def instructors_at(centre_ids: Sequence[int]) -> Sequence[User]:
    return db.session.scalars(
        select(User)
        .where(User.centre_id.in_(centre_ids), User.role == Role.INSTRUCTOR, User.is_active)
        .order_by(User.name)
    ).all()


def _unused_join_code() -> str:
    while True:
        code = new_join_code()
        if db.session.scalar(select(Cohort.id).where(Cohort.join_code == code)) is None:
            return code


def create_cohort(
    actor: User,
    *,
    centre: Centre,
    name: str,
    target_level: str,
    starts_on: date,
    ends_on: date,
    instructor_ids: Sequence[int],
    code_days: int,
) -> Cohort:
    if centre not in centres_for(actor):
        raise AccountError(_l("You cannot create cohorts at this centre."), "centre")
    name = " ".join(name.split())
    if not name:
        raise AccountError(_l("Enter a name."), "name")
    if target_level not in LEVELS:
        raise AccountError(_l("Choose N5 or N4."), "target_level")
    if ends_on < starts_on:
        raise AccountError(_l("The end date must be after the start date."), "ends_on")
    duplicate = select(Cohort.id).where(Cohort.centre_id == centre.id, Cohort.name == name)
    if db.session.scalar(duplicate) is not None:
        raise AccountError(_l("This centre already has a cohort with this name."), "name")
    allowed = {user.id: user for user in instructors_at([centre.id])}
    if unknown := set(instructor_ids) - set(allowed):
        log.warning("instructors outside the centre offered", extra={"ids": sorted(unknown)})
        raise AccountError(_l("Choose instructors from this centre."), "instructors")
    instructors = [allowed[i] for i in instructor_ids]
    if actor.role is Role.INSTRUCTOR and actor not in instructors:
        instructors.append(actor)
    cohort = Cohort(
        centre=centre,
        name=name,
        target_level=target_level,
        starts_on=starts_on,
        ends_on=ends_on,
        instructors=instructors,
        join_code=_unused_join_code(),
        join_code_expires_at=utcnow() + timedelta(days=code_days),
    )
    db.session.add(cohort)
    db.session.flush()
    log.info("cohort created", extra={"cohort_id": cohort.id, "by": actor.id})
    return cohort


def renew_join_code(cohort: Cohort, days: int) -> str:
    """A new code replaces the old one at once; the old one stops working."""
    cohort.join_code = _unused_join_code()
    cohort.join_code_expires_at = utcnow() + timedelta(days=days)
    db.session.flush()
    return cohort.join_code


# ---- lessons assigned with due dates ---------------------------------------------------


def assign_lessons(cohort: Cohort, lesson_ids: Sequence[str], due_on: date) -> int:
    """Assign lessons due on a date; a lesson already assigned gets the new date, so an
    instructor moves a deadline by assigning again. Returns how many were given."""
    if not lesson_ids:
        raise AccountError(_l("Choose at least one lesson."), "lessons")
    found = [live_lesson(lesson_id) for lesson_id in dict.fromkeys(lesson_ids)]
    lessons = [lesson for lesson in found if lesson is not None]
    if len(lessons) < len(found):
        raise AccountError(_l("Choose lessons from the course."), "lessons")
    current = {a.lesson_id: a for a in cohort.assignments}
    for lesson in lessons:
        if lesson.id in current:
            current[lesson.id].due_on = due_on
        else:
            cohort.assignments.append(CohortLesson(lesson=lesson, due_on=due_on))
    db.session.flush()
    log.info(
        "lessons assigned",
        extra={"cohort_id": cohort.id, "lessons": len(lessons), "due_on": due_on.isoformat()},
    )
    return len(lessons)


def unassign_lesson(cohort: Cohort, lesson_id: str) -> bool:
    """Take a lesson off the cohort's schedule; trainees' answers are untouched."""
    found = next((a for a in cohort.assignments if a.lesson_id == lesson_id), None)
    if found is None:
        return False
    cohort.assignments.remove(found)
    db.session.flush()
    log.info("lesson unassigned", extra={"cohort_id": cohort.id, "lesson_id": lesson_id})
    return True


# ---- trainees moving between cohorts ---------------------------------------------------


def membership(cohort: Cohort, user_id: int) -> CohortMembership | None:
    """A trainee's place in this cohort; None for anyone who is not a member."""
    return next((m for m in cohort.memberships if m.user_id == user_id), None)


def move_targets(actor: User, cohort: Cohort) -> Sequence[Cohort]:
    """The other cohorts a trainee of ``cohort`` may be moved to by this actor: centre
    staff stay within their centre (visible_cohorts already confines them)."""
    query = visible_cohorts(actor).where(Cohort.id != cohort.id)
    return db.session.scalars(query).all()


def move_trainee(actor: User, place: CohortMembership, target: Cohort) -> None:
    """Move the membership itself, so nothing but the cohort changes: the trainee's
    answers and progress belong to them, not to a cohort. A programme admin moving a
    trainee to another centre's cohort hands the trainee to that centre's staff."""
    if target not in move_targets(actor, place.cohort):
        raise AccountError(_l("Choose another cohort of this centre."), "target")
    if membership(target, place.user_id) is not None:
        raise AccountError(_l("This trainee is already in that cohort."), "target")
    source = place.cohort
    place.cohort = target
    place.joined_at = utcnow()
    if place.user.centre_id != target.centre_id:
        place.user.centre_id = target.centre_id
    db.session.flush()
    log.info(
        "trainee moved",
        extra={"user_id": place.user_id, "from": source.id, "to": target.id, "by": actor.id},
    )


def remove_trainee(actor: User, place: CohortMembership) -> None:
    """Delete only the membership: the account, answers and reviews stay."""
    cohort_id, user_id = place.cohort_id, place.user_id
    place.cohort.memberships.remove(place)
    db.session.flush()
    log.info("trainee removed", extra={"user_id": user_id, "cohort_id": cohort_id, "by": actor.id})


def create_staff(
    actor: User,
    *,
    name: str,
    email: str,
    role: Role,
    centre: Centre | None,
    password: str | None = None,
) -> User:
    """An admin creates an instructor or admin; a reset link then lets them set a password."""
    if role not in roles_assignable_by(actor):
        raise AccountError(_l("You cannot create accounts with this role."), "role")
    if role is Role.PROGRAMME_ADMIN:
        centre = None
    elif centre is None or centre not in centres_for(actor):
        raise AccountError(_l("Choose the training centre this person belongs to."), "centre")
    return create_user(name=name, email=email, password=password, role=role, centre=centre)
