"""Role checks for views: every view names who may use it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required

from app.models import Role

P = ParamSpec("P")
R = TypeVar("R")

STAFF = (Role.INSTRUCTOR, Role.CENTRE_ADMIN, Role.PROGRAMME_ADMIN)
ADMINS = (Role.CENTRE_ADMIN, Role.PROGRAMME_ADMIN)


def roles_required(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Sign-in required, then 403 for anyone whose role is not listed."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        guarded = login_required(wrapped)
        guarded.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return guarded

    return decorator
