"""SQLAlchemy models, one module per domain; importing this registers them all."""

from app.models.centres import Centre
from app.models.cohorts import Cohort, CohortMembership, cohort_instructors
from app.models.content import Item, Lesson
from app.models.learning import Dispute, PracticeSession, Response, ReviewCard
from app.models.users import PasswordReset, Role, User

__all__ = [
    "Centre",
    "Cohort",
    "CohortMembership",
    "Dispute",
    "Item",
    "Lesson",
    "PasswordReset",
    "PracticeSession",
    "Response",
    "ReviewCard",
    "Role",
    "User",
    "cohort_instructors",
]
