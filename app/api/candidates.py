"""Candidates as the recruitment system sees them: by Hashi id, by its own external id,
by CNIC, and as a filtered, cursor-paged list. Only candidates who agreed to share
their status exist here; everyone else is a 404, the same as an unknown id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, current_app

from app.api import cursors
from app.api.auth import requires
from app.api.blueprints import api_blueprint
from app.api.errors import ApiError
from app.api.schemas import (
    CANDIDATE_EXAMPLE,
    MAX_LIMIT,
    CandidatePageSchema,
    CandidateQuerySchema,
    CandidateSchema,
)
from app.lib.cnic import InvalidCNICError, normalise_cnic
from app.recruitment import views
from app.recruitment.views import Stored

blp = api_blueprint("Candidates", "Candidates who agreed to share their certification status.")

SCOPE = "candidates:read"
F = TypeVar("F", bound=Callable[..., Any])
CURSOR_KIND = "candidates"
NOT_FOUND = "There is no candidate with that id who shares their status."


def _send(found: Stored | None) -> Response:
    """The stored document as it is: it was written in the schema's shape when built
    (tests/test_api_contract.py checks it), so it is not parsed and dumped again."""
    if found is None:
        raise ApiError(404, "candidate_not_found", NOT_FOUND)
    blp.set_etag(found.etag)  # answers 304 here when the client's copy is current
    return current_app.response_class(f"{found.body}\n", mimetype="application/json")


def _one_candidate(view: F) -> F:
    """What the three ways of finding one candidate share: the key and scope, the ETag,
    the document's schema and the 404."""
    documented = blp.alt_response(
        404, response="NOT_FOUND", description="No such consenting candidate."
    )(view)
    documented = blp.response(200, CandidateSchema, example=CANDIDATE_EXAMPLE)(documented)
    return requires(blp, SCOPE)(blp.etag(documented))  # type: ignore[no-any-return]


@blp.route("/candidates/<int(max=2147483647):hashi_id>")
@_one_candidate
def by_hashi_id(hashi_id: int) -> Response:
    """A candidate by Hashi's id."""
    return _send(views.find(hashi_id=hashi_id))


@blp.route("/candidates/by-external-id/<string:external_id>")
@_one_candidate
def by_external_id(external_id: str) -> Response:
    """A candidate by the recruitment system's own id for them."""
    return _send(views.find(external_id=external_id))


@blp.route("/candidates/by-cnic/<string:cnic>")
@_one_candidate
@blp.alt_response(
    422, response="UNPROCESSABLE_ENTITY", description="Not a 13-digit CNIC (`invalid_cnic`)."
)
def by_cnic(cnic: str) -> Response:
    """A candidate by CNIC: 13 digits, with or without the dashes (`35202-1234567-1`)."""
    try:
        digits = normalise_cnic(cnic)
    except InvalidCNICError:
        raise ApiError(
            422,
            "invalid_cnic",
            "A CNIC is 13 digits, with or without dashes: 35202-1234567-1.",
        ) from None
    return _send(views.find(cnic=digits))


@blp.route("/candidates")
@requires(blp, SCOPE)
@blp.etag
@blp.arguments(CandidateQuerySchema, location="query", unknown="raise", as_kwargs=True)
@blp.response(200, CandidatePageSchema)
@blp.alt_response(400, response="BAD_REQUEST", description="Bad or unknown query parameter.")
def candidate_list(
    limit: int,
    cohort: int | None = None,
    status: str | None = None,
    level: str | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Candidates in Hashi id order, filtered; page with `next_cursor`."""
    after = cursors.decode(CURSOR_KIND, cursor)
    size = min(limit, MAX_LIMIT)
    found = views.page(cohort_id=cohort, status=status, level=level, after_id=after, limit=size + 1)
    page = found[:size]
    return {
        "candidates": [document.data() for document in page],
        "next_cursor": cursors.encode(CURSOR_KIND, page[-1].user_id) if len(found) > size else None,
    }
