"""The change feed: every status change of a consenting candidate, in id order.

The cursor is the id of the last change handed out, and ``next_cursor`` is returned on
every call (the same one when nothing is new), so a client that stores it after each
call and passes it back never misses or repeats a change.
"""

from __future__ import annotations

from flask import Response, jsonify, request

from app.api import cursors
from app.api.auth import requires
from app.api.blueprints import api_blueprint
from app.api.schemas import MAX_LIMIT, ChangePageSchema, ChangeQuerySchema, ChangeSchema
from app.recruitment import status as recruitment

blp = api_blueprint("Changes", "Certification status changes since a cursor, in order.")

CURSOR_KIND = "changes"
CHANGES_EXAMPLE = {
    "changes": [
        {
            "id": 1041,
            "candidate_id": 42,
            "external_id": "RS-2026-0042",
            "level": "N5",
            "old_status": "exam-scheduled",
            "new_status": "passed",
            "cause": "attempt-finished",
            "at": "2026-06-01T09:31:00Z",
        }
    ],
    "next_cursor": "djE6Y2hhbmdlczoxMDQx",
    "has_more": False,
}
MAX_PAGE = MAX_LIMIT * 5
CHANGE_FIELDS = tuple(ChangeSchema().fields)


@blp.route("/changes")
@requires(blp, "certifications:read")
@blp.arguments(ChangeQuerySchema, location="query", unknown="raise", as_kwargs=True)
@blp.doc(parameters=["IF_NONE_MATCH"])
@blp.response(
    200,
    ChangePageSchema,
    example=CHANGES_EXAMPLE,
    headers={"ETag": "ETAG"},
)
@blp.alt_response(304, response="NOT_MODIFIED")
@blp.alt_response(400, response="BAD_REQUEST", description="Bad cursor or query parameter.")
def change_feed(limit: int, cursor: str | None = None) -> Response:
    """Status changes after `cursor`, oldest first."""
    after = cursors.decode(CURSOR_KIND, cursor)
    size = min(limit, MAX_PAGE)
    rows = recruitment.changes_since(after, size + 1)
    page = rows[:size]
    last = page[-1].id if page else after
    body = {
        # Built here rather than dumped through marshmallow: a page holds up to a thousand
        # changes and the schema's work was most of its cost. Only the documented fields
        # are copied, so the answer still cannot carry anything the document does not.
        "changes": [
            {name: item[name] for name in CHANGE_FIELDS}
            for item in (recruitment.change_json(c, c.external_id) for c in page)
        ],
        "next_cursor": cursors.encode(CURSOR_KIND, last),
        "has_more": len(rows) > size,
    }
    response = jsonify(body)
    response.add_etag()
    return response.make_conditional(request)
