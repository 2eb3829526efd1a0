"""SQLAlchemy models, one module per domain; importing this registers them all."""

from app.models.api_keys import ApiKey
from app.models.centres import Centre
from app.models.certificates import AuditEntry, Certificate, Consent, SigningKey
from app.models.cohorts import Cohort, CohortLesson, CohortMembership, cohort_instructors
from app.models.content import Item, Lesson
from app.models.exams import ExamAnswer, ExamAttempt, ExamWindow
from app.models.learning import Dispute, PracticeSession, Response, ReviewCard
from app.models.recruitment import (
    CandidateStatus,
    CandidateView,
    ExternalResult,
    StatusChange,
)
from app.models.users import PasswordReset, Role, User
from app.models.versions import ContentVersion
from app.models.webhooks import DeliveryAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiKey",
    "AuditEntry",
    "CandidateStatus",
    "CandidateView",
    "Centre",
    "Certificate",
    "Cohort",
    "CohortLesson",
    "CohortMembership",
    "Consent",
    "ContentVersion",
    "DeliveryAttempt",
    "Dispute",
    "ExamAnswer",
    "ExamAttempt",
    "ExamWindow",
    "ExternalResult",
    "Item",
    "Lesson",
    "PasswordReset",
    "PracticeSession",
    "Response",
    "ReviewCard",
    "Role",
    "SigningKey",
    "StatusChange",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
    "cohort_instructors",
]
