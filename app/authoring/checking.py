"""What is wrong with a lesson or item being edited, field by field, as the instructor
types: the same schema and the same content lint as `content check`, so the browser and
the files agree on what is publishable.

A problem is ``{"field", "message"}`` (the shape ``versions.VersionError`` uses too);
``field`` names the editor's input, "" when it concerns the whole form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from app.content.bundle import Bundle, Item
from app.content.bundle import Lesson as BundleLesson
from app.content.files import Example, ItemEntry, LessonFile, examples_in
from app.content.lint import lint
from app.content.schema import LessonFrontMatter
from app.extensions import db
from app.japanese.furigana import check_syntax
from app.models import Lesson
from app.questions import registry

Problems = list[dict[str, str]]
EDITED = "(editor)"  # the path the content lint sees for the object being edited
BODY_LINE = 10_000  # body lines are numbered from here, so they are told from front matter

# Rules a model checks across fields report no field: say which input they concern.
_RULE_FIELDS = (
    ("options must all be different", "options"),
    ("the answer must be", "answer"),
    ("star must be", "star"),
    ("chunks must all be different", "chunks"),
    ("unknown target form", "target"),
    ("the prompt needs exactly one gap", "prompt"),
)


def problem(name: str, message: str) -> dict[str, str]:
    return {"field": name, "message": message}


def _message(detail: dict[str, Any], name: str) -> str:
    kind = detail["type"]
    if kind == "missing":
        return "choose the right answer" if name == "answer" else "this field is required"
    if kind == "extra_forbidden":
        return "this field is not part of the format"
    if kind == "too_short" and isinstance(detail.get("input"), list):
        return f"add at least {detail['ctx']['min_length']}"
    if kind == "too_long" and isinstance(detail.get("input"), list):
        return f"at most {detail['ctx']['max_length']}"
    return str(detail["msg"]).removeprefix("Value error, ")


def schema_problems(error: ValidationError) -> Problems:
    """Pydantic's errors as one problem per field, in plain words."""
    out: Problems = []
    for detail in error.errors():
        where = [str(part) for part in detail["loc"]]
        message = _message(detail, where[0] if where else "")
        name = where[0] if where else ""
        if not name:
            name = next((f for start, f in _RULE_FIELDS if message.startswith(start)), "")
        found = problem(name, message)
        if found not in out:
            out.append(found)
    return out


@dataclass
class Checked:
    """The validated model (None when the schema refuses the data) and every problem."""

    model: BaseModel | None
    problems: Problems = field(default_factory=list)

    def on(self, name: str) -> list[str]:
        return [p["message"] for p in self.problems if p["field"] == name]


def _known_lessons(ids: list[str]) -> dict[str, BundleLesson]:
    """Stand-ins for lessons the database holds, so lint's references resolve; their own
    problems are not reported (they are not the object being edited)."""
    found = db.session.scalars(select(Lesson).where(Lesson.id.in_(ids))).all() if ids else []
    return {
        row.id: BundleLesson(
            LessonFrontMatter.model_validate(row.meta), LessonFile(row.id, {}, "", 1)
        )
        for row in found
        if row.retired_at is None
    }


def check_lesson(front: dict[str, Any], body: str) -> Checked:
    """Schema, furigana syntax and the content lint for one lesson."""
    problems = [problem("body", message) for message in check_syntax(body)]
    try:
        meta = LessonFrontMatter.model_validate(front)
    except ValidationError as error:
        return Checked(None, schema_problems(error) + problems)
    examples = [Example(ja, en, BODY_LINE) for ja, en in examples_in(body)]
    bundle = Bundle(lessons=_known_lessons(meta.prerequisites))
    bundle.lessons[meta.id] = BundleLesson(
        meta, LessonFile(EDITED, front, body, BODY_LINE, examples)
    )
    for found in lint(bundle):
        if found.path != EDITED:
            continue
        if found.line >= BODY_LINE:
            line = found.line - BODY_LINE + 1
            problems.append(problem("body", f"line {line}: {found.message}"))
        else:
            problems.append(problem(_front_field(found.message), found.message))
    return Checked(meta, problems)


def _front_field(message: str) -> str:
    for name in ("vocabulary", "prerequisite", "kanji"):
        if message.startswith(f"{name} "):
            return "prerequisites" if name == "prerequisite" else name
    return ""


def check_item(data: dict[str, Any]) -> Checked:
    """The type's schema, then the content lint (the checker grades every accepted answer,
    every kept wrong answer still gets its code, furigana and references resolve)."""
    try:
        question_type = registry.get(str(data.get("type")))
    except KeyError:
        return Checked(None, [problem("type", f"unknown type {data.get('type')!r}")])
    try:
        model = question_type.model.model_validate(data)
    except ValidationError as error:
        return Checked(None, schema_problems(error))
    lines = {name: number for number, name in enumerate(data, start=1)}
    entry = ItemEntry(EDITED, 0, data, lines)
    by_line = {number: name for name, number in lines.items()}
    bundle = Bundle(
        lessons=_known_lessons([model.lesson] if model.lesson else []),
        items={model.id: Item(model, entry)},
    )
    problems = [
        problem(by_line.get(found.line, ""), found.message)
        for found in lint(bundle)
        if found.path == EDITED
    ]
    return Checked(model, problems)
