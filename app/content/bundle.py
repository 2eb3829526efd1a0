"""All content files read and validated together: lessons and items, or the problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.content.files import ItemEntry, LessonFile, Problem, read_items, read_lesson
from app.content.schema import LessonFrontMatter
from app.questions import registry
from app.questions import types as _types  # noqa: F401  (registers the question types)
from app.questions.base import ItemModel


@dataclass
class Lesson:
    meta: LessonFrontMatter
    file: LessonFile


@dataclass
class Item:
    model: ItemModel
    entry: ItemEntry


@dataclass
class Bundle:
    lessons: dict[str, Lesson] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _explain(
    error: ValidationError, lines: dict[str, int], default_line: int
) -> list[tuple[int, str]]:
    out = []
    for detail in error.errors():
        where = [str(part) for part in detail["loc"]]
        name = where[0] if where else ""
        line = lines.get(name, default_line)
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "missing":
            message = "this field is required"
        elif detail["type"] == "extra_forbidden":
            message = "this field is not part of the format"
        elif detail["type"] == "string_type" and isinstance(
            detail.get("input"), bool | int | float
        ):
            message = (
                f"YAML read this as {detail['input']!r}, not text: put it in quotes "
                '(for example "no" or "10")'
            )
        out.append((line, f"{'.'.join(where) or 'item'}: {message}" if where else message))
    return out


def read_bundle(lessons_dir: Path, bank_dir: Path) -> Bundle:
    """Read and validate every lesson and item file; nothing is half-read: the caller
    loads the bundle only when it has no problems."""
    bundle = Bundle()
    root = lessons_dir.parent
    for path in sorted(lessons_dir.rglob("*.md")):
        if path.name == "README.md":
            continue
        lesson_file, problems = read_lesson(path, root)
        bundle.problems += problems
        if lesson_file is None:
            continue
        lines = lesson_file.front.pop("__lines__", {})
        lesson_file.front.pop("__line__", None)
        try:
            meta = LessonFrontMatter.model_validate(lesson_file.front)
        except ValidationError as error:
            bundle.problems += [
                Problem(lesson_file.path, line + 1, msg) for line, msg in _explain(error, lines, 1)
            ]
            continue
        if meta.id in bundle.lessons:
            other = bundle.lessons[meta.id].file.path
            bundle.problems.append(
                Problem(lesson_file.path, 2, f"lesson id {meta.id} is also used in {other}")
            )
            continue
        bundle.lessons[meta.id] = Lesson(meta, lesson_file)
    for path in sorted(bank_dir.rglob("*.yaml")):
        entries, problems = read_items(path, root)
        bundle.problems += problems
        for entry in entries:
            _add_item(bundle, entry)
    return bundle


def _add_item(bundle: Bundle, entry: ItemEntry) -> None:
    type_id = entry.data.get("type")
    try:
        question_type = registry.get(str(type_id))
    except KeyError:
        known = ", ".join(registry.type_ids())
        line = entry.lines.get("type", entry.line)
        bundle.problems.append(
            Problem(entry.path, line, f"unknown type {type_id!r} (known: {known})")
        )
        return
    try:
        model = question_type.model.model_validate(entry.data)
    except ValidationError as error:
        bundle.problems += [
            Problem(entry.path, line, msg) for line, msg in _explain(error, entry.lines, entry.line)
        ]
        return
    if model.id in bundle.items:
        other = bundle.items[model.id].entry
        bundle.problems.append(
            Problem(
                entry.path,
                entry.line,
                f"item id {model.id} is also used at {other.path}:{other.line}",
            )
        )
        return
    bundle.items[model.id] = Item(model, entry)


def item_data(item: ItemModel) -> dict[str, Any]:
    """The item as plain data in the file's field order, without empty optional fields."""
    return item.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
