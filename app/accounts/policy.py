"""Who may see and manage whom: centre staff see only their centre."""

from __future__ import annotations

from sqlalchemy import Select, select

from app.models import Cohort, Role, User


def can_manage_user(actor: User, target: User) -> bool:
    """May ``actor`` issue a reset link for, or edit, ``target``?"""
    if actor.id == target.id:
        return False
    if actor.role is Role.PROGRAMME_ADMIN:
        return True
    if target.centre_id is None or target.centre_id != actor.centre_id:
        return False
    if actor.role is Role.CENTRE_ADMIN:
        return target.role is not Role.PROGRAMME_ADMIN
    if actor.role is Role.INSTRUCTOR:
        return target.role is Role.TRAINEE
    return False


def roles_assignable_by(actor: User) -> tuple[Role, ...]:
    """The roles an admin may give to accounts they create."""
    if actor.role is Role.PROGRAMME_ADMIN:
        return (Role.INSTRUCTOR, Role.CENTRE_ADMIN, Role.PROGRAMME_ADMIN)
    if actor.role is Role.CENTRE_ADMIN:
        return (Role.INSTRUCTOR, Role.CENTRE_ADMIN)
    return ()


def visible_users(actor: User) -> Select[tuple[User]]:
    query = select(User).order_by(User.name)
    if actor.role is Role.PROGRAMME_ADMIN:
        return query
    query = query.where(User.centre_id == actor.centre_id)
    if actor.role is Role.INSTRUCTOR:
        query = query.where(User.role == Role.TRAINEE)
    return query


def visible_cohorts(actor: User) -> Select[tuple[Cohort]]:
    query = select(Cohort).order_by(Cohort.starts_on.desc(), Cohort.name)
    if actor.role is Role.PROGRAMME_ADMIN:
        return query
    return query.where(Cohort.centre_id == actor.centre_id)
