"""The request and response shapes of the API, as marshmallow schemas: flask-smorest
builds the OpenAPI document from these, and serialises every response through them, so
a response can carry nothing the document does not declare (no password hash can slip
out through a model that grew a column)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

STATUSES = ("not-started", "in-training", "exam-scheduled", "passed", "failed", "revoked")
LEVELS = ("N5", "N4")
EVENTS = (
    "certification.passed",
    "certification.failed",
    "certification.revoked",
    "candidate.updated",
)
MAX_LIMIT = 200
MAX_ID = 2**31 - 1  # ids above this exist in no table: refused before any query
DEFAULT_LIMIT = 50


class StrictSchema(ma.Schema):
    """Unknown fields are an error, not silently dropped: a typo in a filter must not
    widen a query."""

    class Meta:
        unknown = ma.RAISE


# ---- errors ------------------------------------------------------------------------------


class ErrorSchema(ma.Schema):
    code = fields.String(
        required=True,
        metadata={"description": "Stable machine-readable code.", "example": "not_found"},
    )
    message = fields.String(
        required=True,
        metadata={"description": "Plain English for a person reading the log."},
    )
    request_id = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Quote this when asking about a request (X-Request-ID)."},
    )
    details = fields.Dict(
        metadata={"description": "For validation errors: what was wrong, per location and field."}
    )


# ---- candidates --------------------------------------------------------------------------


DATE_TIME = {"format": "date-time"}


class CohortSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    target_level = fields.String(required=True, metadata={"enum": list(LEVELS)})


class LevelScoresSchema(ma.Schema):
    sections = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "Scaled score per JLPT score group."},
    )
    total = fields.Integer(allow_none=True, required=True)
    passed = fields.Boolean(required=True)
    sat_at = fields.String(allow_none=True, required=True, metadata=DATE_TIME)


class CertificateRefSchema(ma.Schema):
    id = fields.String(required=True)
    level = fields.String(required=True)
    issued_at = fields.String(required=True, metadata=DATE_TIME)
    status = fields.String(required=True, metadata={"enum": ["valid", "revoked"]})
    revoked_at = fields.String(allow_none=True, required=True, metadata=DATE_TIME)


class ExternalResultSchema(ma.Schema):
    id = fields.Integer(required=True)
    exam = fields.String(required=True, metadata={"enum": ["JLPT", "JFT-Basic"]})
    level = fields.String(allow_none=True, required=True)
    score = fields.Integer(allow_none=True, required=True)
    band = fields.String(allow_none=True, required=True)
    taken_on = fields.String(required=True, metadata={"format": "date"})
    certificate_number = fields.String(required=True)
    verification = fields.String(
        required=True,
        metadata={
            "enum": ["self-reported", "verified", "rejected"],
            "description": "`self-reported` until an admin has checked the scan.",
        },
    )


class CandidateSchema(ma.Schema):
    id = fields.Integer(required=True, metadata={"description": "Hashi's id (hashi_id)."})
    external_id = fields.String(
        allow_none=True, required=True, metadata={"description": "The recruitment system's id."}
    )
    name = fields.String(required=True)
    cohorts = fields.List(fields.Nested(CohortSchema), required=True)
    level_reached = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The highest level passed (and not revoked), if any."},
    )
    status = fields.Dict(
        keys=fields.String(),
        values=fields.String(metadata={"enum": list(STATUSES)}),
        required=True,
        metadata={"description": "Certification status per level (N5, N4)."},
    )
    scores = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(LevelScoresSchema, allow_none=True),
        required=True,
        metadata={"description": "Latest certification exam scores per level (null: none)."},
    )
    certificates = fields.List(fields.Nested(CertificateRefSchema), required=True)
    external_results = fields.List(fields.Nested(ExternalResultSchema), required=True)
    updated_at = fields.String(allow_none=True, required=True, metadata=DATE_TIME)


CANDIDATE_EXAMPLE = {
    "id": 42,
    "external_id": "RS-2026-0042",
    "name": "Ayesha Khan",
    "cohorts": [{"id": 3, "name": "Lahore spring 2026", "target_level": "N4"}],
    "level_reached": "N5",
    "status": {"N5": "passed", "N4": "in-training"},
    "scores": {
        "N5": {
            "sections": {"language_reading": 88, "listening": 41},
            "total": 129,
            "passed": True,
            "sat_at": "2026-06-01T09:30:00Z",
        },
        "N4": None,
    },
    "certificates": [
        {
            "id": "c8f2a1d07b3e4f5a",
            "level": "N5",
            "issued_at": "2026-06-01T09:31:00Z",
            "status": "valid",
            "revoked_at": None,
        }
    ],
    "external_results": [],
    "updated_at": "2026-06-01T09:31:00Z",
}


class CandidateQuerySchema(StrictSchema):
    cohort = fields.Integer(
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "Only this cohort's id."},
    )
    status = fields.String(validate=validate.OneOf(STATUSES))
    level = fields.String(validate=validate.OneOf(LEVELS))
    cursor = fields.String(
        validate=validate.Length(max=200),
        metadata={"description": "`next_cursor` of the previous page; omit for the first."},
    )
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1),
        metadata={
            "description": f"Page size; default {DEFAULT_LIMIT}, above {MAX_LIMIT} "
            f"is treated as {MAX_LIMIT}."
        },
    )


class CandidatePageSchema(ma.Schema):
    candidates = fields.List(fields.Nested(CandidateSchema), required=True)
    next_cursor = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Pass as `cursor` for the next page; null on the last page."},
    )


# ---- change feed -------------------------------------------------------------------------


class ChangeQuerySchema(StrictSchema):
    cursor = fields.String(
        validate=validate.Length(max=200),
        metadata={
            "description": "`next_cursor` of the previous call; omit to start at the beginning."
        },
    )
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT * 2,
        validate=validate.Range(min=1),
        metadata={
            "description": f"Page size; default {DEFAULT_LIMIT * 2}, above "
            f"{MAX_LIMIT * 5} is treated as {MAX_LIMIT * 5}."
        },
    )


class ChangeSchema(ma.Schema):
    id = fields.Integer(required=True, metadata={"description": "Strictly increasing."})
    candidate_id = fields.Integer(required=True, metadata={"description": "Hashi's id."})
    external_id = fields.String(allow_none=True, required=True)
    level = fields.String(required=True)
    old_status = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "null: the status as first shared (consent given)."},
    )
    new_status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    cause = fields.String(required=True)
    at = fields.String(required=True, metadata=DATE_TIME)


class ChangePageSchema(ma.Schema):
    changes = fields.List(fields.Nested(ChangeSchema), required=True)
    next_cursor = fields.String(
        required=True,
        metadata={
            "description": "Always present: store it and pass it on the next call, "
            "even when `changes` is empty."
        },
    )
    has_more = fields.Boolean(
        required=True, metadata={"description": "True: call again at once for the rest."}
    )


# ---- certificates ------------------------------------------------------------------------


class CertificateSchema(ma.Schema):
    id = fields.String(required=True)
    hashi_id = fields.Integer(required=True)
    candidate_name = fields.String(required=True)
    candidate_external_id = fields.String(allow_none=True, required=True)
    level = fields.String(required=True)
    scaled = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    total = fields.Integer(required=True)
    exam_date = fields.Date(required=True)
    issued_at = fields.DateTime(required=True)
    issuer = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": ["valid", "revoked", "invalid"]})
    revoked_at = fields.DateTime(allow_none=True, required=True)
    revoked_reason = fields.String(allow_none=True, required=True)
    kid = fields.String(required=True, metadata={"description": "The signing key's id."})
    payload = fields.String(
        required=True, metadata={"description": "The exact canonical JSON that was signed."}
    )
    signature = fields.String(
        required=True, metadata={"description": "Ed25519 over `payload`, base64url."}
    )


class VerificationSchema(ma.Schema):
    id = fields.String(required=True)
    status = fields.String(
        required=True, metadata={"enum": ["valid", "revoked", "invalid", "unknown"]}
    )
    level = fields.String(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    revoked_reason = fields.String(allow_none=True)


class JwkSchema(ma.Schema):
    kty = fields.String(required=True)
    crv = fields.String(required=True)
    x = fields.String(required=True)
    kid = fields.String(required=True)
    alg = fields.String()
    use = fields.String()


class JwksSchema(ma.Schema):
    keys = fields.List(fields.Nested(JwkSchema), required=True)


# ---- webhooks ----------------------------------------------------------------------------


class WebhookCreateSchema(StrictSchema):
    url = fields.String(
        required=True,
        validate=validate.Length(min=1, max=2000),
        metadata={"example": "https://recruitment.example.org/hooks/hashi"},
    )
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENTS)),
        required=True,
        validate=validate.Length(min=1, max=len(EVENTS)),
    )


class WebhookSchema(ma.Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    events = fields.List(fields.String(), required=True)
    created_at = fields.DateTime(required=True)


class WebhookCreatedSchema(WebhookSchema):
    secret = fields.String(
        required=True,
        metadata={"description": "The signing secret: shown this once, keep it safe."},
    )


class WebhookListSchema(ma.Schema):
    webhooks = fields.List(fields.Nested(WebhookSchema), required=True)


class PingSchema(ma.Schema):
    delivery_id = fields.Integer(required=True)
    event = fields.String(required=True)
    status = fields.String(required=True)
